import SundialStorage
import Testing
@testable import SundialQuery

@Suite struct RangeQueryTests {
    /// Irregular random series: jittered scrapes, gaps, counter resets, stale markers, NaNs.
    static func randomSeries(seed: UInt64) -> [InMemorySeries] {
        var rng = SeededRandom(seed: seed)
        var out: [InMemorySeries] = []
        for s in 0..<12 {
            var t: Int64 = Int64(rng.next() % 20_000)
            var counter = Double(rng.next() % 50)
            var samples: [Sample] = []
            while t < 3_600_000 {
                switch rng.next() % 40 {
                case 0: t += 600_000  // a gap longer than the lookback
                case 1: samples.append(Sample(timestampMs: t, value: StaleMarker.value)); t += 15_000
                case 2: counter = 0; t += 15_000  // a reset
                default: t += 15_000 + Int64(rng.next() % 400) - 200
                }
                counter += Double(rng.next() % 30)
                let value = s % 4 == 3 && rng.next() % 25 == 0 ? Double.nan : (s % 2 == 0 ? counter : Double(rng.next() % 1000) / 10)
                samples.append(Sample(timestampMs: t, value: value))
            }
            let kind = s % 2 == 0 ? "requests_total" : "queue_depth"
            out.append(InMemorySeries(LabelSet(name: kind, ["instance": "i\(s % 3)", "shard": "\(s)"]), samples))
        }
        for (b, le) in ["0.1", "1", "+Inf"].enumerated() {
            var samples: [Sample] = []
            var count = 0.0
            for step in 0..<240 {
                count += Double((b + 1) * Int(rng.next() % 5))
                samples.append(Sample(timestampMs: Int64(step) * 15_000, value: count))
            }
            out.append(InMemorySeries(LabelSet(name: "lat_bucket", ["le": le]), samples))
        }
        return out
    }

    static let queries = [
        "requests_total", "queue_depth offset 2m", "rate(requests_total[2m])", "increase(requests_total[5m])",
        "irate(requests_total[1m])", "delta(queue_depth[3m])", "idelta(queue_depth[2m])", "resets(requests_total[10m])",
        "changes(queue_depth[10m])", "avg_over_time(queue_depth[5m])", "sum_over_time(queue_depth[5m])",
        "min_over_time(queue_depth[5m])", "max_over_time(queue_depth[5m])", "count_over_time(queue_depth[5m])",
        "last_over_time(queue_depth[5m])", "stddev_over_time(queue_depth[5m])", "stdvar_over_time(queue_depth[5m])",
        "quantile_over_time(0.9, queue_depth[10m])", "present_over_time(queue_depth[1m])", "absent_over_time(queue_depth[1m])",
        "deriv(queue_depth[5m])", "predict_linear(queue_depth[5m], 600)", "holt_winters(queue_depth[5m], 0.3, 0.6)",
        "sum by (instance) (rate(requests_total[5m]))", "avg without (shard) (queue_depth)", "max(queue_depth)",
        "min by (instance) (queue_depth)", "count(queue_depth)", "stddev(queue_depth)", "stdvar by (instance) (queue_depth)",
        "topk(2, queue_depth)", "bottomk by (instance) (1, queue_depth)", "quantile(0.25, queue_depth)", "group by (instance) (queue_depth)",
        #"count_values("v", round(queue_depth / 10))"#,
        "queue_depth / on(instance, shard) rate(requests_total[5m])", "queue_depth > 50", "queue_depth > bool 50",
        "sum by (instance) (queue_depth) / on(instance) group_left sum by (instance) (rate(requests_total[5m]))",
        "queue_depth and on(instance) rate(requests_total[1m]) > 1", "queue_depth or requests_total", "queue_depth unless queue_depth > 50",
        "sum(rate(requests_total[5m])) or on() vector(0)", "-queue_depth", "abs(-queue_depth)", "clamp(queue_depth, 10, 60)",
        "round(queue_depth, 5)", "scalar(sum(queue_depth))", "time()", "vector(time()) - 100", "timestamp(queue_depth)",
        "timestamp(-queue_depth)", "absent(nothing)", "absent(queue_depth)",
        #"label_replace(queue_depth, "zone", "z$1", "instance", "i(.*)")"#, #"label_join(queue_depth, "id", "-", "instance", "shard")"#,
        "histogram_quantile(0.9, rate(lat_bucket[5m]))", "histogram_quantile(0.5, sum by (le) (increase(lat_bucket[10m])))",
        "max_over_time(rate(requests_total[2m])[10m:1m])", "avg_over_time(queue_depth[10m:30s] offset 5m)",
        "queue_depth @ 1800", "rate(requests_total[5m] @ 1200)", "sum_over_time(queue_depth[2m] @ 3000)",
        "sort(queue_depth)", "sort_desc(rate(requests_total[5m]))", "hour(vector(time()))", "minute()",
        "1 + 2 * 3", "2 ^ queue_depth % 7", "queue_depth atan2 5", "0 / 0",
    ]

    @Test(arguments: [UInt64(1), 2, 3])
    func rangeQueriesEqualInstantQueriesAtEveryStep(seed: UInt64) throws {
        let e = engine(Self.randomSeries(seed: seed))
        for query in Self.queries {
            try assertRangeMatchesInstants(e, query, startMs: 0, endMs: 3_600_000, stepMs: 97_000)
        }
    }

    @Test func rangeResultsAreSortedByLabelsAndScalarsBecomeOneSeries() throws {
        let e = engine(Self.randomSeries(seed: 7))
        let result = try e.range("queue_depth", startMs: 0, endMs: 600_000, stepMs: 60_000)
        let labels = result.matrix.map(\.labels)
        #expect(labels == labels.sorted())
        let scalar = try e.range("time()", startMs: 0, endMs: 120_000, stepMs: 60_000)
        #expect(scalar.matrix == [RangeSeries(LabelSet([]), [
            Sample(timestampMs: 0, value: 0), Sample(timestampMs: 60_000, value: 60), Sample(timestampMs: 120_000, value: 120),
        ])])
    }

    @Test func rangeQueryParametersAreChecked() {
        let e = engine([])
        #expect(throws: QueryError.invalidArgument("zero or negative query resolution step widths are not accepted; use a positive step")) {
            try e.range("1", startMs: 0, endMs: 10, stepMs: 0)
        }
        #expect(throws: QueryError.invalidArgument("end timestamp must not be before start time")) {
            try e.range("1", startMs: 10, endMs: 0, stepMs: 1)
        }
        #expect(throws: QueryError.invalidArgument(#"invalid expression type "range vector" for range query, must be Scalar or instant Vector"#)) {
            try e.range("x[5m]", startMs: 0, endMs: 10, stepMs: 1)
        }
        #expect(throws: QueryError.invalidArgument(#"invalid expression type "string" for range query, must be Scalar or instant Vector"#)) {
            try e.range(#""a""#, startMs: 0, endMs: 10, stepMs: 1)
        }
    }
}
