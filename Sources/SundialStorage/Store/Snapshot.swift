/// A consistent, immutable view of a store at one instant: the blocks live then and the head as it
/// was. Commits, seals and compactions that happen later are invisible to it.
public struct Snapshot: Sendable {
    let blocks: [BlockReader]
    let head: HeadView
    /// The head frozen at its limit whose blocks were not yet published when the snapshot was taken.
    let frozenHead: HeadView?
    /// The frozen head (older) and the head, in the order their samples were committed.
    var heads: [HeadView] { frozenHead.map { [$0, head] } ?? [head] }
    /// Blocks the manifest lists but that could not be opened, with the reason.
    public let damagedBlocks: [(name: String, error: StorageError)]

    /// Series selected by `matchers` that have samples in `[minTimeMs, maxTimeMs]`, sorted by labels.
    /// Samples are decoded only when iterated. (``selection(_:minTimeMs:maxTimeMs:)`` as values.)
    /// - Throws: ``StorageError/invalidArgument(_:)`` when no matcher could select anything specific
    ///   (every matcher matches the empty string), as Prometheus refuses `{a=""}`.
    public func select(_ matchers: [LabelMatcher], minTimeMs: Int64 = .min, maxTimeMs: Int64 = .max) throws(StorageError) -> [SeriesSamples] {
        try selection(matchers, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs).series
    }

    /// Series selected by `matchers` that have samples in `[minTimeMs, maxTimeMs]`, sorted by labels, held
    /// flat and read by number (``SeriesSelection``). Samples are decoded only when read.
    /// - Throws: ``StorageError/invalidArgument(_:)`` when no matcher could select anything specific
    ///   (every matcher matches the empty string), as Prometheus refuses `{a=""}`.
    public func selection(_ matchers: [LabelMatcher], minTimeMs: Int64 = .min, maxTimeMs: Int64 = .max) throws(StorageError) -> SeriesSelection {
        guard matchers.contains(where: { !$0.matchesEmpty }) else {
            throw .invalidArgument("a selector needs at least one matcher that does not match the empty string, such as a metric name")
        }
        typealias Entry = SeriesSelection.Entry
        let heads = self.heads
        var pieces: [SeriesSelection.Piece] = []
        var builtLabels: [LabelSet] = []
        // Each block lists its series sorted by labels, and so does the head's part; when only one of
        // them has matching series (the usual case once a day is compacted) its list is the answer.
        var lists: [[Entry]] = []
        for (order, block) in blocks.enumerated() where block.summary.maxTimeMs >= minTimeMs && block.summary.minTimeMs <= maxTimeMs {
            let unretained = UnretainedBlock(block)
            // Read once: the block's index is a stored property of a class, taken afresh at every use.
            let index = block.index
            let ids = index.seriesMatching(matchers)
            var list: [Entry] = []
            list.reserveCapacity(ids.count)
            // Room for every chunk of the matching series at once: grown piece by piece, copying the pieces
            // took a third of a day's selection.
            var chunkCount = 0
            for id in ids { chunkCount &+= index.seriesChunks.count(of: id) }
            pieces.reserveCapacity(pieces.count &+ chunkCount)
            // The series' chunk lists read in place (``FlatLists``): nothing is counted or written per series.
            index.seriesChunks.withLists { chunksOf in
                index.columns.withUnsafeBufferPointer { columns in
                    for id in ids {
                        let first = pieces.count
                        for chunk in chunksOf(id) {
                            let column = columns[chunk.column]
                            guard column.maxTimeMs >= minTimeMs && column.minTimeMs <= maxTimeMs else { continue }
                            pieces.append(.block(unretained, chunk, priority: order))
                        }
                        if pieces.count > first { list.append(Entry(labels: .block(order: order, id: id), pieces: first..<pieces.count)) }
                    }
                }
            }
            if !list.isEmpty { lists.append(list) }
        }
        for (v, head) in heads.enumerated() {
            var inHead: [Entry] = []
            for (ref, count, low, high) in head.matching(matchers) where low <= maxTimeMs && high >= minTimeMs {
                builtLabels.append(head.labels(ref))
                pieces.append(.head(view: v, ref: ref, count: count, minTimeMs: low, maxTimeMs: high, priority: head.priority))
                inHead.append(Entry(labels: .built(builtLabels.count - 1), pieces: (pieces.count - 1)..<pieces.count))
            }
            if !inHead.isEmpty { lists.append(inHead) }
        }
        var entries: [Entry]
        if lists.count <= 1 {
            entries = lists.first ?? []
            if !Self.areOrdered(entries, blocks, builtLabels) {
                for k in entries.indices where !Self.isBuilt(entries[k]) {
                    builtLabels.append(Self.labels(entries[k], blocks, builtLabels))
                    entries[k].labels = .built(builtLabels.count - 1)
                }
                entries.sort { Self.labels($0, blocks, builtLabels) < Self.labels($1, blocks, builtLabels) }
            }
        } else {
            // Series of several blocks (or a block and the head) merge by their labels (Snapshot+Merge.swift).
            (entries, builtLabels, pieces) = Self.merged(lists, blocks, builtLabels, pieces)
        }
        // A block's chunks of one series come in time order already, so most series need no sort.
        for entry in entries where entry.pieces.count > 1 {
            let range = entry.pieces
            if !zip(pieces[range], pieces[range].dropFirst()).allSatisfy({ SeriesSelection.Piece.precedes($0, $1) }) {
                pieces[range].sort(by: SeriesSelection.Piece.precedes)
            }
        }
        return SeriesSelection(minTimeMs: minTimeMs, maxTimeMs: maxTimeMs, blocks: blocks, heads: heads, entries: entries,
                               pieces: pieces, builtLabels: builtLabels)
    }

