import SundialStorage
import Testing
@testable import SundialQuery

@Suite struct BinaryOperatorTests {
    let e = engine([
        series("errors", ["op": "a", "ns": "x"], [(0, 1)]),
        series("errors", ["op": "b", "ns": "x"], [(0, 0)]),
        series("requests", ["op": "a", "ns": "x"], [(0, 10)]),
        series("requests", ["op": "b", "ns": "x"], [(0, 0)]),
        series("requests", ["op": "c", "ns": "x"], [(0, 5)]),
        series("limit", ["ns": "x", "tier": "gold"], [(0, 100)]),
        series("limit", ["ns": "y", "tier": "free"], [(0, 50)]),
        series("up", ["job": "j"], [(0, 1)]),
    ])

    @Test func scalarArithmeticAndComparisons() {
        #expect(e.value("1 + 2 * 3", at: 0) == 7)
        #expect(e.value("2 ^ 3 ^ 2", at: 0) == 512)
        #expect(e.value("-2 ^ 2", at: 0) == -4)
        #expect(e.value("7 % 3", at: 0) == 1)
        #expect(e.value("-7 % 3", at: 0) == -1)
        #expect(e.value("0 / 0", at: 0)?.isNaN == true)
        #expect(e.value("1 / 0", at: 0) == .infinity)
        #expect(e.value("-1 / 0", at: 0) == -.infinity)
        #expect(e.value("1 < bool 2", at: 0) == 1)
        #expect(e.value("NaN == bool NaN", at: 0) == 0)
        #expect(close(e.value("1 atan2 1", at: 0), Double.pi / 4))
    }

    @Test func oneToOneMatchingOnAllLabelsDropsTheName() {
        let ratio = e.vector("errors / requests", at: 0)
        #expect(ratio.map(\.labels) == [labels("", ["op": "a", "ns": "x"]), labels("", ["op": "b", "ns": "x"])])
        #expect(ratio.first?.value == 0.1)
        #expect(ratio.last?.value.isNaN == true)  // 0/0 = NaN; requests{op="c"} has no partner and is dropped
    }

    @Test func comparisonsFilterAndKeepTheName() {
        #expect(e.vector("requests > 4", at: 0).map(\.labels.metricName) == ["requests", "requests"])
        #expect(e.vector("requests > 4", at: 0).map(\.value) == [10, 5])
        // Scalar on the left: the vector's value is kept.
        #expect(e.vector("4 < requests", at: 0).map(\.value) == [10, 5])
        let flags = e.vector("requests > bool 4", at: 0)
        #expect(flags.map(\.value) == [1, 0, 1])
        #expect(flags.allSatisfy { $0.labels.metricName.isEmpty })
        #expect(e.vector("errors == requests", at: 0).map(\.value) == [0])
    }

    @Test func onAndIgnoringChooseTheMatchingLabels() {
        let on = e.vector("requests * on(ns) group_left(tier) limit", at: 0)
        #expect(on.map(\.labels) == [
            labels("", ["op": "a", "ns": "x", "tier": "gold"]),
            labels("", ["op": "b", "ns": "x", "tier": "gold"]),
            labels("", ["op": "c", "ns": "x", "tier": "gold"]),
        ])
        #expect(on.map(\.value) == [1000, 0, 500])
        let ignoring = e.vector("errors / ignoring(op) group_left limit", at: 0)
        #expect(ignoring.isEmpty)  // limit has a tier label, so signatures differ
        let oneToOne = e.vector(#"sum by (ns) (requests) / on(ns) limit"#, at: 0)
        #expect(oneToOne.map(\.labels) == [labels("", ["ns": "x"])])
        #expect(oneToOne.first?.value == 0.15)
    }

    @Test func groupRightKeepsTheRightLabelsAndTheLeftValue() {
        let r = e.vector("limit * on(ns) group_right requests", at: 0)
        #expect(r.count == 3 && r.allSatisfy { $0.labels["op"] != nil && $0.labels["tier"] == nil })
        #expect(r.map(\.value) == [1000, 0, 500])
        let filter = e.vector("limit > on(ns) group_right requests", at: 0)
        #expect(filter.map(\.value) == [100, 100, 100])  // comparisons keep the left ("one") value
    }

    @Test func manyToManyMatchingIsRefused() {
        let error = e.failure("limit + on(ns) requests", at: 0)
        #expect(error?.description.hasPrefix(#"found duplicate series for the match group {ns="x"} on the right hand-side of the operation"#) == true)
        #expect(error?.description.contains("many-to-many matching not allowed") == true)
        let left = e.failure("requests * on(ns) group_right limit", at: 0)
        #expect(left?.description.contains("on the left hand-side") == true)
        let multiple = e.failure("requests + on(ns) limit", at: 0)
        #expect(multiple?.description.hasPrefix("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)") == true)
        let grouping = e.failure(#"{__name__=~"errors|requests", op="a"} * on(ns) group_left limit"#, at: 0)
        #expect(grouping?.description.hasPrefix("multiple matches for labels: grouping labels must ensure unique matches") == true)
    }

    @Test func setOperators() {
        #expect(e.vector("requests and errors", at: 0).map(\.labels["op"]) == ["a", "b"])
        #expect(e.vector("requests unless errors", at: 0).map(\.labels["op"]) == ["c"])
        #expect(e.vector("errors or requests", at: 0).map(\.labels.metricName) == ["errors", "errors", "requests"])
        #expect(e.vector("requests and on(ns) limit", at: 0).count == 3)
        #expect(e.vector("requests unless on(ns) limit", at: 0).isEmpty)
        #expect(e.vector("nothing or requests", at: 0).count == 3)
        #expect(e.vector("requests unless nothing", at: 0).count == 3)
        #expect(e.vector("requests and nothing", at: 0).isEmpty)
    }

    @Test func orOnVectorZeroFillsAMissingSum() {
        #expect(e.value("sum(rate(nothing[5m])) OR on() vector(0)", at: 0) == 0)
        #expect(e.vector("sum(requests) OR on() vector(0)", at: 0).map(\.value) == [15])
        #expect(close(e.value("100 - (sum(errors OR on() vector(0)) / sum(requests) * 100)", at: 0), 100 - 100.0 / 15))
    }

    @Test func vectorScalarArithmeticDropsTheNameAndCanCollide() {
        let scaled = e.vector("requests * 2", at: 0)
        #expect(scaled.map(\.value) == [20, 0, 10] && scaled.allSatisfy { $0.labels.metricName.isEmpty })
        // Two metrics that differ only by name collide once the name is dropped.
        let error = e.failure(#"{__name__=~"errors|requests", op="a"} * 1"#, at: 0)
        #expect(error?.description.hasPrefix("vector cannot contain metrics with the same labelset") == true)
        #expect(e.vector(#"-{__name__=~"up"}"#, at: 0).map(\.value) == [-1])
        #expect(e.failure(#"-{__name__=~"errors|requests", op="a"}"#, at: 0) != nil)
    }
}
