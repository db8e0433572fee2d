/// The series one ``Snapshot/selection(_:minTimeMs:maxTimeMs:)`` found, sorted by labels, held flat: one
/// array of entries and one of pieces (a block's chunk or a head's samples) for the whole selection, with
/// nothing allocated or reference-counted per series. A series is a number, `0..<count`; its samples are
/// decoded only when read, and any number of threads may read at once.
///
/// ```swift
/// let selection = try store.snapshot().selection([.equal("__name__", "service_requests")])
/// var buffers = SampleBuffers()
/// for i in 0..<selection.count {
///     try selection.forEachRun(i, reusing: &buffers) { timestamps, values in print(selection.labels(i), values.count) }
/// }
/// ```
///
/// Reading many series through ``SeriesSamples`` values, or through an array of them, copied references for
/// each series; a query's two workers counting references on the same few shared objects spent a quarter
/// of their time doing it (perf, stop 16 in docs/PERFORMANCE.md).
public final class SeriesSelection: Sendable {
    /// The start of the selected time range: samples before it are never handed over.
    public let minTimeMs: Int64
    /// The end of the selected time range (inclusive): samples after it are never handed over.
    public let maxTimeMs: Int64
    /// Keeps alive the blocks the pieces name unretained: the snapshot's list of blocks.
    let blocks: [BlockReader]
    /// The head views the pieces' `head` cases index.
    let heads: [HeadView]
    /// Per series, in label order: where its labels are and which pieces are its own.
    let entries: [Entry]
    /// Every series' pieces, each series' consecutive and in time order (then by priority).
    let pieces: [Piece]
    /// Labels built as strings: a head's series, and series merged across blocks.
    let builtLabels: [LabelSet]
    /// The table every series numbers its labels in, when they all come from one block whose symbols are
    /// strictly ordered: then equal numbers are equal strings, and series can be grouped by number.
    public let sharedSymbolTable: SymbolTable?

    struct Entry: Sendable {
        var labels: Labels
        var pieces: Range<Int>
    }

    enum Labels: Sendable {
        /// Series `id` of block `blocks[order]`, labels as numbers in its symbol table.
        case block(order: Int, id: Int)
        /// `builtLabels[index]`.
        case built(Int)
    }

    /// A block's chunk, or a head series' first samples. Holds no reference, so copying one costs nothing.
    enum Piece: Sendable {
        /// A block's chunk; the block is named unretained (``blocks`` keeps it alive).
        case block(UnretainedBlock, SeriesChunk, priority: Int)
        /// `heads[view]`'s series `ref`, its first `count` samples, which lie within `minTimeMs...maxTimeMs`.
        case head(view: Int, ref: Int, count: Int, minTimeMs: Int64, maxTimeMs: Int64, priority: Int)

        /// Where its samples rank against others of the same timestamp: the highest wins.
        var priority: Int {
            switch self {
            case let .block(_, _, priority): priority
            case let .head(_, _, _, _, _, priority): priority
            }
        }

        /// The time span of its stored samples.
        func timeRange() -> (Int64, Int64) {
            switch self {
            case let .block(block, chunk, _):
                let column = block.withReader { $0.index.columns[chunk.column] }
                return (column.minTimeMs, column.maxTimeMs)
            case let .head(_, _, _, minTimeMs, maxTimeMs, _): return (minTimeMs, maxTimeMs)
            }
        }

        /// The order of a series' pieces: by start time, then by priority.
        static func precedes(_ a: Piece, _ b: Piece) -> Bool {
            (a.timeRange().0, a.priority) < (b.timeRange().0, b.priority)
        }
    }

    init(minTimeMs: Int64, maxTimeMs: Int64, blocks: [BlockReader], heads: [HeadView], entries: [Entry], pieces: [Piece],
         builtLabels: [LabelSet]) {
        self.minTimeMs = minTimeMs
        self.maxTimeMs = maxTimeMs
        self.blocks = blocks
        self.heads = heads
        self.entries = entries
        self.pieces = pieces
        self.builtLabels = builtLabels
        sharedSymbolTable = Self.sharedTable(entries, blocks)
    }

    private static func sharedTable(_ entries: [Entry], _ blocks: [BlockReader]) -> SymbolTable? {
        guard case let .block(order, _)? = entries.first?.labels else { return nil }
        for entry in entries {
            guard case let .block(other, _) = entry.labels, other == order else { return nil }
        }
        let table = blocks[order].symbolTable
        return table.isStrictlyOrdered ? table : nil
    }

    /// How many series there are.
    public var count: Int { entries.count }

    /// Every series, as values that read through this selection.
    public var series: [SeriesSamples] { entries.indices.map { SeriesSamples(selection: self, index: $0) } }

    /// Series `i`'s labels, metric name included. A series read from a block builds them from its
    /// ``symbolLabels(_:)`` on each call: a query that only groups its series never builds them.
    public func labels(_ i: Int) -> LabelSet {
        switch entries[i].labels {
        case let .block(order, id): blocks[order].index.labels(ofSeries: id)
        case let .built(index): builtLabels[index]
        }
    }

