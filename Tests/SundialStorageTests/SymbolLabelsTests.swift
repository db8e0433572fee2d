@testable import SundialStorage
import Testing

/// A block's series carry their labels as symbol numbers; selections order and compare by them.
@Suite struct SymbolLabelsTests {
    @Test func aTableFindsItsSymbolsAndKnowsWhetherItIsOrdered() {
        let table = SymbolTable(["__name__", "a", "b", "le", "operation", "x"])
        #expect(table.isStrictlyOrdered)
        #expect(table.number(of: "__name__") == 0 && table.number(of: "le") == 3 && table.number(of: "x") == 5)
        #expect(table.number(of: "c") == nil && table.number(of: "") == nil && table.number(of: "z") == nil)
        #expect(!SymbolTable(["a", "c", "b"]).isStrictlyOrdered)
        #expect(!SymbolTable(["a", "b", "b"]).isStrictlyOrdered)
        #expect(SymbolTable([]).isStrictlyOrdered)
    }

    @Test func symbolLabelsReadAsTheirLabelSet() {
        let table = SymbolTable(["__name__", "Get", "latency_bucket", "le", "operation", "0.5"].sorted())
        func number(_ s: String) -> UInt32 { table.number(of: s) ?? .max }
        let labels = SymbolLabels(table: table, pairs: [number("__name__"), number("latency_bucket"), number("le"), number("0.5"),
                                                        number("operation"), number("Get")])
        #expect(labels.labelSet == LabelSet(name: "latency_bucket", ["le": "0.5", "operation": "Get"]))
        #expect(labels.value(ofName: number("operation")) == number("Get"))
        #expect(labels.value(ofName: number("0.5")) == nil)
    }

    /// A selection from one block lists its series in label order whether or not it compares them by
    /// numbers; the numbers and the label sets agree on that order.
    @Test func aBlockSelectionIsInLabelOrder() throws {
        let dir = TemporaryDirectory("symbol-labels")
        defer { dir.remove() }
        let store = try Store.open(at: dir.path)
        defer { store.close() }
        var batch = Batch()
        var rng = SeededRandom(seed: 5)
        for i in 0..<300 {
            let labels = LabelSet(name: i % 3 == 0 ? "b_total" : "a_total",
                                  ["operation": "op\(Int.random(in: 0..<50, using: &rng))", "shard": "\(i)"])
            let ref = try store.reference(for: labels)
            batch.append(ref, timestampMs: 1_000, value: Double(i))
        }
        try store.commit(batch)
        try store.flush()
        let selected = try store.snapshot().select([try LabelMatcher(.regex, "__name__", ".+_total")])
        #expect(selected.count == 300)
        #expect(selected.allSatisfy { $0.symbolLabels != nil })
        #expect(zip(selected, selected.dropFirst()).allSatisfy { $0.labels < $1.labels })
        // Numbers order as the strings do, so a selection from one block is taken in the block's order.
        let numbered = selected.compactMap(\.symbolLabels)
        #expect(zip(numbered, numbered.dropFirst()).allSatisfy { $0.precedes($1) })
        #expect(!zip(numbered.dropFirst(), numbered).allSatisfy { $0.precedes($1) })
        #expect(selected.first?.selection.sharedSymbolTable != nil)
    }
}
