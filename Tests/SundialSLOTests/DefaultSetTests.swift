import Foundation
import Testing
import Sundial

@Suite struct DefaultSetTests {
    @Test func theDefaultTemporalSetEvaluatesOnAGeneratedCorpus() throws {
        let dir = NSTemporaryDirectory() + "sundial-slo-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let corpus = TemporalCorpus(options: CorpusOptions(durationMs: 3 * 3_600_000, scrapeIntervalMs: 60_000, scale: .tiny))
        _ = try corpus.writeScrapeFiles(to: dir + "/scrapes")
        let store = try Store.open(at: dir + "/store")
        _ = try Ingestor(store: store).ingest(paths: [dir + "/scrapes"])
        let snapshot = store.snapshot()
        let atMs = try #require(snapshot.timeRange()?.maxTimeMs)

        let evaluation = try SLOEvaluator(source: snapshot).evaluate(DefaultTemporalSLOs.specs(periodSeconds: 86_400), atMs: atMs)
        #expect(evaluation.statuses.map(\.spec.name) == ["frontend-availability", "persistence-availability",
                                                         "persistence-latency", "service-latency", "workflow-failure-ratio"])
        for status in evaluation.statuses {
            #expect(!status.groups.isEmpty, "\(status.spec.name) has no groups")
            #expect(status.groups.contains { $0.sli != nil }, "\(status.spec.name) has no traffic")
            for group in status.groups {
                if let sli = group.sli { #expect(sli >= 0 && sli <= 1) }
                #expect(group.labels.labels.map(\.name) == status.spec.groupBy)
            }
        }
        // 0.1 s is one of Temporal's bucket bounds, so the latency SLIs are exact.
        #expect(evaluation.statuses[2].groups.allSatisfy { !$0.isEstimated })
        let worst = evaluation.groupsWorstFirst
        #expect(worst.count == evaluation.statuses.map(\.groups.count).reduce(0, +))
    }
}
