@testable import SundialQuery
import SundialStorage
import Testing

/// The grouping table behind `sum by (…)` and the folded `histogram_quantile`.
@Suite struct TupleIndexTests {
    @Test func numbersTuplesInTheOrderTheyFirstAppear() {
        var index = TupleIndex<String>(width: 2)
        let names = ["operation", "le"]
        let a = LabelSet(name: "x", ["operation": "Get", "le": "1"])
        let b = LabelSet(name: "x", ["operation": "Get", "le": "2"])
        let c = LabelSet(name: "y", ["operation": "Put", "le": "1", "other": "z"])
        #expect(index.number(of: a, names: names) == (0, true))
        #expect(index.number(of: b, names: names) == (1, true))
        #expect(index.number(of: a, names: names) == (0, false))
        #expect(index.number(of: c, names: names) == (2, true))
        // Other labels and the metric name play no part.
        #expect(index.number(of: LabelSet(name: "z", ["operation": "Put", "le": "1"]), names: names) == (2, false))
        #expect(index.count == 3)
        #expect(index.value(0, ofTuple: 2) == "Put")
        #expect(index.value(1, ofTuple: 1) == "2")
    }

    @Test func anAbsentLabelIsTheEmptyValue() {
        var index = TupleIndex<String>(width: 1)
        let names = ["namespace"]
        #expect(index.number(of: LabelSet(name: "x"), names: names) == (0, true))
        #expect(index.number(of: LabelSet(name: "y", ["other": "1"]), names: names) == (0, false))
        #expect(index.number(of: CollectionOfOne("")) == (0, false))
        #expect(index.number(of: LabelSet(name: "x", ["namespace": "prod"]), names: names) == (1, true))
    }

    /// Values that run into each other do not make equal tuples: ("ab", "c") is not ("a", "bc"), and long
    /// values differing only past their first eight bytes are told apart.
    @Test func tuplesAreComparedValueByValue() {
        var index = TupleIndex<String>(width: 2)
        #expect(index.number(of: ["ab", "c"]).inserted)
        #expect(index.number(of: ["a", "bc"]).inserted)
        #expect(index.number(of: ["abc", ""]).inserted)
        #expect(index.number(of: ["persistence_latency_1", "x"]).inserted)
        #expect(index.number(of: ["persistence_latency_2", "x"]).inserted)
        #expect(index.number(of: ["persistence_latency_2", "x"]) == (4, false))
        #expect(index.count == 5)
    }

    /// Thousands of tuples, of strings and of symbol numbers (which hash differently): the table grows
    /// (from a small reservation and from none) and every tuple keeps its number, against a dictionary.
    @Test func growingKeepsEveryNumber() {
        for reserved in [0, 10, 5000] {
            var strings = TupleIndex<String>(width: 2, capacity: reserved)
            var numbers = TupleIndex<UInt32>(width: 2, capacity: reserved)
            var expected: [[String]: Int] = [:]
            for round in 0..<2 {
                for i in 0..<3000 {
                    let tuple = ["Operation\(i % 300)", "\(i / 300)"]
                    let (number, inserted) = strings.number(of: tuple)
                    let symbolic = numbers.number(of: [UInt32(i % 300), UInt32(i / 300)])
                    #expect(symbolic.number == number && symbolic.inserted == inserted)
                    if let known = expected[tuple] {
                        #expect(number == known && !inserted)
                    } else {
                        #expect(round == 0 && inserted && number == expected.count)
                        expected[tuple] = number
                    }
                }
            }
            #expect(strings.count == 3000 && numbers.count == 3000)
            for (tuple, number) in expected {
                #expect(strings.value(0, ofTuple: number) == tuple[0] && strings.value(1, ofTuple: number) == tuple[1])
            }
        }
    }

    /// Number tuples that differ in one place, or only in order, are different tuples.
    @Test func numberTuplesAreComparedInOrder() {
        var index = TupleIndex<UInt32>(width: 3)
        #expect(index.number(of: [1, 2, 3]) == (0, true))
        #expect(index.number(of: [3, 2, 1]) == (1, true))
        #expect(index.number(of: [1, 2, UInt32.max]) == (2, true))
        #expect(index.number(of: [1, 2, 3]) == (0, false))
        #expect(index.value(2, ofTuple: 2) == UInt32.max)
    }
}
