import SundialStorage
import Testing
@testable import SundialQuery

@Suite struct OverTimeTests {
    // 1, 4, 2, 8, 5 at 0, 10, 20, 30, 40 s.
    let e = engine([regular("v", ["k": "1"], start: 0, every: 10, [1, 4, 2, 8, 5])])

    @Test func aggregatesOverTheWindow() {
        #expect(e.value("avg_over_time(v[40s])", at: 40) == 4)
        #expect(e.value("sum_over_time(v[40s])", at: 40) == 20)
        #expect(e.value("min_over_time(v[40s])", at: 40) == 1)
        #expect(e.value("max_over_time(v[40s])", at: 40) == 8)
        #expect(e.value("count_over_time(v[40s])", at: 40) == 5)
        #expect(e.value("last_over_time(v[40s])", at: 40) == 5)
        #expect(e.value("present_over_time(v[40s])", at: 40) == 1)
        // Population variance of 1 4 2 8 5: mean 4, squared deviations 9 0 4 16 1 → 30 / 5 = 6.
        #expect(close(e.value("stdvar_over_time(v[40s])", at: 40), 6))
        #expect(close(e.value("stddev_over_time(v[40s])", at: 40), 6.0.squareRoot()))
        // Sorted 1 2 4 5 8; φ = 0.5 → rank 2 → 4; φ = 0.9 → rank 3.6 → 5 + 0.6·3 = 6.8.
        #expect(e.value("quantile_over_time(0.5, v[40s])", at: 40) == 4)
        #expect(close(e.value("quantile_over_time(0.9, v[40s])", at: 40), 6.8))
        #expect(e.value("quantile_over_time(2, v[40s])", at: 40) == .infinity)
        #expect(e.value("quantile_over_time(-1, v[40s])", at: 40) == -.infinity)
        #expect(e.value("changes(v[40s])", at: 40) == 4)
        #expect(e.value("resets(v[40s])", at: 40) == 2)
    }

    @Test func lastOverTimeKeepsTheMetricNameOthersDropIt() {
        #expect(e.vector("last_over_time(v[1m])", at: 40).first?.labels == labels("v", ["k": "1"]))
        #expect(e.vector("max_over_time(v[1m])", at: 40).first?.labels == labels("", ["k": "1"]))
    }

    @Test func nanHandlingFollowsPrometheus() {
        let n = engine([regular("n", start: 0, every: 10, [.nan, 3, 1])])
        // max/min replace a NaN running value, then ignore later NaNs.
        #expect(n.value("max_over_time(n[20s])", at: 20) == 3)
        #expect(n.value("min_over_time(n[20s])", at: 20) == 1)
        #expect(n.value("avg_over_time(n[20s])", at: 20)?.isNaN == true)
        // changes treats NaN → NaN as no change.
        let c = engine([regular("c", start: 0, every: 10, [.nan, .nan, 1])])
        #expect(c.value("changes(c[20s])", at: 20) == 1)
    }

    @Test func infiniteValuesKeepTheMeanInfinite() {
        let i = engine([regular("i", start: 0, every: 10, [1, .infinity, 3])])
        #expect(i.value("avg_over_time(i[20s])", at: 20) == .infinity)
        #expect(i.value("sum_over_time(i[20s])", at: 20) == .infinity)
    }

    @Test func derivAndPredictLinear() {
        let lin = engine([regular("l", start: 0, every: 10, [0, 10, 20, 30])])
        #expect(close(lin.value("deriv(l[30s])", at: 30), 1))
        #expect(close(lin.value("predict_linear(l[30s], 60)", at: 30), 90))
        #expect(lin.value("deriv(l[5s])", at: 30) == nil)
    }

    @Test func holtWintersSmoothsAndRejectsBadFactors() {
        let h = engine([regular("h", start: 0, every: 10, [1, 2, 3, 4])])
        // A straight line stays on the line with any factors.
        #expect(close(h.value("holt_winters(h[30s], 0.5, 0.5)", at: 30), 4))
        let error = h.failure("holt_winters(h[30s], 1, 0.5)", at: 30)
        #expect(error?.description.contains("invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000") == true)
    }

    @Test func absentOverTimeMarksStepsWithoutData() throws {
        #expect(e.vector("absent_over_time(v[10s])", at: 40).isEmpty)
        let missing = e.vector(#"absent_over_time(nope{job="a", x=~"y"}[10s])"#, at: 40)
        #expect(missing.map(\.labels) == [labels("", ["job": "a"])])
        #expect(missing.first?.value == 1)
        let range = try e.range("absent_over_time(v[5s])", startMs: 40_000, endMs: 100_000, stepMs: 20_000)
        #expect(range.matrix.first?.samples.map(\.timestampMs) == [60_000, 80_000, 100_000])
    }

    @Test func subqueriesEvaluateTheInnerExpressionOnAlignedSteps() throws {
        // Inner steps at multiples of 10 s inside [0, 40]: v at 0..40 → 1 4 2 8 5 → max 8.
        #expect(e.value("max_over_time(v[40s:10s])", at: 40) == 8)
        // Inner steps every 20 s: 0, 20, 40 → 1, 2, 5.
        #expect(e.value("sum_over_time(v[40s:20s])", at: 40) == 8)
        // rate over a subquery of a counter.
        let c = engine([regular("c", start: 0, every: 10, [0, 10, 20, 30, 40, 50, 60])])
        #expect(close(c.value("max_over_time(rate(c[20s])[30s:10s])", at: 60), 1))
        // A bare subquery is a matrix of the inner points.
        guard case let .matrix(m) = try e.instant("v[20s:10s]", atMs: 40_000) else {
            Issue.record("not a matrix")
            return
        }
        #expect(m.first?.samples.map(\.value) == [2, 8, 5])
    }
}
