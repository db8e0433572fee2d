import Foundation
import SundialStorage
import Testing
@testable import SundialQuery

/// Timing of 24 h range queries at 1 m steps over 30 operations × 13-bucket histograms stored in
/// sealed blocks. Runs only with `SUNDIAL_QUERY_TIMING=1` (build in release for meaningful numbers):
///
///     SUNDIAL_QUERY_TIMING=1 swift test -c release --scratch-path .build-query --filter PerformanceTests
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SUNDIAL_QUERY_TIMING"] == "1"))
struct PerformanceTests {
    static let operations = 30
    static let bounds = ["0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"]
    static let startMs: Int64 = 1_732_406_400_000  // a day boundary
    static let endMs: Int64 = startMs + 86_400_000
    static let scrapeMs: Int64 = 15_000

    /// Writes the corpus: for each operation a 13-bucket latency histogram, a request and an error
    /// counter, scraped every 15 s from 10 minutes before the range to its end; sealed into blocks.
    static func writeCorpus(to store: Store) throws -> (series: Int, samples: Int) {
        var rng = SeededRandom(seed: 2024)
        var batch = store.makeBatch()
        var samples = 0
        var series = 0
        for op in 0..<operations {
            let operation = "Operation\(op)"
            var refs: [SeriesReference] = []
            for le in bounds {
                refs.append(try store.reference(for: LabelSet(name: "persistence_latency_bucket", ["operation": operation, "le": le])))
            }
            let requests = try store.reference(for: LabelSet(name: "persistence_requests", ["operation": operation]))
            let errors = try store.reference(for: LabelSet(name: "persistence_errors", ["operation": operation]))
            series += refs.count + 2
            var cumulative = [Double](repeating: 0, count: bounds.count)
            var requestCount = 0.0
            var errorCount = 0.0
            var t = startMs - 600_000
            while t <= endMs {
                let n = Int(rng.next() % 40)
                for _ in 0..<n {
                    let bucket = Int(rng.next() % UInt64(bounds.count))
                    for b in bucket..<bounds.count { cumulative[b] += 1 }
                }
                requestCount += Double(n)
                errorCount += Double(rng.next() % 3 == 0 ? 1 : 0)
                let jitter = Int64(rng.next() % 200)
                for (b, ref) in refs.enumerated() { batch.append(ref, timestampMs: t + jitter, value: cumulative[b]) }
                batch.append(requests, timestampMs: t + jitter, value: requestCount)
                batch.append(errors, timestampMs: t + jitter, value: errorCount)
                samples += refs.count + 2
                if batch.sampleCount >= 400_000 {
                    try store.commit(batch)
                    batch.removeAll()
                }
                t += scrapeMs
            }
        }
        if batch.sampleCount > 0 { try store.commit(batch) }
        try store.flush()
        return (series, samples)
    }

    private func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    @Test func dayLongRangeQueriesAtOneMinuteSteps() throws {
        let dir = TemporaryDirectory("timing")
        defer { dir.remove() }
        var options = StoreOptions()
        options.syncOnCommit = false
        let store = try Store.open(at: dir.path, options: options)
        defer { store.close() }
        let (seriesCount, sampleCount) = try Self.writeCorpus(to: store)
        let engine = QueryEngine(source: store.snapshot())
        print("corpus: \(seriesCount) series, \(sampleCount) samples, 24 h at 15 s, \(Self.operations) operations × \(Self.bounds.count) buckets")

        // The storage part alone: select and decode every bucket series once.
        let snapshot = store.snapshot()
        var decoded = 0
        let decodeMs = try time {
            let all = try snapshot.select([LabelMatcher.equal("__name__", "persistence_latency_bucket")],
                                          minTimeMs: Self.startMs - 300_000, maxTimeMs: Self.endMs)
            for s in all { try s.forEachRun { ts, _ in decoded += ts.count } }
        }
        print("decode only: \(decoded) bucket samples in \(String(format: "%.1f", decodeMs)) ms")

        let queries = [
            "rate(persistence_latency_bucket[5m])",
            "sum by (operation, le) (rate(persistence_latency_bucket[5m]))",
            "histogram_quantile(0.99, sum by (operation, le) (rate(persistence_latency_bucket[5m])))",
            "sum by (operation) (rate(persistence_errors[5m])) / sum by (operation) (rate(persistence_requests[5m]))",
            "sum(rate(persistence_requests[5m]))",
        ]
        for query in queries {
            var result = QueryResult.vector([])
            var timings: [Double] = []
            for _ in 0..<5 {
                timings.append(try time { result = try engine.range(query, startMs: Self.startMs, endMs: Self.endMs, stepMs: 60_000) })
            }
            timings.sort()
            let points = result.matrix.reduce(0) { $0 + $1.samples.count }
            print(String(format: "%8.1f ms median (%.1f min)  %d series, %d points  %@", timings[2], timings[0],
                         result.matrix.count, points, query))
            #expect(result.matrix.count > 0)
        }
    }
}
