import ArgumentParser
import Foundation
import Sundial

/// `sundial slo`: service level objectives over the store.
struct SLOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slo",
        abstract: "Service level objectives: SLIs, error budgets, burn rates and multi-window alerts (docs/SLO.md).",
        subcommands: [SLOStatusCommand.self, SLOReportCommand.self]
    )
}

/// `sundial slo status`: every SLO group, worst first; exit 1 when an alert fires.
struct SLOStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each SLO and group: SLI, budget consumed and left, burn rates, firing alerts (worst first).",
        discussion: """
            Without --spec the built-in Temporal server set is evaluated (docs/SLO.md). Without --at, at the newest sample.
            Exit status: 0 no alert fires; 1 a burn-rate alert fires; 2 bad usage or failure.
            """)

    @OptionGroup var location: StoreLocation
    @OptionGroup var specFile: SLOSpecFile
    @Option(help: "Evaluate at this time (Unix seconds, RFC 3339, now, -1h).") var at: String?
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

    func run() throws {
        let specs = try specFile.load()
        let store = try location.open(writable: false)
        let snapshot = store.snapshot()
        warnAboutLeftOutBlocks(snapshot)
        let atMs = try at.map(parseTime) ?? snapshot.timeRange()?.maxTimeMs ?? TimeArgument.currentTimeMs()
        let evaluation: SLOEvaluation
        do { evaluation = try SLOEvaluator(source: snapshot).evaluate(specs, atMs: atMs) } catch {
            printError("sundial: " + error.description)
            throw ExitCode(2)
        }
        print(SLORenderer(evaluation: evaluation).render(format))
        if format == .table {
            for status in evaluation.statuses { for note in status.notes { printError("note: \(status.spec.name): \(note)") } }
        }
        if evaluation.isAlertFiring { throw ExitCode(1) }
    }
}

/// `--spec FILE`: Sundial's YAML or OpenSLO; the built-in Temporal set without it.
struct SLOSpecFile: ParsableArguments {
    @Option(help: "An SLO file: Sundial's YAML or OpenSLO v1 (default: the built-in Temporal set).") var spec: String?

    /// The specs, or exit status 2 with the reader's error (file, line, field).
    func load() throws -> [SLOSpec] {
        guard let spec else { return DefaultTemporalSLOs.specs() }
        do { return try SLOSpecReader.read(contentsOf: spec) } catch {
            printError("sundial: " + error.description)
            throw ExitCode(2)
        }
    }
}
