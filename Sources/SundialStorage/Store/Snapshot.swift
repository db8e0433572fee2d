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
    /// Samples are decoded only when iterated.
    /// - Throws: ``StorageError/invalidArgument(_:)`` when no matcher could select anything specific
    ///   (every matcher matches the empty string), as Prometheus refuses `{a=""}`.
    public func select(_ matchers: [LabelMatcher], minTimeMs: Int64 = .min, maxTimeMs: Int64 = .max) throws(StorageError) -> [SeriesSamples] {
        guard matchers.contains(where: { !$0.matchesEmpty }) else {
            throw .invalidArgument("a selector needs at least one matcher that does not match the empty string, such as a metric name")
        }
        // Each block lists its series sorted by labels, and so does the head's part; when only one of
        // them has matching series (the usual case once a day is compacted) its list is the answer.
        var lists: [[SeriesSamples]] = []
        for (order, block) in blocks.enumerated() where block.summary.maxTimeMs >= minTimeMs && block.summary.minTimeMs <= maxTimeMs {
            var list: [SeriesSamples] = []
            for id in block.index.seriesMatching(matchers) {
                var series: SeriesSamples?
                for chunk in block.index.seriesChunks[id] {
                    let column = block.index.columns[chunk.column]
                    guard column.maxTimeMs >= minTimeMs && column.minTimeMs <= maxTimeMs else { continue }
                    if series == nil {
                        let symbols = SymbolLabels(table: block.symbolTable, pairs: block.index.seriesLabels[id])
                        series = SeriesSamples(symbols: symbols, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs)
                        series?.blocks = blocks
                    }
                    series?.pieces.append(.block(UnretainedBlock(block), chunk, priority: order))
                }
                if let series { list.append(series) }
            }
            if !list.isEmpty { lists.append(list) }
        }
        for head in heads {
            var inHead: [SeriesSamples] = []
            for (ref, count, low, high) in head.matching(matchers) where low <= maxTimeMs && high >= minTimeMs {
                var series = SeriesSamples(labels: head.labels(ref), minTimeMs: minTimeMs, maxTimeMs: maxTimeMs)
                series.pieces.append(.head(head, ref, count: count, minTimeMs: low, maxTimeMs: high))
                inHead.append(series)
            }
            if !inHead.isEmpty { lists.append(inHead.sorted { $0.labels < $1.labels }) }
        }
        if lists.count <= 1, var only = lists.first {
            if !SeriesSamples.areOrdered(only) {
                only = only.map { $0.withLabelsBuilt() }
                only.sort { $0.labels < $1.labels }
            }
            return only
        }
        var found: [LabelSet: Int] = [:]
        var result: [SeriesSamples] = []
        // Series of several blocks (or a block and the head) merge by their labels, built once per series:
        // a block's series would otherwise build them again at every lookup and comparison.
        for list in lists {
            for series in list {
                let built = series.withLabelsBuilt()
                if let i = found[built.labels] {
                    result[i].pieces.append(contentsOf: built.pieces)
                    if result[i].blocks.isEmpty { result[i].blocks = built.blocks }  // a head series met in a block
                } else {
                    found[built.labels] = result.count
                    result.append(built)
                }
            }
        }
        result.sort { $0.labels < $1.labels }
        return result
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
