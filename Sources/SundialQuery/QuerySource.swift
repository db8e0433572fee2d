import SundialStorage

/// Where the query engine reads series from. ``SundialStorage/Snapshot`` conforms; a remote-read
/// or HTTP client can conform too and stand in for the local store.
///
/// ```swift
/// let engine = QueryEngine(source: store.snapshot())
/// ```
public protocol QuerySource: Sendable {
    /// The series selected by every matcher (a conjunction) that have samples in
    /// `[minTimeMs, maxTimeMs]`, sorted by labels, each with its samples in that range.
    ///
    /// The engine always passes at least one matcher that does not match the empty string.
    /// - Throws: Any error; the engine reports it as ``QueryError/source(_:)``.
    func series(matching matchers: [LabelMatcher], minTimeMs: Int64, maxTimeMs: Int64) throws -> [any QuerySeries]

    /// The same series as ``series(matching:minTimeMs:maxTimeMs:)``, as a selection the engine reads by
    /// number. The default wraps that list (``QuerySeriesList``); a source that can hold its selection flat
    /// (a snapshot's ``SundialStorage/SeriesSelection``) returns that, which is what the engine reads fastest.
    func selection(matching matchers: [LabelMatcher], minTimeMs: Int64, maxTimeMs: Int64) throws -> any QuerySelection

    /// True when the series this source returns may be read from several threads at once, so the
    /// engine decodes and evaluates them in parallel. The default is false: one thread reads.
    var supportsConcurrentReads: Bool { get }
}

extension QuerySource {
    /// One thread reads, unless a source says otherwise.
    public var supportsConcurrentReads: Bool { false }

    /// ``series(matching:minTimeMs:maxTimeMs:)`` as a ``QuerySeriesList``.
    public func selection(matching matchers: [LabelMatcher], minTimeMs: Int64, maxTimeMs: Int64) throws -> any QuerySelection {
        QuerySeriesList(try series(matching: matchers, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs))
    }
}

/// The series one selector found, sorted by labels, read by number (`0..<count`): the form the engine
/// evaluates. Series are read from several threads at once when the source's
/// ``QuerySource/supportsConcurrentReads`` says so.
public protocol QuerySelection: AnyObject {
    /// How many series there are.
    var count: Int { get }

    /// Series `i`'s labels, metric name (`__name__`) included.
    func labels(_ i: Int) -> LabelSet

    /// The symbol table every series numbers its labels in, when there is one and its symbols are strictly
    /// ordered: equal numbers are then equal strings, and the engine groups series by number
    /// (``symbolValue(_:ofName:)``) without building their label sets. Nil when the series keep none.
    var sharedSymbolTable: SymbolTable? { get }

    /// The number of series `i`'s value of the label whose name is numbered `name` in
    /// ``sharedSymbolTable``, nil when it has none. Only called when that table is not nil.
    func symbolValue(_ i: Int, ofName name: UInt32) -> UInt32?

    /// Replaces `segments` with series `i` cut into consecutive segments in time order, some carrying a
    /// ``SundialStorage/CounterSummary`` that stands for their samples in `rate`, `increase` and `delta` over
    /// windows holding them whole. Returns false, leaving `segments` empty, when the source keeps no summaries.
    func summarizedSegments(_ i: Int, into segments: inout [SampleSegment]) -> Bool