    /// Series `i`'s labels as numbers in its block's symbol table, nil for a series of the head or one
    /// merged across blocks.
    public func symbolLabels(_ i: Int) -> SymbolLabels? {
        guard case let .block(order, id) = entries[i].labels else { return nil }
        return SymbolLabels(table: blocks[order].symbolTable, pairs: blocks[order].index.seriesLabels[id])
    }

    /// The number of the value that series `i` has for the label name numbered `name` in its block's table
    /// (``sharedSymbolTable``), nil for none or for a series not numbered in a block's table. Reads the
    /// index in place: nothing is copied or counted.
    public func symbolValue(_ i: Int, ofName name: UInt32) -> UInt32? {
        guard case let .block(order, id) = entries[i].labels else { return nil }
        return blocks[order].index.seriesLabels[id].withUnsafeBufferPointer { pairs in
            var k = 0
            while k + 1 < pairs.count {
                if pairs[k] == name { return pairs[k + 1] }
                k += 2
            }
            return nil
        }
    }

    /// Series `i`'s samples as consecutive segments in time order (see ``segments(_:into:)``).
    public func segments(_ i: Int) -> [SampleSegment] {
        var out: [SampleSegment] = []
        segments(i, into: &out)
        return out
    }

    /// Replaces `segments` with series `i`'s samples as consecutive segments in time order: pieces that
    /// overlap in time (the same times in several blocks, or in a block and the head) form one segment and
    /// are merged when read. Nothing is decoded, and `segments` keeps its storage: a reader going from series
    /// to series allocates nothing.
    public func segments(_ i: Int, into segments: inout [SampleSegment]) {
        segments.removeAll(keepingCapacity: true)
        let range = entries[i].pieces
        var groupStart = range.lowerBound
        var groupMin = Int64.max
        var groupMax = Int64.min
        for p in range {
            let (start, end) = pieces[p].timeRange()
            if p > groupStart && start > groupMax {
                segments.append(segment(i, groupStart..<p, groupMin, groupMax))
                groupStart = p
                groupMin = .max
                groupMax = .min
            }
            groupMin = Swift.min(groupMin, start)
            groupMax = Swift.max(groupMax, end)
        }
        if groupStart < range.upperBound { segments.append(segment(i, groupStart..<range.upperBound, groupMin, groupMax)) }
    }

    /// The segment of series `i`'s overlapping pieces `group`, spanning `start...end`: with the chunk's
    /// summary when it is one block chunk inside the selected range.
    private func segment(_ i: Int, _ group: Range<Int>, _ start: Int64, _ end: Int64) -> SampleSegment {
        var summary: CounterSummary?
        var timestamps: TimestampsIdentity?
        if group.count == 1, case let .block(block, chunk, _) = pieces[group.lowerBound] {
            timestamps = TimestampsIdentity(block: block.identifier, column: chunk.column, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs)
            if let values = chunk.summary, start >= minTimeMs, end <= maxTimeMs {
                summary = block.withReader { values.counterSummary($0.index.columns[chunk.column]) }
            }
        }
        return SampleSegment(minTimeMs: start, maxTimeMs: end, summary: summary, timestampsIdentity: timestamps, pieces: group,
                             selection: ObjectIdentifier(self), series: i)
    }

    /// Calls `body` with successive runs of series `i`'s samples in time order, each as parallel buffers
    /// of timestamps and values valid only during the call, decoding into `buffers`, which a reader keeps
    /// from series to series.
    public func forEachRun(_ i: Int, reusing buffers: inout SampleBuffers,
                           _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        var segments = buffers.segments
        buffers.segments = []
        defer { buffers.segments = segments }
        self.segments(i, into: &segments)
        for segment in segments { try emit(segment, &buffers, body) }
    }

    /// Calls `body` with the runs of samples of one segment of series `i` (from ``segments(_:into:)``), inside
    /// the selected range, in time order.
    /// - Throws: ``StorageError/invalidArgument(_:)`` for a segment of another series or selection.
    public func forEachRun(_ i: Int, in segment: SampleSegment, reusing buffers: inout SampleBuffers,
                           _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        guard segment.selection == ObjectIdentifier(self), i >= 0, i < entries.count, segment.series == i,
              segment.pieces.lowerBound >= entries[i].pieces.lowerBound, segment.pieces.upperBound <= entries[i].pieces.upperBound,
              !segment.pieces.isEmpty else {
            throw StorageError.invalidArgument("a segment is read through a series other than the one it came from; read it through its own series")
        }
        try emit(segment, &buffers, body)
    }

