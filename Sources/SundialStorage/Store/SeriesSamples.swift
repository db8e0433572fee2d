/// One selected series: its labels and, lazily, its samples in the selected time range, merged
/// across blocks and the head (a repeated timestamp appears once, with the value written last).
public struct SeriesSamples: Sendable {
    /// The series' labels, metric name included. A series read from a block builds them from its
    /// ``symbolLabels`` on each call: a query that only groups its series never builds them.
    public var labels: LabelSet {
        switch storedLabels {
        case let .strings(labels): labels
        case let .symbols(symbols): symbols.labelSet
        }
    }
    /// The labels as numbers in its block's symbol table, nil for a series of the head.
    public var symbolLabels: SymbolLabels? {
        if case let .symbols(symbols) = storedLabels { return symbols }
        return nil
    }
    private let storedLabels: StoredLabels
    private enum StoredLabels: Sendable {
        case strings(LabelSet)
        case symbols(SymbolLabels)
    }
    let minTimeMs: Int64
    let maxTimeMs: Int64
    var pieces: [Piece] = []
    /// Keeps alive the blocks the pieces name unretained: the snapshot's list of blocks, shared by every
    /// series selected from it.
    var blocks: [BlockReader] = []

    /// The address of ``blocks``' storage: a segment made from a series with the same list names blocks that
    /// this series keeps alive.
    var blockListAddress: UInt {
        blocks.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }

    enum Piece: Sendable {
        /// A block's chunk. The block is not retained here (``blocks`` keeps it alive): two threads reading
        /// the chunks of a selection would otherwise count references on one shared object for every chunk,
        /// which perf showed at 4 % of an instant query's cycles.
        case block(UnretainedBlock, SeriesChunk, priority: Int)
        /// A head series' first `count` samples, which lie within `minTimeMs...maxTimeMs`.
        case head(HeadView, Int, count: Int, minTimeMs: Int64, maxTimeMs: Int64)

        var priority: Int {
            switch self {
            case let .block(_, _, priority): priority
            case let .head(view, _, _, _, _): view.priority
            }
        }

        func timeRange() -> (Int64, Int64) {
            switch self {
            case let .block(block, chunk, _):
                let column = block.withReader { $0.index.columns[chunk.column] }
                return (column.minTimeMs, column.maxTimeMs)
            case let .head(_, _, _, minTimeMs, maxTimeMs): return (minTimeMs, maxTimeMs)
            }
        }
    }

    init(labels: LabelSet, minTimeMs: Int64, maxTimeMs: Int64) {
        storedLabels = .strings(labels)
        self.minTimeMs = minTimeMs
        self.maxTimeMs = maxTimeMs
    }

    init(symbols: SymbolLabels, minTimeMs: Int64, maxTimeMs: Int64) {
        storedLabels = .symbols(symbols)
        self.minTimeMs = minTimeMs
        self.maxTimeMs = maxTimeMs
    }

    /// True when `list` is in ``LabelSet``'s order: compared on symbol numbers when every series numbers
    /// its labels in one strictly ordered table (a block's series, listed in its order), else on labels.
    static func areOrdered(_ list: [SeriesSamples]) -> Bool {
        let numbered = list.compactMap(\.symbolLabels)
        if numbered.count == list.count, let table = numbered.first?.table, table.isStrictlyOrdered,
           numbered.allSatisfy({ $0.table === table }) {
            return zip(numbered, numbered.dropFirst()).allSatisfy { $0.precedes($1) }
        }
        return zip(list, list.dropFirst()).allSatisfy { $0.labels < $1.labels }
    }

    /// The series with its labels built once and kept as strings: for sorting and merging across blocks,
    /// which read them many times.
    func withLabelsBuilt() -> SeriesSamples {
        guard case .symbols = storedLabels else { return self }
        var copy = SeriesSamples(labels: labels, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs)
        copy.pieces = pieces
        copy.blocks = blocks
        return copy
    }

    /// The series' samples as consecutive segments in time order: pieces that overlap in time (the same
    /// times in several blocks, or in a block and the head) form one segment and are merged when read.
    /// Nothing is decoded.
    public func segments() -> [SampleSegment] {
        // A block's chunks of one series come in time order already, so most series need no sort.
        var ordered = pieces
        if !zip(pieces, pieces.dropFirst()).allSatisfy({ Self.precedes($0, $1) }) { ordered.sort(by: Self.precedes) }
        // Each segment's pieces are a slice of `ordered`: one allocation per series, not one per segment.
        var segments: [SampleSegment] = []
        segments.reserveCapacity(ordered.count)
        var groupStart = 0
        var groupMin = Int64.max
        var groupMax = Int64.min
        for (i, piece) in ordered.enumerated() {
            let (start, end) = piece.timeRange()
            if i > groupStart && start > groupMax {
                segments.append(segment(ordered[groupStart..<i], groupMin, groupMax))
                groupStart = i
                groupMin = .max
                groupMax = .min
            }
            groupMin = min(groupMin, start)
            groupMax = max(groupMax, end)
        }
        if groupStart < ordered.count { segments.append(segment(ordered[groupStart...], groupMin, groupMax)) }
        return segments
    }

