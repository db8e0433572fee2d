/// One selected series: its labels and, lazily, its samples in the selected time range, merged
/// across blocks and the head (a repeated timestamp appears once, with the value written last).
public struct SeriesSamples: Sendable {
    /// The series' labels, metric name included.
    public let labels: LabelSet
    let minTimeMs: Int64
    let maxTimeMs: Int64
    var pieces: [Piece] = []

    enum Piece: Sendable {
        case block(BlockReader, SeriesChunk, priority: Int)
        case head(HeadView, Int, count: Int)

        var priority: Int {
            switch self {
            case let .block(_, _, priority): priority
            case .head: Int.max
            }
        }

        func timeRange() -> (Int64, Int64) {
            switch self {
            case let .block(block, chunk, _):
                let column = block.index.columns[chunk.column]
                return (column.minTimeMs, column.maxTimeMs)
            case .head: return (.min, .max)
            }
        }
    }

    init(labels: LabelSet, minTimeMs: Int64, maxTimeMs: Int64) {
        self.labels = labels
        self.minTimeMs = minTimeMs
        self.maxTimeMs = maxTimeMs
    }

    /// Calls `body` with successive runs of samples in time order, each as parallel buffers of
    /// timestamps and values valid only during the call. Nothing is copied into one whole-series array.
    public func forEachRun(_ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        var ts: [Int64] = []
        var vs: [Double] = []
        func emit(_ group: ArraySlice<Piece>) throws {
            if group.count == 1, case let .block(block, chunk, _) = group[group.startIndex] {
                // The common case: one chunk, no overlap. Decode and hand over the part inside the range.
                try block.decode(chunk, timestamps: &ts, values: &vs)
                let low = ts.partitionPoint { $0 >= minTimeMs }
                let high = ts.partitionPoint { $0 > maxTimeMs }
                guard low < high else { return }
                try ts.withUnsafeBufferPointer { t in
                    try vs.withUnsafeBufferPointer { v in
                        try body(UnsafeBufferPointer(rebasing: t[low..<high]), UnsafeBufferPointer(rebasing: v[low..<high]))
                    }
                }
                return
            }
            var runs: [(timestamps: [Int64], values: [Double])] = []
            for piece in group.sorted(by: { $0.priority < $1.priority }) {
                switch piece {
                case let .block(block, chunk, _):
                    try block.decode(chunk, timestamps: &ts, values: &vs)
                    runs.append(SampleRuns.clip((ts, vs), minTimeMs, maxTimeMs))
                case let .head(view, ref, count):
                    runs.append(view.samples(ref, count: count, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs))
                }
            }
            let merged = SampleRuns.merge(runs)
            guard !merged.timestamps.isEmpty else { return }
            try merged.timestamps.withUnsafeBufferPointer { t in
                try merged.values.withUnsafeBufferPointer { v in try body(t, v) }
            }
        }
        // Pieces in time order, cut into groups that overlap in time; each group is emitted as one run.
        // A block's chunks of one series come in time order already, so most series need no sort.
        var ordered = pieces
        let inOrder = zip(pieces, pieces.dropFirst()).allSatisfy { Self.precedes($0, $1) }
        if !inOrder { ordered.sort(by: Self.precedes) }
        var start = ordered.startIndex
        while start < ordered.endIndex {
            var groupEnd = ordered[start].timeRange().1
            var end = start + 1
            while end < ordered.endIndex {
                let (next, nextEnd) = ordered[end].timeRange()
                guard next <= groupEnd else { break }
                groupEnd = max(groupEnd, nextEnd)
                end += 1
            }
            try emit(ordered[start..<end])
            start = end
        }
    }

    /// The order of ``forEachRun(_:)``: by start time, then by priority.
    private static func precedes(_ a: Piece, _ b: Piece) -> Bool {
        (a.timeRange().0, a.priority) < (b.timeRange().0, b.priority)
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
