import Foundation
import Testing
import SundialQuery
import SundialSLO
import SundialStorage

/// Records the `le` of every series whose samples are decoded.
final class DecodeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var decoded: Set<String> = []

    func record(_ labels: LabelSet) { lock.withLock { _ = decoded.insert(labels["le"] ?? "-") } }
    var bounds: Set<String> { lock.withLock { decoded } }
}

/// An in-memory source that logs which series are decoded.
struct LoggingSource: QuerySource {
    let inner: InMemorySource
    let log: DecodeLog

    struct Series: QuerySeries {
        let inner: any QuerySeries
        let log: DecodeLog
        var labels: LabelSet { inner.labels }
        func forEachRun(_ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
            log.record(inner.labels)
            try inner.forEachRun(body)
        }
    }

    func series(matching matchers: [LabelMatcher], minTimeMs: Int64, maxTimeMs: Int64) throws -> [any QuerySeries] {
        try inner.series(matching: matchers, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs).map { Series(inner: $0, log: log) }
    }
}

@Suite struct BucketSelectionTests {
    /// Per minute and operation: 10 under 0.05 s, 40 under 0.1 s, 70 under 0.25 s, 90 under 0.5 s, 95 under 1 s, 100 in all.
    func source(_ log: DecodeLog) -> LoggingSource {
        let cumulative: [(String, Double)] = [("0.05", 10), ("0.1", 40), ("0.25", 70), ("0.5", 90), ("1", 95), ("+Inf", 100)]
        var series: [InMemorySeries] = []
        for operation in ["Read", "Write"] {
            for (le, n) in cumulative {
                series.append(Constructed.counter("lat_bucket", ["le": le, "operation": operation], minutes: 1440) { _ in n })
            }
        }
        return LoggingSource(inner: InMemorySource(series), log: log)
    }

    func status(_ threshold: Double, _ log: DecodeLog) throws -> SLOGroupStatus? {
        let spec = SLOSpec(name: "lat", objective: 0.9, periodSeconds: 3600, groupBy: ["operation"],
                           indicator: .latency(LatencyIndicator(histogram: "lat", threshold: threshold)))
        return try SLOEvaluator(source: source(log)).evaluate(spec, atMs: Constructed.endMs).groups.first
    }

    @Test func aThresholdOnABoundDecodesOnlyThatBucketAndInf() throws {
        let log = DecodeLog()
        let group = try #require(try status(0.5, log))
        #expect(abs((group.sli ?? 0) - 0.9) < 1e-9)
        #expect(log.bounds == ["0.5", "+Inf"])
    }

    @Test func aThresholdBetweenBoundsDecodesTheNeighboursAndInf() throws {
        let log = DecodeLog()
        // 0.3 s lies a fifth of the way from 0.25 to 0.5: 70 + 20 × 0.2 = 74 of 100.
        let group = try #require(try status(0.3, log))
        #expect(abs((group.sli ?? 0) - 0.74) < 1e-9)
        #expect(group.isEstimated)
        #expect(log.bounds == ["0.25", "0.5", "+Inf"])
        let above = DecodeLog()
        #expect(abs((try status(2, above)?.sli ?? 0) - 0.95) < 1e-9)
        #expect(above.bounds == ["1", "+Inf"])
    }
}
