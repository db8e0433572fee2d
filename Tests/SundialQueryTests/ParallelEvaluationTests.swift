import SundialStorage
import Testing
@testable import SundialQuery

/// The same series, but read by one thread only: the engine's sequential path.
private struct OneThreadSource: QuerySource {
    let inner: InMemorySource
    func series(matching matchers: [LabelMatcher], minTimeMs: Int64, maxTimeMs: Int64) throws -> [any QuerySeries] {
        try inner.series(matching: matchers, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs)
    }
}

/// Range functions run on several threads when the source allows it; the answers, their order and
/// the limits must be those of one thread.
@Suite struct ParallelEvaluationTests {
    /// 300 counters with resets, gaps and jittered timestamps, seeded.
    static let data: [InMemorySeries] = {
        var rng = SeededRandom(seed: 11)
        return (0..<300).map { i in
            var value = Double(Int.random(in: 0...1000, using: &rng))
            var points: [(Double, Double)] = []
            for step in 0..<400 where Int.random(in: 0..<20, using: &rng) != 0 {
                value += Double(Int.random(in: 0...50, using: &rng))
                if Int.random(in: 0..<150, using: &rng) == 0 { value = 0 }
                points.append((Double(step) * 15 + Double(Int.random(in: 0...200, using: &rng)) / 1000, value))
            }
            return series("requests", ["instance": "i\(i % 7)", "operation": "op\(i)"], points)
        }
    }()

    @Test(arguments: [
        "rate(requests[1m])", "sum by (instance) (increase(requests[5m]))", "quantile_over_time(0.9, requests[3m])",
        "last_over_time(requests[2m])", "predict_linear(requests[5m], 60)", "resets(requests[10m])",
    ])
    func severalThreadsAnswerAsOneDoes(query: String) throws {
        let answers = try Self.answersOnSeveralThreadsAndOne(query, Self.data, stepMs: 30_000)
        #expect(!answers.isEmpty)
    }

    /// The range answer of `query` over `data` read by several threads and by one: asserts that they are the
    /// same series with the same timestamps and bit-identical values, and returns the several threads' one.
    private static func answersOnSeveralThreadsAndOne(_ query: String, _ data: [InMemorySeries], stepMs: Int64) throws -> [RangeSeries] {
        let source = InMemorySource(data)
        let parallel = try QueryEngine(source: source).range(query, startMs: 0, endMs: 6_000_000, stepMs: stepMs)
        let sequential = try QueryEngine(source: OneThreadSource(inner: source)).range(query, startMs: 0, endMs: 6_000_000, stepMs: stepMs)
        guard case let .matrix(p) = parallel, case let .matrix(s) = sequential else {
            Issue.record("expected matrices")
            return []
        }
        #expect(p.map(\.labels) == s.map(\.labels))
        for (a, b) in zip(p, s) {
            #expect(a.samples.map(\.timestampMs) == b.samples.map(\.timestampMs))
            #expect(a.samples.map(\.value.bitPattern) == b.samples.map(\.value.bitPattern), "\(a.labels)")
        }
        return p
    }

    /// 60 histograms of 12 cumulative buckets, seeded; some buckets miss some scrapes.
    static let histograms: [InMemorySeries] = {
        var rng = SeededRandom(seed: 12)
        let bounds = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"]
        var out: [InMemorySeries] = []
        for g in 0..<60 {
            var counts = [Double](repeating: 0, count: bounds.count)
            var points = [[(Double, Double)]](repeating: [], count: bounds.count)
            for step in 0..<400 {
                var running = 0.0
                for b in bounds.indices {
                    running += Double(Int.random(in: 0...9, using: &rng))
                    counts[b] = Swift.max(counts[b], running + (b > 0 ? counts[b - 1] : 0))
                    if Int.random(in: 0..<30, using: &rng) != 0 { points[b].append((Double(step) * 15, counts[b])) }
                }
            }
            for b in bounds.indices { out.append(series("latency_bucket", ["le": bounds[b], "operation": "op\(g)"], points[b])) }
        }
        return out
    }()

