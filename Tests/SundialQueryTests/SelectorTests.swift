import SundialStorage
import Testing
@testable import SundialQuery

@Suite struct SelectorTests {
    let gauge = engine([series("g", ["a": "1"], [(0, 1), (60, 2)])])

    @Test func instantSelectorTakesTheLatestSampleAtOrBeforeT() {
        #expect(gauge.value("g", at: 0) == 1)
        #expect(gauge.value("g", at: 59.999) == 1)
        #expect(gauge.value("g", at: 60) == 2)
        #expect(gauge.vector("g", at: -0.001).isEmpty)
        // The result keeps the metric name and carries the evaluation time.
        let sample = gauge.vector("g", at: 100).first
        #expect(sample?.labels == labels("g", ["a": "1"]))
        #expect(sample?.timestampMs == 100_000)
    }

    @Test func lookbackIncludesASampleExactlyFiveMinutesOld() {
        #expect(gauge.value("g", at: 360) == 2)  // 60 + 300: exactly 5 m old, still counts
        #expect(gauge.vector("g", at: 360.001).isEmpty)  // 1 ms older: gone
        var options = QueryOptions()
        options.lookbackDeltaMs = 60_000
        let short = engine([series("g", [(0, 1)])], options: options)
        #expect(short.value("g", at: 60) == 1)
        #expect(short.vector("g", at: 60.001).isEmpty)
    }

    @Test func staleMarkerHidesTheSeriesUntilTheNextSample() {
        let e = engine([series("s", [(0, 1), (15, StaleMarker.value), (30, 3)]), series("other", [(0, 5)])])
        #expect(e.value("s", at: 10) == 1)
        #expect(e.vector("s", at: 15).isEmpty)
        #expect(e.vector("s", at: 29).isEmpty)
        #expect(e.value("s", at: 30) == 3)
        // Range functions skip the marker: [0, 30] holds 1 and 3.
        #expect(e.value("count_over_time(s[30s])", at: 30) == 2)
        #expect(e.value("sum_over_time(s[30s])", at: 30) == 4)
        // A stale marker at the very end leaves nothing to select at all.
        let ended = engine([series("s", [(0, 1), (15, StaleMarker.value)])])
        #expect(ended.vector("s", at: 100).isEmpty)
        #expect(ended.value("count_over_time(s[1m])", at: 30) == 1)
    }

    @Test func aPlainNaNIsAValueNotAMarker() {
        let e = engine([series("n", [(0, .nan)])])
        #expect(e.value("n", at: 1)?.isNaN == true)
    }

    @Test func rangeSelectorReturnsRawSamplesClosedAtBothEnds() throws {
        let e = engine([regular("r", start: 0, every: 10, [0, 1, 2, 3, 4, 5, 6])])
        guard case let .matrix(series) = try e.instant("r[30s]", atMs: 40_000) else {
            Issue.record("not a matrix")
            return
        }
        #expect(series.first?.samples.map(\.timestampMs) == [10_000, 20_000, 30_000, 40_000])
        #expect(series.first?.labels.metricName == "r")
    }

    @Test func offsetLooksBack() {
        let e = engine([regular("o", start: 0, every: 60, [1, 2, 3, 4])])
        #expect(e.value("o offset 1m", at: 180) == 3)
        #expect(e.value("o offset -1m", at: 60) == 3)
        #expect(e.value("sum_over_time(o[1m] offset 2m)", at: 180) == 3)  // [0, 60] → 1 + 2
    }

    @Test func atModifierPinsTheEvaluationTime() throws {
        let e = engine([regular("p", start: 0, every: 60, [1, 2, 3, 4])])
        #expect(e.value("p @ 60", at: 1000) == 2)  // pinned to 60 s, far from the evaluation time
        #expect(e.value("p @ 60", at: 179) == 2)
        #expect(e.value("p @ 120 offset 1m", at: 0) == 2)
        let range = try e.range("p @ start()", startMs: 60_000, endMs: 180_000, stepMs: 60_000)
        #expect(range.matrix.first?.samples.map(\.value) == [2, 2, 2])
        let end = try e.range("sum_over_time(p[1m] @ end())", startMs: 0, endMs: 180_000, stepMs: 60_000)
        #expect(end.matrix.first?.samples.map(\.value) == [7, 7, 7, 7])
    }

    @Test func regexAndNameMatchers() {
        let e = engine([
            series("service_errors_a", ["op": "x"], [(0, 1)]),
            series("service_errors_b", ["op": "y"], [(0, 2)]),
            series("service_requests", ["op": "x"], [(0, 3)]),
        ])
        #expect(e.vector(#"{__name__=~"service_errors_.*"}"#, at: 1).map(\.value) == [1, 2])
        #expect(e.vector(#"{__name__=~"service_.*", op!="x"}"#, at: 1).map(\.value) == [2])
        #expect(e.vector(#"{op=~"x|y", __name__!~".*errors.*"}"#, at: 1).map(\.value) == [3])
        #expect(e.vector(#"service_requests{missing=""}"#, at: 1).count == 1)
    }
}
