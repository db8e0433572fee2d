import SundialStorage
import Testing
@testable import SundialQuery

/// Results sorted through byte keys come out in exactly the order `LabelSet`'s `<` gives, ASCII or not.
@Suite struct LabelOrderTests {
    /// Names and values chosen to meet at every edge of the encoding: prefixes of each other, a name equal to a
    /// value, label sets that begin one another, and (in the second half) characters beyond ASCII, where the
    /// sort falls back to `LabelSet`'s `<`.
    static func randomLabelSets(seed: UInt64, count: Int, ascii: Bool) -> [LabelSet] {
        var rng = SeededRandom(seed: seed)
        let names = ["a", "ab", "b", "le", "operation", "__name__", "A", "z_"]
        var values = ["a", "ab", "abc", "b", "0.5", "+Inf", "Get", "GetWorkflow", "GetWorkflowExecution", "x y", "Z"]
        if !ascii { values += ["é", "e\u{301}", "ä", "Ω", "a\u{0}b"] }
        return (0..<count).map { _ in
            let width = Int(rng.next() % 4)
            var labels: [Label] = []
            for _ in 0..<width {
                labels.append(Label(names[Int(rng.next() % UInt64(names.count))], values[Int(rng.next() % UInt64(values.count))]))
            }
            return LabelSet(labels)
        }
    }

    @Test(arguments: [true, false])
    func sortsAsLabelSetsCompare(ascii: Bool) {
        for seed in UInt64(1)...40 {
            let sets = Self.randomLabelSets(seed: seed, count: 60, ascii: ascii)
            // Positions attached, so that equal label sets show whether their order was kept.
            let items = Array(sets.enumerated())
            let expected = items.sorted { $0.element < $1.element || (!($1.element < $0.element) && $0.offset < $1.offset) }
            let sorted = LabelOrder.sorted(items) { $0.element }
            #expect(sorted.map(\.offset) == expected.map(\.offset), "seed \(seed), ascii \(ascii)")
        }
    }

    @Test func keysExistOnlyForASCIIWithoutZeroBytes() {
        #expect(LabelOrder.byteKey(LabelSet([Label("a", "b")])) == Array("a\u{0}b\u{0}".utf8))
        #expect(LabelOrder.byteKey(LabelSet([Label("a", "é")])) == nil)
        #expect(LabelOrder.byteKey(LabelSet([Label("a", "x\u{0}y")])) == nil)
    }
}