    /// Calls `body` with successive runs of series `i`'s samples in strictly increasing time order, as
    /// parallel buffers of timestamps (milliseconds) and values, valid only during the call, free to decode
    /// into `buffers`, which the engine keeps per thread. Stale markers (``SundialStorage/StaleMarker``) are
    /// delivered like any value.
    func forEachRun(_ i: Int, reusing buffers: inout SampleBuffers,
                    _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws

    /// Calls `body` with the runs of one segment of series `i` (from ``summarizedSegments(_:into:)``), as
    /// ``forEachRun(_:reusing:_:)`` does.
    func forEachRun(_ i: Int, in segment: SampleSegment, reusing buffers: inout SampleBuffers,
                    _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws
}

/// A list of ``QuerySeries`` read as a ``QuerySelection``: what a source that only lists its series gives
/// the engine.
public final class QuerySeriesList: QuerySelection {
    /// The series, in the order given (sorted by labels).
    public let all: [any QuerySeries]
    /// Every series' symbol labels, when they all number them in one strictly ordered table.
    private let symbolic: [SymbolLabels]?

    /// Wraps `series`.
    public init(_ series: [any QuerySeries]) {
        all = series
        var symbolic: [SymbolLabels]? = []
        symbolic?.reserveCapacity(series.count)
        for one in series {
            guard let symbols = one.symbolLabels, symbolic?.first.map({ $0.table === symbols.table }) ?? true else {
                symbolic = nil
                break
            }
            symbolic?.append(symbols)
        }
        self.symbolic = symbolic?.first?.table.isStrictlyOrdered == true ? symbolic : nil
    }

    /// How many series the list holds.
    public var count: Int { all.count }

    /// Series `i`'s labels.
    public func labels(_ i: Int) -> LabelSet { all[i].labels }

    /// The table of the series' ``QuerySeries/symbolLabels``, when every series has them in one strictly
    /// ordered table.
    public var sharedSymbolTable: SymbolTable? { symbolic?.first?.table }

    /// The number of series `i`'s value of label name number `name`, from its ``QuerySeries/symbolLabels``.
    public func symbolValue(_ i: Int, ofName name: UInt32) -> UInt32? { symbolic?[i].value(ofName: name) }

    /// Series `i`'s ``QuerySeries/summarizedSegments()``; false when it has none.
    public func summarizedSegments(_ i: Int, into segments: inout [SampleSegment]) -> Bool {
        guard let found = all[i].summarizedSegments() else {
            segments.removeAll(keepingCapacity: true)
            return false
        }
        segments = found
        return true
    }

    /// Series `i`'s ``QuerySeries/forEachRun(reusing:_:)``.
    public func forEachRun(_ i: Int, reusing buffers: inout SampleBuffers,
                           _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        try all[i].forEachRun(reusing: &buffers, body)
    }

    /// Series `i`'s ``QuerySeries/forEachRun(in:reusing:_:)``.
    public func forEachRun(_ i: Int, in segment: SampleSegment, reusing buffers: inout SampleBuffers,
                           _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        try all[i].forEachRun(in: segment, reusing: &buffers, body)
    }
}

/// One selected series: its labels and its samples, delivered in time order.
public protocol QuerySeries {
    /// The series' labels, metric name (`__name__`) included.
    var labels: LabelSet { get }

    /// The labels as numbers in a symbol table that other series of the same selection may share (the
    /// series of one block do), which lets the engine group series without building their label sets;
    /// nil when the source keeps none (the default).
    var symbolLabels: SymbolLabels? { get }

    /// Calls `body` with successive runs of samples in strictly increasing time order, as parallel
    /// buffers of timestamps (milliseconds) and values, valid only during the call. Stale markers
    /// (``SundialStorage/StaleMarker``) are delivered like any value.
    func forEachRun(_ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws

    /// The series cut into consecutive segments in time order, some carrying a
    /// ``SundialStorage/CounterSummary`` that stands for their samples in `rate`, `increase` and
    /// `delta` over windows holding them whole; nil when the source keeps no summaries (the default).
    func summarizedSegments() -> [SampleSegment]?

    /// Calls `body` with the runs of one segment of ``summarizedSegments()``, as ``forEachRun(_:)`` does.
    func forEachRun(in segment: SampleSegment, _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws

    /// ``forEachRun(_:)``, free to decode into `buffers`, which the engine keeps per thread from series to
    /// series. The default ignores them.
    func forEachRun(reusing buffers: inout SampleBuffers, _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws

    /// ``forEachRun(in:_:)``, free to decode into `buffers`. The default ignores them.
    func forEachRun(in segment: SampleSegment, reusing buffers: inout SampleBuffers,
                    _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws
}

extension QuerySeries {
    /// No symbol table: the engine reads ``labels``.
    public var symbolLabels: SymbolLabels? { nil }

    /// No summaries: every sample is decoded.
    public func summarizedSegments() -> [SampleSegment]? { nil }

    /// Decodes as ``forEachRun(_:)`` does; `buffers` are not used.
    public func forEachRun(reusing buffers: inout SampleBuffers,
                           _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        try forEachRun(body)
    }

    /// Decodes as ``forEachRun(in:_:)`` does; `buffers` are not used.
    public func forEachRun(in segment: SampleSegment, reusing buffers: inout SampleBuffers,
                           _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        try forEachRun(in: segment, body)
    }

    /// The samples of the whole series inside the segment's time span.
    public func forEachRun(in segment: SampleSegment, _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        try forEachRun { ts, vs in
            let low = ts.firstIndex { $0 >= segment.minTimeMs } ?? ts.count
            let high = ts.firstIndex { $0 > segment.maxTimeMs } ?? ts.count
            if low < high { try body(UnsafeBufferPointer(rebasing: ts[low..<high]), UnsafeBufferPointer(rebasing: vs[low..<high])) }
        }
    }
}

extension SeriesSamples: QuerySeries {
    /// ``SundialStorage/SeriesSamples/segments()``: block chunks of integers carry their summaries.
    public func summarizedSegments() -> [SampleSegment]? { segments() }
}

extension SeriesSelection: QuerySelection {
    /// Block chunks of integers carry their summaries: always true.
    public func summarizedSegments(_ i: Int, into segments: inout [SampleSegment]) -> Bool {
        self.segments(i, into: &segments)
        return true
    }
}

extension Snapshot: QuerySource {
    /// A snapshot is immutable and its blocks' caches are locked: any number of threads may read.
    public var supportsConcurrentReads: Bool { true }

    /// ``Snapshot/selection(_:minTimeMs:maxTimeMs:)``: the series held flat.
    public func selection(matching matchers: [LabelMatcher], minTimeMs: Int64, maxTimeMs: Int64) throws -> any QuerySelection {
        try selection(matchers, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs)
    }

    /// ``Snapshot/select(_:minTimeMs:maxTimeMs:)`` as a ``QuerySource``.
    public func series(matching matchers: [LabelMatcher], minTimeMs: Int64, maxTimeMs: Int64) throws -> [any QuerySeries] {
        try select(matchers, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs)
    }
}

/// A source over series held in memory: handy for tests, examples and for evaluating PromQL over
/// data that never touched a store.
///
/// ```swift
/// let source = InMemorySource([
///     InMemorySeries(LabelSet(name: "up"), [Sample(timestampMs: 0, value: 1)]),
/// ])
/// ```
public struct InMemorySource: QuerySource {
    /// The series, kept sorted by labels.
    public let all: [InMemorySeries]

    /// Immutable values: any number of threads may read.
    public var supportsConcurrentReads: Bool { true }

    /// Creates a source over `series` (any order; samples must be sorted by time).
    public init(_ series: [InMemorySeries]) {
        all = series.sorted { $0.labels < $1.labels }
    }

    /// The series every matcher selects, with their samples clipped to `[minTimeMs, maxTimeMs]`.
    public func series(matching matchers: [LabelMatcher], minTimeMs: Int64, maxTimeMs: Int64) throws -> [any QuerySeries] {
        var out: [any QuerySeries] = []
        for series in all where matchers.allSatisfy({ $0.matches(series.labels[$0.name] ?? "") }) {
            let kept = series.samples.filter { $0.timestampMs >= minTimeMs && $0.timestampMs <= maxTimeMs }
            if !kept.isEmpty { out.append(InMemorySeries(series.labels, kept)) }
        }
        return out
    }
}

/// One series held in memory.
public struct InMemorySeries: QuerySeries, Sendable {
    /// The series' labels.
    public let labels: LabelSet
    /// The samples, sorted by time without repeated timestamps.
    public let samples: [Sample]

    /// Creates a series.
    public init(_ labels: LabelSet, _ samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }

    /// Delivers all samples as one run.
    public func forEachRun(_ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) throws {
        let timestamps = samples.map(\.timestampMs)
        let values = samples.map(\.value)
        try timestamps.withUnsafeBufferPointer { t in try values.withUnsafeBufferPointer { v in try body(t, v) } }
    }
}
