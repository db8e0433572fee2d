import Testing
@testable import SundialStorage

@Suite struct LabelSetTests {
    @Test func labelsAreSortedByNameAndEmptyValuesDropped() {
        let set = LabelSet([Label("z", "1"), Label("__name__", "m"), Label("a", ""), Label("b", "2")])
        #expect(set.labels.map(\.name) == ["__name__", "b", "z"])
        #expect(set.metricName == "m")
        #expect(set["b"] == "2")
        #expect(set["a"] == nil)
    }

    @Test func repeatedNameKeepsTheLastValue() {
        let set = LabelSet([Label("a", "1"), Label("a", "2")])
        #expect(set.labels == [Label("a", "2")])
    }

    @Test func descriptionEscapesValuesLikePrometheus() {
        let set = LabelSet(name: "m", ["k": "a\"b\\c\nd"])
        #expect(set.description == #"m{k="a\"b\\c\nd"}"#)
    }
}
