import ArgumentParser
import Foundation
import Sundial

/// The `sundial` executable: a table of contents of subcommands, each calling the library.
struct SundialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sundial",
        abstract: "An embedded time-series store and SLO query engine for Temporal server metrics.",
        discussion: """
            Start with `sundial demo`. The store is a directory: --store DIR, else $SUNDIAL_STORE, else ./sundial-data.
            Exit status: 0 success; 1 the command found what it exists to report (rejected lines, damage); 2 bad usage or failure.
            """,
        subcommands: [
            DemoCommand.self, IngestCommand.self, QueryCommand.self, GenerateCommand.self, StatsCommand.self, CheckCommand.self,
            CompactCommand.self, RetentionCommand.self, InspectCommand.self, SLOCommand.self, DebugAppendCommand.self,
        ]
    )
}

/// Runs the command line with the exit statuses of the contract: 0, 1 (a problem found), 2 (usage or failure).
@main
enum Main {
    static func main() {
        do {
            var command = try SundialCommand.parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = SundialCommand.exitCode(for: error)
            if code == .success {
                print(SundialCommand.fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data(("sundial: " + SundialCommand.fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
