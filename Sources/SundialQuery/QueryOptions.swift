/// Settings of a ``QueryEngine``: the staleness rule and the limits that protect the process.
///
/// ```swift
/// var options = QueryOptions()
/// options.maxSamples = 5_000_000
/// let engine = QueryEngine(source: snapshot, options: options)
/// ```
public struct QueryOptions: Sendable, Equatable {
    /// How far back an instant selector looks for the latest sample (Prometheus'
    /// `--query.lookback-delta`, 5 minutes). A sample exactly this old still counts.
    public var lookbackDeltaMs: Int64 = 5 * 60_000
    /// The most samples a query may touch: samples read from the source plus the points of every
    /// intermediate and final result (Prometheus' `--query.max-samples`, 50 million).
    public var maxSamples: Int = 50_000_000
    /// The most series all selectors of one query may select together.
    public var maxSeries: Int = 1_000_000
    /// The most bytes of step series a query may produce, intermediate results included (each
    /// series costs about 9 bytes per step plus its labels): 2 GiB, so that a query too big for the
    /// machine fails with a message instead of an out-of-memory kill.
    public var maxMemoryBytes: Int = 2 << 30
    /// The most evaluation steps of a range query (Prometheus' HTTP API allows 11,000).
    public var maxSteps: Int = 11_000
    /// The step of a subquery written without one (`x[1h:]`); Prometheus uses the global
    /// evaluation interval, 1 minute by default.
    public var defaultSubqueryStepMs: Int64 = 60_000

    /// The defaults above.
    public init() {}
}
