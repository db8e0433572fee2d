/// A query in Sundial's compact form, parsed: what to compute, over which family, grouped how.
///
/// ```
/// p99 persistence_latency by operation
/// p50,p95,p99 service_latency{namespace="prod"} by operation over 10m
/// rate service_requests by namespace
/// increase workflow_failed by namespace over 24h
/// errors persistence by operation
/// persistence_errors / persistence_requests by operation
/// top 5 p99 service_latency by operation
/// ```
/// The grammar is in docs/QUERY.md. ``CompactTranslator`` turns it into PromQL.
public struct CompactQuery: Sendable, Equatable {
    /// What is computed.
    public enum Measure: Sendable, Equatable {
        /// Percentiles from histogram buckets, as fractions (0.99 for p99).
        case percentiles([Double])
        /// Per-second rate of a counter.
        case rate
        /// Increase of a counter over the window.
        case increase
        /// The family's errors over its requests (`persistence` → `persistence_errors / persistence_requests`).
        case errorRatio
        /// Rate of one counter over the rate of another.
        case ratio(denominator: String, denominatorMatchers: String)
    }

    /// What is computed.
    public var measure: Measure
    /// The metric family (for a ratio, the numerator).
    public var family: String
    /// The matchers between braces, as written (PromQL syntax), or empty.
    public var matchers: String
    /// Labels to group by (or, with ``without``, to aggregate away).
    public var grouping: [String]
    /// True for `without`.
    public var without: Bool
    /// The window of rates and increases (`over 5m`).
    public var windowMs: Int64
    /// `top N`: keep the N largest results.
    public var top: Int?

    /// The default window: 5 minutes.
    public static let defaultWindowMs: Int64 = 300_000
}
