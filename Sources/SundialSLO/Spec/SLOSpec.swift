import Foundation
import SundialQuery

/// One service level objective: what is measured (the indicator), the target, the period and the grouping.
///
/// ```swift
/// let spec = SLOSpec(name: "frontend-availability", objective: 0.999, periodSeconds: 30 * 86_400, groupBy: ["namespace"],
///                    indicator: .ratio(RatioIndicator(bad: .selector("service_errors{service_name=\"frontend\"}"),
///                                                     total: .selector("service_requests{service_name=\"frontend\"}"))))
/// ```
public struct SLOSpec: Sendable, Equatable {
    /// A short unique name, e.g. `frontend-availability`.
    public var name: String
    /// What the objective promises, for people.
    public var description: String?
    /// The target fraction of good events, strictly between 0 and 1 (e.g. 0.9999).
    public var objective: Double
    /// The rolling period the objective is measured over, in seconds (e.g. 28 or 30 days).
    public var periodSeconds: Int64
    /// Labels to evaluate the objective separately for (`namespace`, `operation`); empty for one overall group.
    public var groupBy: [String]
    /// What counts as a good, bad and total event.
    public var indicator: SLOIndicator

    /// Creates a spec.
    public init(name: String, description: String? = nil, objective: Double, periodSeconds: Int64,
                groupBy: [String] = [], indicator: SLOIndicator) {
        self.name = name
        self.description = description
        self.objective = objective
        self.periodSeconds = periodSeconds
        self.groupBy = groupBy
        self.indicator = indicator
    }

    /// The error budget as a fraction of events: `1 − objective`.
    public var budgetFraction: Double { 1 - objective }
}

/// How events are counted.
public enum SLOIndicator: Sendable, Equatable {
    /// Good or bad events over total events, each from counters (availability, failure ratios, any query).
    case ratio(RatioIndicator)
    /// The fraction of observations at or under a latency threshold, from a classic histogram's buckets.
    case latency(LatencyIndicator)
}

/// Events counted by a counter selector or by a query of their own.
public enum EventQuery: Sendable, Equatable {
    /// A series selector of counters, e.g. `service_errors{service_name="frontend"}`. Evaluated as
    /// `sum by (<groupBy>) (increase(<selector>[<window>]))`.
    case selector(String)
    /// A complete PromQL query returning event counts per group, in which `$window` stands for the window
    /// (e.g. `sum by (namespace) (increase(workflow_failed[$window]))`). Its result labels must be the group labels.
    case query(String)
    /// Several counter selectors whose events add up, e.g. `workflow_failed` and `workflow_timeout` (one query each:
    /// PromQL's `increase` drops the metric name, so one regex selector over several names would collide).
    case selectors([String])

    /// A selector when the text has no `$window`, else a query.
    public init(_ text: String) {
        self = text.contains("$window") ? .query(text) : .selector(text)
    }
}

/// Good or bad events over total events. Exactly one of `good` and `bad` is set.
public struct RatioIndicator: Sendable, Equatable {
    /// Good events (bad = total − good), or nil.
    public var good: EventQuery?
    /// Bad events, or nil. A bad family without series while total has events counts as zero bad events (Temporal's
    /// counters only exist after their first increment).
    public var bad: EventQuery?
    /// All events.
    public var total: EventQuery

    /// Creates a ratio from good or bad events.
    public init(good: EventQuery? = nil, bad: EventQuery? = nil, total: EventQuery) {
        self.good = good
        self.bad = bad
        self.total = total
    }
}

/// Requests at or under `thresholdSeconds` are good.
public struct LatencyIndicator: Sendable, Equatable {
    /// The histogram's base name with optional matchers, e.g. `persistence_latency{operation="CreateWorkflowExecution"}`:
    /// `_bucket` is appended to the name.
    public var histogram: String
    /// The threshold, in the histogram's unit (seconds for Temporal).
    public var threshold: Double

    /// Creates a latency indicator.
    public init(histogram: String, threshold: Double) {
        self.histogram = histogram
        self.threshold = threshold
    }

    /// The `_bucket` selector: the name with `_bucket` appended before any matchers.
    public var bucketSelector: String {
        if let brace = histogram.firstIndex(of: "{") {
            return histogram[..<brace].trimmingCharacters(in: .whitespaces) + "_bucket" + histogram[brace...]
        }
        return histogram.trimmingCharacters(in: .whitespaces) + "_bucket"
    }
}
