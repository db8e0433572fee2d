import Foundation
import Testing
import Sundial

/// The README's embedding example, kept compiling and running (with a temporary directory and a real
/// scrape file instead of the README's paths).
@Suite struct ReadmeExampleTests {
    @Test func readmeEmbeddingExampleRuns() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try scratch.write("scrape-1732400030000.prom", "service_requests{operation=\"StartWorkflowExecution\",namespace=\"default\"} 40\n")

        let store = try Store.open(at: scratch.store)
        let requests = try store.reference(for: LabelSet(name: "service_requests",
                                                         ["operation": "StartWorkflowExecution", "namespace": "default"]))
        var batch = store.makeBatch()
        batch.setMetadata(MetricMetadata(name: "service_requests", kind: .counter))
        batch.append(requests, timestampMs: 1_732_400_000_000, value: 10)
        batch.append(requests, timestampMs: 1_732_400_015_000, value: 25)
        try store.commit(batch)

        let snapshot = store.snapshot()
        let selected = try snapshot.select(
            [.equal("__name__", "service_requests"), try LabelMatcher(.regex, "operation", "Start.*")],
            minTimeMs: 1_732_400_000_000, maxTimeMs: 1_732_400_060_000)
        var seen: [Double] = []
        for series in selected {
            try series.forEachRun { timestamps, values in
                for i in timestamps.indices { seen.append(values[i]) }
            }
        }
        #expect(seen == [10, 25])
        #expect(snapshot.metricNames() == ["service_requests"])
        #expect(snapshot.labelValues(for: "operation") == ["StartWorkflowExecution"])
        let stats = store.statistics()
        #expect(stats.series == 1 && stats.samples == 2 && stats.bytesPerSample > 0)

        let report = try Ingestor(store: store).ingest(paths: [scratch.scrapes])
        #expect(report.samples == 1 && report.rejectedLines == 0)
        let all = try store.snapshot().select([.equal("__name__", "service_requests")]).first?.samples()
        #expect(all?.map(\.value) == [10, 25, 40])

        let answer = try QueryAnswer.evaluate("rate service_requests by operation", on: store.snapshot())
        #expect(answer.rows.count == 1)
        #expect(answer.rows.first?.labels["operation"] == "StartWorkflowExecution")
        // 30 over 30 s, extrapolated 10 s back to zero (a counter), over a 5 m window: 40 / 300 per second.
        #expect(answer.rows.first.map { abs($0.values[0] - 40.0 / 300.0) < 1e-12 } == true)
        store.close()
    }
}
