import SundialStorage
import Testing
@testable import SundialQuery

@Suite struct HistogramQuantileTests {
    /// Buckets (le → cumulative count) of one histogram as gauges at t = 0.
    private func histogram(_ buckets: [(String, Double)], name: String = "h_bucket", extra: [String: String] = [:]) -> [InMemorySeries] {
        buckets.map { le, count in
            var l = extra
            l["le"] = le
            return series(name, l, [(0, count)])
        }
    }

    private func quantile(_ q: String, _ buckets: [(String, Double)]) -> Double? {
        engine(histogram(buckets)).value("histogram_quantile(\(q), h_bucket)", at: 0)
    }

    @Test func interpolatesInsideTheBucket() {
        // 10 observations: 2 ≤ 0.1, 6 ≤ 0.5, 9 ≤ 1, 10 total.
        let b = [("0.1", 2.0), ("0.5", 6), ("1", 9), ("+Inf", 10)]
        // φ 0.5 → rank 5 in (0.1, 0.5]: 0.1 + 0.4 × (5 − 2)/4 = 0.4.
        #expect(close(quantile("0.5", b), 0.4))
        // φ 0.1 → rank 1 in the lowest bucket, interpolated from 0: 0.1 × 1/2 = 0.05.
        #expect(close(quantile("0.1", b), 0.05))
        // φ 0.95 → rank 9.5 falls in +Inf: the second-highest bound.
        #expect(quantile("0.95", b) == 1)
        #expect(quantile("1", b) == 1)
        #expect(quantile("0", b) == 0)
    }

    @Test func outOfRangeQuantilesAreInfinite() {
        let b = [("1", 1.0), ("+Inf", 2)]
        #expect(quantile("100", b) == .infinity)
        #expect(quantile("-0.5", b) == -.infinity)
        #expect(quantile("NaN", b)?.isNaN == true)
        // φ > 1 is +Inf even without a +Inf bucket, as the φ checks come first in 2.42.
        #expect(quantile("100", [("1", 1.0)]) == .infinity)
    }

    @Test func missingInfBucketOrNoObservationsGiveNaN() {
        #expect(quantile("0.5", [("0.1", 1.0), ("1", 2)])?.isNaN == true)
        #expect(quantile("0.5", [("0.1", 0.0), ("1", 0), ("+Inf", 0)])?.isNaN == true)
        #expect(quantile("0.5", [("+Inf", 5.0)])?.isNaN == true)  // fewer than two buckets
    }

    @Test func equalBoundsMergeSoOneAndOnePointZeroAreOneBucket() {
        // le="1" and le="1.0" from two exporters: counts add up (2.42 does not normalise labels).
        let b = [("1", 3.0), ("1.0", 1), ("+Inf", 8)]
        // Buckets: ≤1: 4, +Inf: 8 (the +Inf of both … only one here). φ 0.25 → rank 2 in (0, 1]: 0.5.
        #expect(close(quantile("0.25", b), 0.5))
    }

    @Test func nonMonotonicBucketsAreFixedByTheRunningMaximum() {
        // A rate artefact: the 0.5 bucket is below the 0.1 bucket; it is raised to 4.
        let b = [("0.1", 4.0), ("0.5", 3), ("1", 8), ("+Inf", 8)]
        // φ 0.5 → rank 4 → first bucket with count ≥ 4 is 0.1 → 0.1 × 4/4 = 0.1.
        #expect(close(quantile("0.5", b), 0.1))
    }

    @Test func lowestBucketWithANonPositiveBoundReturnsThatBound() {
        let b = [("-1", 2.0), ("0", 2), ("1", 4), ("+Inf", 4)]
        #expect(quantile("0.25", b) == -1)
    }

    @Test func groupsByAllLabelsButLeAndDropsTheName() {
        let all = histogram([("0.1", 1), ("+Inf", 2)], extra: ["op": "a"]) + histogram([("1", 2), ("+Inf", 4)], extra: ["op": "b"])
            + [series("h_bucket", ["op": "c"], [(0, 1)])]  // no le: skipped
        let result = engine(all).vector("histogram_quantile(0.5, h_bucket)", at: 0)
        #expect(result.map(\.labels) == [labels("", ["op": "a"]), labels("", ["op": "b"])])
        #expect(close(result.first?.value, 0.1))
        #expect(close(result.last?.value, 1))
    }

    @Test func quantileOfSummedRatesAsDashboardsUseIt() {
        // Two instances, 15 s scrapes; rates per bucket summed by le.
        var all: [InMemorySeries] = []
        for instance in ["i1", "i2"] {
            for (le, perScrape) in [("0.1", 1.0), ("0.5", 3), ("+Inf", 4)] {
                all.append(regular("lat_bucket", ["instance": instance, "le": le], start: 0, every: 15,
                                   (0..<9).map { Double($0) * perScrape }))
            }
        }
        let e = engine(all)
        // Per bucket rate = perScrape / 15 per instance; sums 2/15, 6/15, 8/15. φ 0.5 → rank 4/15 in (0.1, 0.5]:
        // 0.1 + 0.4 × (4 − 2)/(6 − 2) = 0.3.
        #expect(close(e.value("histogram_quantile(0.5, sum(rate(lat_bucket[1m])) by (le))", at: 120), 0.3))
    }

    @Test func emptyBucketsOverAWindowWithoutTrafficGiveNaN() {
        let all = [("0.1", 0.0), ("+Inf", 0.0)].map { le, _ in regular("idle_bucket", ["le": le], start: 0, every: 15, [5, 5, 5, 5, 5]) }
        #expect(engine(all).value("histogram_quantile(0.9, sum by (le) (rate(idle_bucket[1m])))", at: 60)?.isNaN == true)
    }

    @Test func twoMetricNamesWithTheSameLabelsCollide() {
        let all = histogram([("1", 1), ("+Inf", 2)], name: "a_bucket") + histogram([("1", 1), ("+Inf", 2)], name: "b_bucket")
        let error = engine(all).failure(#"histogram_quantile(0.5, {__name__=~"a_bucket|b_bucket"})"#, at: 0)
        #expect(error?.description.hasPrefix("vector cannot contain metrics with the same labelset") == true)
    }
}
