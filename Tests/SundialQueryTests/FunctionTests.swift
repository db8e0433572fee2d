import SundialStorage
import Testing
@testable import SundialQuery

@Suite struct FunctionTests {
    let e = engine([
        series("v", ["k": "a"], [(0, -2.5)]),
        series("v", ["k": "b"], [(0, 0.4)]),
        series("v", ["k": "c"], [(0, 7)]),
        series("info", ["src": "us-east-1", "a": "x", "b": "y"], [(0, 1)]),
        series("clock", [(0, 86_400 * 365 + 3_600 * 5 + 60 * 7)]),  // 1971-01-01 05:07 UTC
    ])

    @Test func elementWiseMathDropsTheName() {
        #expect(e.vector("abs(v)", at: 0).map(\.value) == [2.5, 0.4, 7])
        #expect(e.vector("abs(v)", at: 0).allSatisfy { $0.labels.metricName.isEmpty })
        #expect(e.vector("ceil(v)", at: 0).map(\.value) == [-2, 1, 7])
        #expect(e.vector("floor(v)", at: 0).map(\.value) == [-3, 0, 7])
        #expect(e.vector("round(v)", at: 0).map(\.value) == [-2, 0, 7])  // ties round up: -2.5 → -2
        #expect(e.vector("round(v, 5)", at: 0).map(\.value) == [-0.0, 0, 5])
        #expect(e.vector("sgn(v)", at: 0).map(\.value) == [-1, 1, 1])
        #expect(e.vector("clamp(v, 0, 1)", at: 0).map(\.value) == [0, 0.4, 1])
        #expect(e.vector("clamp(v, 1, 0)", at: 0).isEmpty)
        #expect(e.vector("clamp_min(v, 0)", at: 0).map(\.value) == [0, 0.4, 7])
        #expect(e.vector("clamp_max(v, 0)", at: 0).map(\.value) == [-2.5, 0, 0])
        #expect(close(e.vector("exp(v)", at: 0).last?.value, 1096.6331584284585))
        #expect(e.vector("sqrt(v)", at: 0).first?.value.isNaN == true)
        #expect(e.vector("ln(v)", at: 0).first?.value.isNaN == true)
        #expect(e.value(#"log2(v{k="c"} + 1)"#, at: 0) == 3)
        #expect(close(e.value("ln(exp(vector(2)))", at: 0), 2))
        #expect(close(e.value("sqrt(vector(2.25))", at: 0), 1.5))
        #expect(close(e.value(#"log10(v{k="c"} * 1000 / 7)"#, at: 0), 3))
        #expect(close(e.value(#"deg(vector(pi()))"#, at: 0), 180))
        #expect(close(e.value(#"rad(vector(180))"#, at: 0), Double.pi))
    }

    @Test func scalarVectorTimeAndTimestamp() {
        #expect(e.value("time()", at: 12.5) == 12.5)
        #expect(e.value("vector(time())", at: 3) == 3)
        #expect(e.value(#"scalar(v{k="c"})"#, at: 0) == 7)
        #expect(e.value("scalar(v)", at: 0)?.isNaN == true)  // more than one element
        #expect(e.value("scalar(nothing)", at: 0)?.isNaN == true)
        // timestamp() of a selector is the sample's time; of anything else, the evaluation time.
        let stamped = engine([series("s", [(10, 1)])])
        #expect(stamped.value("timestamp(s)", at: 60) == 10)
        #expect(stamped.value("timestamp(sum(s))", at: 60) == 60)
        #expect(stamped.vector("timestamp(s)", at: 60).first?.labels == LabelSet([]))
    }

