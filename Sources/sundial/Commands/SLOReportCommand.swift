import ArgumentParser
import Foundation
import Sundial

/// `sundial slo report`: one self-contained HTML page of every SLO's history.
struct SLOReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML page: per SLO and group the SLI over time, budget burn-down, burn rates, incidents.",
        discussion: """
            One file with inline CSS and SVG (no scripts, no network). Without --spec the built-in Temporal set.
            The range defaults to the longest SLO period ending at the newest sample, cut to the data in the store.
            Example: sundial slo report --from -7d --out report.html
            """)

    @OptionGroup var location: StoreLocation
    @OptionGroup var specFile: SLOSpecFile
    @Option(help: "Range start (Unix seconds, RFC 3339, -7d); default: the longest SLO period before --to.") var from: String?
    @Option(help: "Range end (default: the newest sample).") var to: String?
    @Option(help: "Where to write the HTML page.") var out: String

    func run() throws {
        let specs = try specFile.load()
        let store = try location.open(writable: false)
        let snapshot = store.snapshot()
        warnAboutLeftOutBlocks(snapshot)
        guard let stored = snapshot.timeRange() else {
            throw ValidationError("the store at \(location.path) holds no samples; ingest something first")
        }
        let toMs = try to.map(parseTime) ?? stored.maxTimeMs
        let longest = (specs.map(\.periodSeconds).max() ?? 30 * 86_400) * 1000
        let fromMs = try from.map(parseTime) ?? max(toMs - longest, min(stored.minTimeMs, toMs))
        guard fromMs <= toMs else { throw ValidationError("the range starts after it ends (--from is after --to)") }
        let history: SLOHistory
        do { history = try SLOEvaluator(source: snapshot).history(specs, fromMs: fromMs, toMs: toMs) } catch {
            printError("sundial: " + error.description)
            throw ExitCode(2)
        }
        do {
            try SLOReport(history: history).html().write(toFile: out, atomically: true, encoding: .utf8)
        } catch {
            printError("sundial: cannot write \(out): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let groups = history.groupsWorstFirst
        let paging = groups.filter { $0.current.firingSeverity == .page }.count
        let ticket = groups.filter { $0.current.firingSeverity == .ticket }.count
        let incidents = groups.reduce(0) { $0 + $1.incidents.count }
        print("wrote \(out): \(history.slos.count) SLOs, \(groups.count) groups (\(paging) paging, \(ticket) ticket), "
              + "\(incidents) incidents, \(TimeArgument.format(ms: history.fromMs)) to \(TimeArgument.format(ms: history.toMs)) "
              + "every \(TimeArgument.format(durationMs: history.stepMs))")
    }
}