    /// Enough groups × steps that `histogram_quantile` computes its groups on several threads.
    @Test func histogramQuantileOnSeveralThreadsAnswersAsOneDoes() throws {
        let query = "histogram_quantile(0.9, sum by (operation, le) (rate(latency_bucket[2m])))"
        let answers = try Self.answersOnSeveralThreadsAndOne(query, Self.histograms, stepMs: 15_000)
        #expect(answers.count == 60)
        for series in answers { #expect(series.samples.count > 300) }
    }

    /// Aggregations over a range function, with few and with many groups (the series are folded in as
    /// they come): the answers of several threads are one thread's, bit for bit.
    @Test(arguments: [
        "sum by (operation) (rate(requests[1m]))", "avg by (operation) (increase(requests[5m]))",
        "stddev by (instance, operation) (delta(requests[2m]))", "max without (instance) (rate(requests[3m]))",
        "count by (__name__, operation) (rate(requests[1m]))", "sum by (instance) (rate(requests[1m]))",
    ])
    func aggregationsOnSeveralThreadsAnswerAsOneDoes(query: String) throws {
        let answers = try Self.answersOnSeveralThreadsAndOne(query, Self.data, stepMs: 30_000)
        #expect(!answers.isEmpty)
    }

    /// The histograms above, plus what a folded `histogram_quantile` must treat exactly as the ordinary
    /// path: a bound written two ways ("1" and "1.0", coalesced), an `le` that is not a number and one
    /// missing, a counter reset, NaN and +Inf counts, and a second instance per operation summed in.
    static let unevenHistograms: [InMemorySeries] = {
        var out = histograms
        var rng = SeededRandom(seed: 13)
        for g in 0..<60 {
            for extra in ["1.0", "foo", "+Inf"] {
                var value = 0.0
                var points: [(Double, Double)] = []
                for step in 0..<400 {
                    value += Double(Int.random(in: 0...5, using: &rng))
                    if Int.random(in: 0..<200, using: &rng) == 0 { value = 0 }
                    let odd = Int.random(in: 0..<300, using: &rng)
                    points.append((Double(step) * 15, odd == 0 ? .nan : odd == 1 ? .infinity : value))
                }
                out.append(series("latency_bucket", ["le": extra, "operation": "op\(g)", "instance": "b"], points))
            }
            if g % 7 == 0 {
                out.append(series("latency_bucket", ["operation": "op\(g)"], (0..<400).map { (Double($0) * 15, Double($0)) }))
            }
        }
        return out
    }()

    /// `histogram_quantile` over `sum by (…, le)` folds on the worker threads (``Evaluator/foldedHistogramQuantile(_:_:_:context:)``);
    /// one thread takes the ordinary path: answers, labels and order must be the same, bit for bit.
    @Test(arguments: [
        "histogram_quantile(0.99, sum by (operation, le) (rate(latency_bucket[2m])))",
        "histogram_quantile(0.5, sum by (le, operation) (increase(latency_bucket[5m])))",
        "histogram_quantile(0.9, sum by (le, operation, instance) (delta(latency_bucket[1m])))",
        "histogram_quantile(0.75, sum by (__name__, operation, le) (rate(latency_bucket[3m])))",
        "histogram_quantile(0.99, sum by (le) (rate(latency_bucket[2m])))",
    ])
    func foldedHistogramQuantileAnswersAsTheOrdinaryPath(query: String) throws {
        let answers = try Self.answersOnSeveralThreadsAndOne(query, Self.unevenHistograms, stepMs: 15_000)
        #expect(!answers.isEmpty)
        let source = InMemorySource(Self.unevenHistograms)
        let parallel = try QueryEngine(source: source).instant(query, atMs: 3_000_000)
        let sequential = try QueryEngine(source: OneThreadSource(inner: source)).instant(query, atMs: 3_000_000)
        guard case let .vector(p) = parallel, case let .vector(s) = sequential else {
            Issue.record("expected vectors")
            return
        }
        #expect(p.map(\.labels) == s.map(\.labels))
        #expect(p.map(\.value.bitPattern) == s.map(\.value.bitPattern))
    }

    /// A bucket bound that reads as NaN gives buckets no consistent order: the fold declines, and the answer is
    /// the ordinary path's.
    @Test func aNaNBoundAnswersAsTheOrdinaryPath() throws {
        var data = Self.unevenHistograms
        for g in stride(from: 0, to: 60, by: 5) {
            data.append(series("latency_bucket", ["le": "NaN", "operation": "op\(g)", "instance": "b"],
                               (0..<400).map { (Double($0) * 15, Double($0 * 2)) }))
        }
        let query = "histogram_quantile(0.9, sum by (operation, le) (rate(latency_bucket[2m])))"
        let answers = try Self.answersOnSeveralThreadsAndOne(query, data, stepMs: 15_000)
        #expect(!answers.isEmpty)
    }

    /// The limits stop a folded `histogram_quantile` as they stop the ordinary path.
    @Test(arguments: [20_000, 400_000, 1_200_000])
    func limitsStopAFoldedHistogramQuantileAsTheOrdinaryPath(maxSamples: Int) {
        let parallel = Self.foldOutcome(maxSamples: maxSamples, instant: false, oneThread: false)
        #expect(parallel == Self.foldOutcome(maxSamples: maxSamples, instant: false, oneThread: true))
    }

    /// At one instant the fold evaluates every series before its groups are made, then sums them: the limits
    /// stop it as they stop the ordinary path, with the same error.
    @Test(arguments: [500, 4_000, 100_000])
    func limitsStopAnInstantFoldedHistogramQuantileAsTheOrdinaryPath(maxSamples: Int) {
        let parallel = Self.foldOutcome(maxSamples: maxSamples, instant: true, oneThread: false)
        #expect(parallel == Self.foldOutcome(maxSamples: maxSamples, instant: true, oneThread: true))
        #expect((parallel == "answered") == (maxSamples == 100_000))
    }

    /// "answered", or the error, of the latency query over ``unevenHistograms`` with at most `maxSamples`:
    /// at one instant or over 100 minutes, on several threads or (through ``OneThreadSource``) one.
    private static func foldOutcome(maxSamples: Int, instant: Bool, oneThread: Bool) -> String {
        var options = QueryOptions()
        options.maxSamples = maxSamples
        let query = "histogram_quantile(0.99, sum by (operation, le) (rate(latency_bucket[2m])))"
        let source: any QuerySource = oneThread ? OneThreadSource(inner: InMemorySource(unevenHistograms)) : InMemorySource(unevenHistograms)
        let engine = QueryEngine(source: source, options: options)
        do {
            if instant {
                _ = try engine.instant(query, atMs: 3_000_000)
            } else {
                _ = try engine.range(query, startMs: 0, endMs: 6_000_000, stepMs: 15_000)
            }
            return "answered"
        } catch {
            return "\(error)"
        }
    }

    @Test func limitsStopParallelEvaluationToo() {
        var options = QueryOptions()
        options.maxSamples = 5_000
        let e = QueryEngine(source: InMemorySource(Self.data), options: options)
        #expect(throws: QueryError.self) { try e.range("rate(requests[1m])", startMs: 0, endMs: 6_000_000, stepMs: 30_000) }
    }
}