    private static func isBuilt(_ entry: SeriesSelection.Entry) -> Bool {
        if case .built = entry.labels { return true }
        return false
    }

    /// An entry's labels as strings.
    static func labels(_ entry: SeriesSelection.Entry, _ blocks: [BlockReader], _ built: [LabelSet]) -> LabelSet {
        switch entry.labels {
        case let .block(order, id): blocks[order].index.labels(ofSeries: id)
        case let .built(index): built[index]
        }
    }

    /// True when `entries` are in ``LabelSet``'s order: compared on symbol numbers when every entry is a
    /// series of one block with strictly ordered symbols, else on labels.
    private static func areOrdered(_ entries: [SeriesSelection.Entry], _ blocks: [BlockReader], _ built: [LabelSet]) -> Bool {
        if case let .block(block, _)? = entries.first?.labels, blocks[block].symbolTable.isStrictlyOrdered {
            // An entry's series number in the first entry's block; nil for one of another block or one built.
            let id = { (entry: SeriesSelection.Entry) -> Int? in
                if case let .block(order, id) = entry.labels, order == block { id } else { nil }
            }
            if entries.allSatisfy({ id($0) != nil }) {
                let increasing = zip(entries, entries.dropFirst()).allSatisfy { (id($0) ?? 0) < (id($1) ?? 0) }
                if increasing && blocks[block].seriesAreInLabelOrder { return true }
                let index = blocks[block].index
                return zip(entries, entries.dropFirst()).allSatisfy {
                    SymbolLabels.precedes(index.seriesLabels[id($0) ?? 0], index.seriesLabels[id($1) ?? 0])
                }
            }
        }
        return zip(entries, entries.dropFirst()).allSatisfy { labels($0, blocks, built) < labels($1, blocks, built) }
    }

    /// Every metric name with data, sorted.
    public func metricNames() -> [String] {
        labelValues(for: metricNameLabel)
    }

    /// Every label name in use, sorted.
    public func labelNames() -> [String] {
        var names = Set<String>()
        for block in blocks {
            for name in block.index.postings.keys { names.insert(block.index.symbols[Int(name)]) }
        }
        for head in heads { for labels in head.allLabels() { for label in labels.labels { names.insert(label.name) } } }
        return names.sorted()
    }

    /// Every value of label `name`, sorted.
    public func labelValues(for name: String) -> [String] {
        var values = Set<String>()
        for block in blocks {
            guard let symbol = block.index.symbols.firstIndex(of: name),
                  let postings = block.index.postings[UInt32(symbol)] else { continue }
            for value in postings.keys { values.insert(block.index.symbols[Int(value)]) }
        }
        for head in heads { for labels in head.allLabels() { if let v = labels[name] { values.insert(v) } } }
        return values.sorted()
    }