    /// Decodes one segment into `buffers` and hands over its part inside the range.
    private func emit(_ segment: SampleSegment, _ buffers: inout SampleBuffers,
                      _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        let group = segment.pieces
        if group.count == 1, case let .block(block, chunk, _) = pieces[group.lowerBound] {
            // The common case: one chunk, no overlap. Decode the part inside the range and hand it over.
            let inside = try block.withReader { (reader) throws(StorageError) in
                try reader.decode(chunk, from: minTimeMs, through: maxTimeMs, timestamps: &buffers.timestamps,
                                  values: &buffers.values, memo: &buffers.memo)
            }
            guard !inside.isEmpty else { return }
            try buffers.timestamps.withUnsafeBufferPointer { t in
                try buffers.values.withUnsafeBufferPointer { v in
                    try body(UnsafeBufferPointer(rebasing: t[inside]), UnsafeBufferPointer(rebasing: v[inside]))
                }
            }
            return
        }
        var runs: [(timestamps: [Int64], values: [Double])] = []
        for piece in pieces[group].sorted(by: { $0.priority < $1.priority }) {
            switch piece {
            case let .block(block, chunk, _):
                let inside = try block.withReader { (reader) throws(StorageError) in
                    try reader.decode(chunk, from: minTimeMs, through: maxTimeMs, timestamps: &buffers.timestamps,
                                      values: &buffers.values, memo: &buffers.memo)
                }
                runs.append((Array(buffers.timestamps[inside]), Array(buffers.values[inside])))
            case let .head(view, ref, count, _, _, _):
                runs.append(heads[view].samples(ref, count: count, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs))
            }
        }
        let merged = SampleRuns.merge(runs)
        guard !merged.timestamps.isEmpty else { return }
        try merged.timestamps.withUnsafeBufferPointer { t in
            try merged.values.withUnsafeBufferPointer { v in try body(t, v) }
        }
    }
}

/// A stretch of one selected series' samples (``SeriesSelection/segments(_:into:)``); consecutive segments
/// of a series do not overlap in time. It names its pieces by position, and only its own series reads it.
public struct SampleSegment: Sendable {
    /// The first time of the segment's stored samples, which may lie before the selected range.
    public let minTimeMs: Int64
    /// The last time of the segment's stored samples, which may lie after the selected range.
    public let maxTimeMs: Int64
    /// Present when the segment is one block chunk inside the selected range whose values the block
    /// summarised (every value an integer): its samples then need no decoding for `rate`, `increase` or
    /// `delta` over a window that holds the segment whole.
    public let summary: CounterSummary?
    /// Present when the segment is one block chunk: names the timestamps its runs deliver, so that a reader
    /// holding the timestamps of a segment with an equal identity knows it holds these too (the buckets of
    /// one histogram, scraped together, share their timestamps) without comparing them.
    public let timestampsIdentity: TimestampsIdentity?
    /// The pieces, positions in the selection's pieces.
    let pieces: Range<Int>
    /// The selection and series it comes from.
    let selection: ObjectIdentifier
    let series: Int
}

/// The timestamps of a ``SampleSegment`` that is one block chunk: its block's column, cut to the selected
/// range. Segments with equal identities deliver equal timestamps. An identity names its block by address,
/// so it stays meaningful only while the block lives: compare identities only among segments of selections
/// a reader holds.
public struct TimestampsIdentity: Equatable, Sendable {
    let block: ObjectIdentifier
    let column: Int
    let minTimeMs: Int64
    let maxTimeMs: Int64
}

/// Decoding buffers a reader keeps from series to series (``SeriesSelection/forEachRun(_:reusing:_:)``), so
/// that reading thousands of series allocates their arrays once and takes a block's frames, columns and
/// references from its shared caches only when they change (``ChunkReadMemo``). One per thread.
public struct SampleBuffers: Sendable {
    var timestamps: [Int64] = []
    var values: [Double] = []
    /// What `timestamps` holds, and the frame and reference last read.
    var memo = ChunkReadMemo()
    /// A series' segments, while it is read whole.
    var segments: [SampleSegment] = []

    /// Empty buffers; they grow to the largest chunk read.
    public init() {}
}

/// A block named without a reference count (``SeriesSelection/Piece``): valid while something else holds
/// the block, which ``SeriesSelection/blocks`` does for every piece of the selection.
struct UnretainedBlock: @unchecked Sendable {
    private let reference: Unmanaged<BlockReader>

    init(_ reader: BlockReader) {
        reference = .passUnretained(reader)
    }

    /// The block's identity, taken without a reference count.
    var identifier: ObjectIdentifier {
        reference._withUnsafeGuaranteedRef { ObjectIdentifier($0) }
    }

    /// Runs `body` with the block, taking no reference count.
    @inline(__always)
    func withReader<R, E: Error>(_ body: (BlockReader) throws(E) -> R) throws(E) -> R {
        var result: Result<R, E>?
        reference._withUnsafeGuaranteedRef { reader in
            do throws(E) { result = .success(try body(reader)) } catch { result = .failure(error) }
        }
        // The closure runs exactly once.
        guard let result else { preconditionFailure("_withUnsafeGuaranteedRef did not call its closure") }
        return try result.get()
    }
}
