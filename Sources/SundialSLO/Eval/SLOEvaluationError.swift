import SundialQuery

/// A query of an SLO failed: names the SLO and the PromQL.
public struct SLOEvaluationError: Error, Sendable, CustomStringConvertible {
    /// The SLO's name.
    public var slo: String
    /// The PromQL that failed.
    public var query: String
    /// The engine's error.
    public var error: QueryError

    /// `SLO frontend-availability: query sum(...) failed: ...`.
    public var description: String { "SLO \(slo): query \(query) failed: \(error.description)" }
}
