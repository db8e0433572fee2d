import Testing
@testable import SundialStorage

/// A selection over several blocks and the head merges each series' pieces under one entry and lists the
/// series in ``LabelSet`` order (Snapshot+Merge.swift ranks the label strings of every block's symbol table).
@Suite struct SelectionMergeTests {
    /// Label values that sort differently as bytes, as numbers and as `String`s, and series present in only
    /// some of the blocks (each block then has a symbol table of its own).
    static let values = ["a", "B", "b", "ä", "a\u{0308}b", "10", "9", "a-b", "a_b", "zz", "é", "e\u{0301}x", "Z"]

    @Test func seriesOfSeveralBlocksAndTheHeadMergeInLabelOrder() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions()
        options.syncOnCommit = false
        let store = try Store.open(at: dir.path, options: options)
        defer { store.close() }
        let start: Int64 = 1_767_225_600_000
        var written: [LabelSet: [Sample]] = [:]
        // Four 2 h windows, each flushed to a block of its own, then an hour left in the head; series k is in
        // window w when (k + w) % 3 != 0, so every block lists a different set of series.
        for window in 0..<5 {
            var batch = store.makeBatch()
            for (k, value) in Self.values.enumerated() where (k + window) % 3 != 0 || window == 4 {
                let labels = LabelSet(name: k % 2 == 0 ? "m_total" : "m_other", ["v": value, "k": "\(k % 4)"])
                let ref = try store.reference(for: labels)
                for step in 0..<20 {
                    let sample = Sample(timestampMs: start + Int64(window) * 7_200_000 + Int64(step) * 60_000, value: Double(k * 100 + step))
                    batch.append(ref, timestampMs: sample.timestampMs, value: sample.value)
                    written[labels, default: []].append(sample)
                }
            }
            try store.commit(batch)
            if window < 4 { try store.flush() }
        }
        let snapshot = store.snapshot()
        #expect(snapshot.blocks.count >= 4)
        let selection = try snapshot.selection([try LabelMatcher(.regex, "__name__", "m_.*")])
        let labels = selection.series.map(\.labels)
        #expect(labels.count == written.count)
        #expect(zip(labels, labels.dropFirst()).allSatisfy { $0 < $1 }, "\(labels)")
        #expect(Set(labels) == Set(written.keys))
        for series in selection.series {
            #expect(try series.samples() == expected(written[series.labels] ?? []), "\(series.labels)")
        }
    }
}
