import ArgumentParser
import Sundial

/// The `sundial` executable: a table of contents of subcommands, each calling the library.
@main
struct SundialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sundial",
        abstract: "An embedded time-series store and SLO query engine for Temporal server metrics.",
        subcommands: []
    )
}