    /// Type, help and unit of every metric family known, by family name.
    public func metadata() -> [String: MetricMetadata] {
        var all: [String: MetricMetadata] = [:]
        for block in blocks { for record in block.index.metadata { all[record.name] = all[record.name].map { $0.merged(with: record) } ?? record } }
        for head in heads {
            for record in head.metadata() { all[record.name] = all[record.name].map { $0.merged(with: record) } ?? record }
        }
        return all
    }
}

/// The part of a head a snapshot sees: each series' first `count` samples at snapshot time.
struct HeadView: Sendable {
    private let store: Store
    private let head: Head
    private let counts: [Int]
    /// Where its samples rank against others of the same timestamp (the highest wins): above every block,
    /// and the head above the frozen head.
    let priority: Int

    init(store: Store, head: Head, counts: [Int], priority: Int = .max) {
        self.store = store
        self.head = head
        self.counts = counts
        self.priority = priority
    }

    /// The series matching every matcher, each with its sample count in this view and a time span that
    /// holds those samples (exact while the series' samples came in order).
    func matching(_ matchers: [LabelMatcher]) -> [(ref: Int, count: Int, minTimeMs: Int64, maxTimeMs: Int64)] {
        store.published.withLock { _ in
            var out: [(ref: Int, count: Int, minTimeMs: Int64, maxTimeMs: Int64)] = []
            for ref in counts.indices where counts[ref] > 0 {
                let series = head.series[ref]
                guard matchers.allSatisfy({ $0.matches(series.labels[$0.name] ?? "") }) else { continue }
                let seen = min(counts[ref], series.count)
                if series.isStrictlyIncreasing && seen > 0 {
                    out.append((ref, counts[ref], series.timestamps[0], series.timestamps[seen - 1]))
                } else {
                    out.append((ref, counts[ref], series.minTimeMs, series.maxTimeMs))
                }
            }
            return out
        }
    }

    func labels(_ ref: Int) -> LabelSet { store.published.withLock { _ in head.series[ref].labels } }

    func allLabels() -> [LabelSet] {
        store.published.withLock { _ in counts.indices.filter { counts[$0] > 0 }.map { head.series[$0].labels } }
    }

    func metadata() -> [MetricMetadata] { store.published.withLock { _ in Array(head.metadata.values) } }

    func samples(_ ref: Int, count: Int, minTimeMs: Int64, maxTimeMs: Int64) -> (timestamps: [Int64], values: [Double]) {
        store.published.withLock { _ in head.series[ref].sortedSamples(upTo: count, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs) }
    }

    var sampleCount: Int { counts.reduce(0, +) }
    var seriesCount: Int { counts.filter { $0 > 0 }.count }

    func timeRange() -> (Int64, Int64)? {
        store.published.withLock { _ in
            var low = Int64.max
            var high = Int64.min
            for ref in counts.indices where counts[ref] > 0 {
                let run = head.series[ref].sortedSamples(upTo: counts[ref])
                if let f = run.timestamps.first, let l = run.timestamps.last { low = min(low, f); high = max(high, l) }
            }
            return low <= high ? (low, high) : nil
        }
    }
}

extension Store {
    /// A consistent view of everything committed so far.
    public func snapshot() -> Snapshot {
        published.withLock { state in
            Snapshot(blocks: state.blocks,
                     head: HeadView(store: self, head: state.head, counts: state.head.watermark()),
                     frozenHead: state.frozen.map { HeadView(store: self, head: $0, counts: $0.watermark(), priority: .max - 1) },
                     damagedBlocks: state.damagedBlocks)
        }
    }
}

extension Snapshot {
    /// The oldest and newest sample times, from block summaries and the head; nil when empty.
    public func timeRange() -> (minTimeMs: Int64, maxTimeMs: Int64)? {
        var low = blocks.map(\.summary.minTimeMs).min() ?? .max
        var high = blocks.map(\.summary.maxTimeMs).max() ?? .min
        for head in heads {
            if let (headLow, headHigh) = head.timeRange() {
                low = min(low, headLow)
                high = max(high, headHigh)
            }
        }
        return low <= high ? (low, high) : nil
    }
}
