import Foundation
import Sundial
import Testing

@Suite struct EmbeddingTests {
    /// The example of docs/SLO.md, on an empty store: every SLI is undefined, and the report is still written.
    @Test func theDocumentedEmbeddingRunsAndAnEmptyStoreLeavesEverySLIUndefined() throws {
        let directory = NSTemporaryDirectory() + "sundial-slo-embed-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let snapshot = try Store.open(at: directory + "/store").snapshot()
        let specs = DefaultTemporalSLOs.specs()
        let evaluator = SLOEvaluator(source: snapshot)
        let now = snapshot.timeRange()?.maxTimeMs ?? 0
        let status = try evaluator.evaluate(specs, atMs: now)
        let history = try evaluator.history(specs, fromMs: now - 7 * 86_400_000, toMs: now)
        #expect(status.statuses.count == 5)
        #expect(status.groupsWorstFirst.allSatisfy { $0.sli == nil })
        #expect(history.groupsWorstFirst.count == 5)
        #expect(history.groupsWorstFirst.allSatisfy { group in group.points.allSatisfy { $0.sli == nil } && group.incidents.isEmpty })
        #expect(history.slos.allSatisfy { $0.notes.contains { $0.contains("undefined") } })
        let file = directory + "/report.html"
        try SLOReport(history: history).html().write(toFile: file, atomically: true, encoding: .utf8)
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.components(separatedBy: "pill undefined").count - 1 >= 5)
    }
}