    /// The segment of overlapping pieces `group`, spanning `start...end`: with the chunk's summary when it
    /// is one block chunk inside the selected range.
    private func segment(_ group: ArraySlice<Piece>, _ start: Int64, _ end: Int64) -> SampleSegment {
        var summary: CounterSummary?
        if group.count == 1, case let .block(block, chunk, _)? = group.first, let values = chunk.summary,
           start >= minTimeMs, end <= maxTimeMs {
            summary = block.withReader { values.counterSummary($0.index.columns[chunk.column]) }
        }
        return SampleSegment(minTimeMs: start, maxTimeMs: end, summary: summary, pieces: group, blockList: blockListAddress)
    }

    /// The order of ``segments()``: by start time, then by priority.
    private static func precedes(_ a: Piece, _ b: Piece) -> Bool {
        (a.timeRange().0, a.priority) < (b.timeRange().0, b.priority)
    }

    /// Calls `body` with successive runs of samples in time order, each as parallel buffers of
    /// timestamps and values valid only during the call. Nothing is copied into one whole-series array.
    public func forEachRun(_ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        var buffers = SampleBuffers()
        try forEachRun(reusing: &buffers, body)
    }

    /// ``forEachRun(_:)`` decoding into `buffers`, which a reader keeps from series to series so that
    /// reading many series does not allocate for each.
    public func forEachRun(reusing buffers: inout SampleBuffers,
                           _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        for segment in segments() { try emit(segment, &buffers, body) }
    }

    /// Calls `body` with the runs of samples of one segment of ``segments()`` (inside the selected range),
    /// in time order.
    public func forEachRun(in segment: SampleSegment,
                           _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        var buffers = SampleBuffers()
        try forEachRun(in: segment, reusing: &buffers, body)
    }

    /// ``forEachRun(in:_:)`` decoding into `buffers` (see ``forEachRun(reusing:_:)``).
    public func forEachRun(in segment: SampleSegment, reusing buffers: inout SampleBuffers,
                           _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        try emit(segment, &buffers, body)
    }

    /// Decodes one segment into `buffers` and hands over its part inside the range.
    /// - Throws: ``StorageError/invalidArgument(_:)`` for a segment of a series of another selection, whose
    ///   blocks this series does not keep alive.
    private func emit(_ segment: SampleSegment, _ buffers: inout SampleBuffers,
                      _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        guard segment.blockList == blockListAddress else {
            throw StorageError.invalidArgument("a segment is read through a series of another selection; read it through the series it came from")
        }
        let group = segment.pieces
        if group.count == 1, case let .block(block, chunk, _)? = group.first {
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
        for piece in group.sorted(by: { $0.priority < $1.priority }) {
            switch piece {
            case let .block(block, chunk, _):
                let inside = try block.withReader { (reader) throws(StorageError) in
                    try reader.decode(chunk, from: minTimeMs, through: maxTimeMs, timestamps: &buffers.timestamps,
                                      values: &buffers.values, memo: &buffers.memo)
                }
                runs.append((Array(buffers.timestamps[inside]), Array(buffers.values[inside])))
            case let .head(view, ref, count, _, _):
                runs.append(view.samples(ref, count: count, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs))
            }
        }
        let merged = SampleRuns.merge(runs)
        guard !merged.timestamps.isEmpty else { return }
        try merged.timestamps.withUnsafeBufferPointer { t in
            try merged.values.withUnsafeBufferPointer { v in try body(t, v) }
        }
    }

    /// Calls `body` for every sample in time order.
    public func forEachSample(_ body: (Sample) throws -> Void) throws {
        try forEachRun { ts, vs in
            for i in ts.indices { try body(Sample(timestampMs: ts[i], value: vs[i])) }
        }
    }

    /// All samples in the range as an array: convenient for small ranges and tests.
    public func samples() throws -> [Sample] {
        var out: [Sample] = []
        try forEachSample { out.append($0) }
        return out
    }
}

/// A stretch of one selected series' samples (``SeriesSamples/segments()``); consecutive segments of a
/// series do not overlap in time.
public struct SampleSegment: Sendable {
    /// The time span of the segment's stored samples, which may reach beyond the selected range.
    public let minTimeMs: Int64
    public let maxTimeMs: Int64
    /// Present when the segment is one block chunk inside the selected range whose values the block
    /// summarised (every value an integer): its samples then need no decoding for `rate`, `increase` or
    /// `delta` over a window that holds the segment whole.
    public let summary: CounterSummary?
    /// The pieces, a slice of the series' pieces in time order.
    let pieces: ArraySlice<SeriesSamples.Piece>
    /// ``SeriesSamples/blockListAddress`` of the series the segment comes from: only a series holding the
    /// same block list may read it (its pieces name their blocks unretained).
    let blockList: UInt
}

/// Decoding buffers a reader keeps from series to series (``SeriesSamples/forEachRun(reusing:_:)``), so
/// that reading thousands of series allocates their arrays once and takes a block's frames, columns and
/// references from its shared caches only when they change (``ChunkReadMemo``). One per thread.
public struct SampleBuffers: Sendable {
    var timestamps: [Int64] = []
    var values: [Double] = []
    /// What `timestamps` holds, and the frame and reference last read.
    var memo = ChunkReadMemo()

    /// Empty buffers; they grow to the largest chunk read.
    public init() {}
}

/// A block named without a reference count (``SeriesSamples/Piece``): valid while something else holds the
/// block, which ``SeriesSamples/blocks`` does for every piece of its series.
struct UnretainedBlock: @unchecked Sendable {
    private let reference: Unmanaged<BlockReader>

    init(_ reader: BlockReader) {
        reference = .passUnretained(reader)
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
