import SundialStorage
import Testing
@testable import SundialQuery

@Suite struct AggregationTests {
    let e = engine([
        series("m", ["op": "a", "ns": "x", "instance": "1"], [(0, 1)]),
        series("m", ["op": "a", "ns": "y", "instance": "2"], [(0, 3)]),
        series("m", ["op": "b", "ns": "x", "instance": "1"], [(0, 5)]),
        series("m", ["op": "b", "ns": "y", "instance": "2"], [(0, 11)]),
        series("other_m", ["op": "a"], [(0, 100)]),
    ])

    @Test func simpleAggregations() {
        #expect(e.value("sum(m)", at: 0) == 20)
        #expect(e.value("avg(m)", at: 0) == 5)
        #expect(e.value("min(m)", at: 0) == 1)
        #expect(e.value("max(m)", at: 0) == 11)
        #expect(e.value("count(m)", at: 0) == 4)
        #expect(e.value("group(m)", at: 0) == 1)
        // Values 1 3 5 11: mean 5, squared deviations 16 4 0 36 → 56/4 = 14.
        #expect(close(e.value("stdvar(m)", at: 0), 14))
        #expect(close(e.value("stddev(m)", at: 0), 14.0.squareRoot()))
        // Sorted 1 3 5 11, φ 0.5 → rank 1.5 → 4.
        #expect(e.value("quantile(0.5, m)", at: 0) == 4)
        #expect(e.vector("sum(m)", at: 0).first?.labels == LabelSet([]))
    }

    /// Prometheus takes a group's first value as it is and adds the rest: a lone -0 sums to -0, and
    /// -0 + 0 to +0.
    @Test func sumKeepsTheSignOfALoneNegativeZero() {
        let zeros = engine([
            series("z", ["k": "a"], [(0, -0.0)]),
            series("z", ["k": "b"], [(0, -0.0)]),
            series("z", ["k": "c"], [(0, 0.0)]),
        ])
        #expect(zeros.value(#"sum(z{k="a"})"#, at: 0)?.sign == .minus)
        #expect(zeros.value(#"sum(z{k=~"a|b"})"#, at: 0)?.sign == .minus)
        #expect(zeros.value("sum(z)", at: 0)?.sign == .plus)
    }

    @Test func byAndWithout() {
        let byOp = e.vector("sum by (op) (m)", at: 0)
        #expect(byOp.map(\.labels) == [labels("", ["op": "a"]), labels("", ["op": "b"])])
        #expect(byOp.map(\.value) == [4, 16])
        #expect(e.vector("sum(m) by (op)", at: 0).map(\.value) == [4, 16])
        let without = e.vector("sum without (instance, ns) (m)", at: 0)
        #expect(without.map(\.labels) == [labels("", ["op": "a"]), labels("", ["op": "b"])])
        // Grouping by __name__ keeps the name; `without` always drops it.
        let byName = e.vector(#"sum by (__name__) ({__name__=~"m|other_m"})"#, at: 0)
        #expect(byName.map(\.labels.metricName) == ["m", "other_m"])
        #expect(e.vector("max without () (m)", at: 0).allSatisfy { $0.labels.metricName.isEmpty })
        // A missing grouping label groups as empty.
        #expect(e.vector("count by (missing) (m)", at: 0).map(\.value) == [4])
    }

    @Test func topkAndBottomkKeepLabelsAndPickLikeGosHeap() {
        let top = e.vector("topk(2, m)", at: 0)
        #expect(top.map(\.value).sorted() == [5, 11])
        #expect(top.allSatisfy { $0.labels.metricName == "m" })
        #expect(e.vector("bottomk(1, m)", at: 0).map(\.value) == [1])
        #expect(e.vector("topk by (op) (1, m)", at: 0).map(\.value).sorted() == [3, 11])
        #expect(e.vector("topk(0, m)", at: 0).isEmpty)
        #expect(e.vector("topk(100, m)", at: 0).count == 4)
        // NaN is the weakest for both topk and bottomk.
        let withNaN = engine([series("n", ["i": "1"], [(0, .nan)]), series("n", ["i": "2"], [(0, 1)]), series("n", ["i": "3"], [(0, 2)])])
        #expect(withNaN.vector("topk(1, n)", at: 0).map(\.value) == [2])
        #expect(withNaN.vector("bottomk(1, n)", at: 0).map(\.value) == [1])
        #expect(e.failure("topk(NaN, m)", at: 0)?.description.hasPrefix("Scalar value NaN overflows int64") == true)
    }

    @Test func countValuesTurnsValuesIntoLabels() {
        let v = engine([
            series("build", ["i": "1"], [(0, 1)]), series("build", ["i": "2"], [(0, 1)]),
            series("build", ["i": "3"], [(0, 2.5)]), series("build", ["i": "4"], [(0, 1e21)]),
        ])
        let counted = v.vector(#"count_values("version", build)"#, at: 0)
        #expect(counted.map(\.labels) == [
            labels("", ["version": "1"]), labels("", ["version": "1000000000000000000000"]), labels("", ["version": "2.5"]),
        ])
        #expect(counted.map(\.value) == [2, 1, 1])
        #expect(v.failure(#"count_values("bad-name", build)"#, at: 0)?.description.hasPrefix(#"invalid label name "bad-name""#) == true)
    }

    @Test func aggregatingAcrossStepsWithGaps() throws {
        let gappy = engine([
            series("g", ["i": "1"], [(0, 1), (60, 1)]),
            series("g", ["i": "2"], [(60, 2)]),
        ])
        let result = try gappy.range("sum(g)", startMs: 0, endMs: 60_000, stepMs: 60_000)
        #expect(result.matrix.first?.samples.map(\.value) == [1, 3])
        let avg = try gappy.range("avg(g)", startMs: 0, endMs: 60_000, stepMs: 60_000)
        #expect(avg.matrix.first?.samples.map(\.value) == [1, 1.5])
    }

    @Test func avgOfInfinitiesStaysInfinite() {
        let inf = engine([series("i", ["k": "1"], [(0, .infinity)]), series("i", ["k": "2"], [(0, 5)])])
        #expect(inf.value("avg(i)", at: 0) == .infinity)
        let mixed = engine([series("i", ["k": "1"], [(0, .infinity)]), series("i", ["k": "2"], [(0, -.infinity)])])
        #expect(mixed.value("avg(i)", at: 0)?.isNaN == true)
    }
}
