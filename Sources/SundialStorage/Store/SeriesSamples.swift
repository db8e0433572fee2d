/// One selected series: its labels and, lazily, its samples in the selected time range, merged
/// across blocks and the head (a repeated timestamp appears once, with the value written last).
/// A view of series ``index`` of a ``SeriesSelection``, which it keeps alive.
public struct SeriesSamples: Sendable {
    /// The selection the series belongs to.
    public let selection: SeriesSelection
    /// The series' number in ``selection``.
    public let index: Int

    /// The series' labels, metric name included (``SeriesSelection/labels(_:)``).
    public var labels: LabelSet { selection.labels(index) }

    /// The labels as numbers in its block's symbol table, nil for a series of the head or one merged across
    /// blocks (``SeriesSelection/symbolLabels(_:)``).
    public var symbolLabels: SymbolLabels? { selection.symbolLabels(index) }

    /// The series' samples as consecutive segments in time order (``SeriesSelection/segments(_:into:)``).
    /// Nothing is decoded.
    public func segments() -> [SampleSegment] { selection.segments(index) }

    /// Calls `body` with successive runs of samples in time order, each as parallel buffers of
    /// timestamps and values valid only during the call. Nothing is copied into one whole-series array.
    public func forEachRun(_ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        var buffers = SampleBuffers()
        try selection.forEachRun(index, reusing: &buffers, body)
    }

    /// ``forEachRun(_:)`` decoding into `buffers`, which a reader keeps from series to series so that
    /// reading many series does not allocate for each.
    public func forEachRun(reusing buffers: inout SampleBuffers,
                           _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        try selection.forEachRun(index, reusing: &buffers, body)
    }

    /// Calls `body` with the runs of samples of one segment of ``segments()`` (inside the selected range),
    /// in time order.
    /// - Throws: ``StorageError/invalidArgument(_:)`` for a segment of another series.
    public func forEachRun(in segment: SampleSegment,
                           _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        var buffers = SampleBuffers()
        try selection.forEachRun(index, in: segment, reusing: &buffers, body)
    }

    /// ``forEachRun(in:_:)`` decoding into `buffers` (see ``forEachRun(reusing:_:)``).
    public func forEachRun(in segment: SampleSegment, reusing buffers: inout SampleBuffers,
                           _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        try selection.forEachRun(index, in: segment, reusing: &buffers, body)
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