    @Test func absentAndSort() {
        #expect(e.vector("absent(v)", at: 0).isEmpty)
        let absent = e.vector(#"absent(nope{job="a", job="b", env="prod", x=~"y"})"#, at: 0)
        #expect(absent.map(\.labels) == [labels("", ["env": "prod"])])
        #expect(absent.first?.value == 1)
        #expect(e.vector("absent(sum(nope))", at: 0).map(\.labels) == [LabelSet([])])
        #expect(e.vector("sort(v)", at: 0).map(\.value) == [-2.5, 0.4, 7])
        #expect(e.vector("sort_desc(v)", at: 0).map(\.value) == [7, 0.4, -2.5])
        let withNaN = engine([series("n", ["i": "1"], [(0, .nan)]), series("n", ["i": "2"], [(0, 1)]), series("n", ["i": "3"], [(0, 2)])])
        #expect(withNaN.vector("sort(n)", at: 0).map(\.labels["i"]) == ["2", "3", "1"])
        #expect(withNaN.vector("sort_desc(n)", at: 0).map(\.labels["i"]) == ["3", "2", "1"])
        #expect(e.vector("sort(v)", at: 0).first?.labels.metricName == "v")
    }

    @Test func labelReplaceAndJoin() {
        let replaced = e.vector(#"label_replace(info, "region", "$1-${2}x", "src", "([a-z]+)-([a-z]+)-.*")"#, at: 0)
        #expect(replaced.first?.labels["region"] == "us-eastx")
        #expect(replaced.first?.labels.metricName == "info")
        // No match: unchanged. Empty result: the label is removed.
        #expect(e.vector(#"label_replace(info, "src", "z", "src", "nomatch")"#, at: 0).first?.labels["src"] == "us-east-1")
        #expect(e.vector(#"label_replace(info, "src", "", "src", ".*")"#, at: 0).first?.labels["src"] == nil)
        // `$1x` names the group "1x", which does not exist; `$$` is a dollar.
        #expect(e.vector(#"label_replace(info, "d", "$1x|$$|${1}x", "a", "(.)")"#, at: 0).first?.labels["d"] == "|$|xx")
        #expect(e.vector(#"label_replace(info, "d", "$name", "a", "(?<name>.)")"#, at: 0).first?.labels["d"] == "x")
        let joined = e.vector(#"label_join(info, "ab", "/", "a", "b", "missing")"#, at: 0)
        #expect(joined.first?.labels["ab"] == "x/y/")
        #expect(e.failure(#"label_replace(info, "1bad", "", "a", "")"#, at: 0)?.description
            == "invalid destination label name in label_replace(): 1bad")
        #expect(e.failure(#"label_replace(info, "d", "", "a", "(")"#, at: 0)?.description
            == "invalid regular expression in label_replace(): (")
        #expect(e.failure(#"label_join(info, "d", "", "b-c")"#, at: 0)?.description == "invalid source label name in label_join(): b-c")
    }

    @Test func dateFunctionsInUTC() {
        #expect(e.value("hour(clock)", at: 0) == 5)
        #expect(e.value("minute(clock)", at: 0) == 7)
        #expect(e.value("year(clock)", at: 0) == 1971)
        #expect(e.value("month(clock)", at: 0) == 1)
        #expect(e.value("day_of_month(clock)", at: 0) == 1)
        #expect(e.value("day_of_week(clock)", at: 0) == 5)  // 1971-01-01 was a Friday
        #expect(e.value("day_of_year(clock)", at: 0) == 1)
        #expect(e.value("days_in_month(clock)", at: 0) == 31)
        // Without an argument: the evaluation time. 2024-02-29 12:00 UTC = 1709208000.
        #expect(e.value("days_in_month()", at: 1_709_208_000) == 29)
        #expect(e.value("day_of_year()", at: 1_709_208_000) == 60)
        #expect(e.value("day_of_week()", at: 1_709_208_000) == 4)
        #expect(e.value("month()", at: 1_709_208_000) == 2)
    }

    @Test func nativeHistogramFunctionsSkipClassicSamples() {
        #expect(e.vector("histogram_count(v)", at: 0).isEmpty)
        #expect(e.vector("histogram_fraction(0, 1, v)", at: 0).isEmpty)
    }
}
