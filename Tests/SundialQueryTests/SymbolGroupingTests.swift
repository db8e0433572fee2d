import SundialStorage
import Testing
@testable import SundialQuery

/// A block's series without their symbol labels: the engine groups them by strings.
private struct StringLabelSeries: QuerySeries {
    let inner: SeriesSamples
    var labels: LabelSet { inner.labels }
    func forEachRun(_ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        try inner.forEachRun(body)
    }
    func summarizedSegments() -> [SampleSegment]? { inner.segments() }
    func forEachRun(in segment: SampleSegment, _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        try inner.forEachRun(in: segment, body)
    }
}

/// A snapshot read as strings (`concurrent`) or on one thread, the ordinary path.
private struct WrappedSnapshot: QuerySource {
    let snapshot: Snapshot
    let concurrent: Bool
    var supportsConcurrentReads: Bool { concurrent }
    func series(matching matchers: [LabelMatcher], minTimeMs: Int64, maxTimeMs: Int64) throws -> [any QuerySeries] {
        let selected = try snapshot.select(matchers, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs)
        return concurrent ? selected.map(StringLabelSeries.init) : selected
    }
}

/// Series read from one block are grouped by the numbers of their label values in the block's symbol
/// table (``HistogramFold``, ``Evaluator/resultsMayCollide(_:_:)``); the answers must be those of grouping
/// by strings and of the one-thread path, bit for bit.
@Suite struct SymbolGroupingTests {
    @Test(arguments: [
        "histogram_quantile(0.99, sum by (operation, le) (rate(latency_bucket[2m])))",
        "histogram_quantile(0.5, sum by (le, operation) (increase(latency_bucket[5m])))",
        "histogram_quantile(0.9, sum by (le, operation, instance) (delta(latency_bucket[1m])))",
        "histogram_quantile(0.75, sum by (__name__, operation, le) (rate(latency_bucket[3m])))",
        "histogram_quantile(0.99, sum by (le, nonexistent) (rate(latency_bucket[2m])))",
        "histogram_quantile(0.99, sum by (le) (rate({__name__=~\"latency_bucket|other_bucket\"}[2m])))",
        "histogram_quantile(0.99, sum by (le) (rate({__name__=~\"latency_bucket|renamed_bucket\"}[2m])))",
    ])
    func foldedHistogramQuantileOnABlockAnswersAsOnStrings(query: String) throws {
        let dir = TemporaryDirectory("symbol-grouping")
        defer { dir.remove() }
        let store = try Store.open(at: dir.path)
        defer { store.close() }
        var batch = Batch()
        var written = ParallelEvaluationTests.unevenHistograms
        // Families whose selections with latency_bucket span two metric names: the results of `rate` collide
        // (other_bucket, an error) or could (renamed_bucket, which has operations of its own).
        for series in ParallelEvaluationTests.histograms.prefix(40) {
            written.append(InMemorySeries(series.labels.setting(metricNameLabel, to: "other_bucket"), series.samples))
            let renamed = series.labels.setting(metricNameLabel, to: "renamed_bucket")
            written.append(InMemorySeries(renamed.setting("operation", to: "renamed-" + (series.labels["operation"] ?? "")), series.samples))
        }
        for series in written {
            let ref = try store.reference(for: series.labels)
            for sample in series.samples { batch.append(ref, timestampMs: sample.timestampMs, value: sample.value) }
        }
        try store.commit(batch)
        try store.flush()
        let snapshot = store.snapshot()
        let selected = try snapshot.select([.equal(metricNameLabel, "latency_bucket")])
        #expect(selected.count == ParallelEvaluationTests.unevenHistograms.count)
        for series in selected {
            let symbols = series.symbolLabels
            #expect(symbols?.labelSet == series.labels)
        }
        let onSymbols = Self.outcome(query, snapshot)
        // Every query answers but the one whose selections collide, which fails the same way on every path.
        #expect(onSymbols.first?.hasPrefix("error") == query.contains("other_bucket"))
        #expect(onSymbols == Self.outcome(query, WrappedSnapshot(snapshot: snapshot, concurrent: true)))
        #expect(onSymbols == Self.outcome(query, WrappedSnapshot(snapshot: snapshot, concurrent: false)))
    }

    /// The answer as lines of labels, timestamps and value bits, or the error.
    private static func outcome(_ query: String, _ source: any QuerySource) -> [String] {
        do {
            guard case let .matrix(series) = try QueryEngine(source: source).range(query, startMs: 0, endMs: 6_000_000, stepMs: 15_000) else {
                return ["not a matrix"]
            }
            return fingerprint(series)
        } catch {
            return ["error: \(error)"]
        }
    }

    /// Labels, timestamps and value bits of every series, in order.
    private static func fingerprint(_ result: [RangeSeries]) -> [String] {
        var lines: [String] = []
        for series in result {
            var line = series.labels.description
            for sample in series.samples { line += " \(sample.timestampMs):\(sample.value.bitPattern)" }
            lines.append(line)
        }
        return lines
    }
}
