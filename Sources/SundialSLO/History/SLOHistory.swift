import SundialStorage

/// Every SLO's history over a time range: at each step the SLI and the error budget over the rolling period, the
/// burn rates of the alert windows, and the incidents (docs/SLO.md, "History and incidents").
///
/// ```swift
/// let history = try SLOEvaluator(source: store.snapshot())
///     .history(DefaultTemporalSLOs.specs(), fromMs: nowMs - 7 * 86_400_000, toMs: nowMs)
/// for group in history.groupsWorstFirst { print(group.sloName, group.labels, group.incidents.count) }
/// ```
public struct SLOHistory: Sendable {
    /// The first step, in Unix milliseconds (at or after the requested start).
    public var fromMs: Int64
    /// The last step, in Unix milliseconds (the requested end).
    public var toMs: Int64
    /// The distance between steps, in milliseconds.
    public var stepMs: Int64
    /// One history per spec, in the order given.
    public var slos: [SLOSpecHistory]

    /// The step times, oldest first.
    public var timestampsMs: [Int64] {
        Array(stride(from: fromMs, through: toMs, by: Int(stepMs)))
    }

    /// Every group of every SLO, worst first by its status at the end of the range (as ``SLOEvaluation`` orders).
    public var groupsWorstFirst: [SLOGroupHistory] {
        slos.flatMap(\.groups).sorted { SLOEvaluation.isWorse($0.current, $1.current) }
    }

    /// The status of every SLO at the end of the range.
    public var evaluation: SLOEvaluation {
        SLOEvaluation(atMs: toMs, statuses: slos.map(\.current))
    }

    /// A step between `~200` and `~400` points for a range: the smallest of 15 s, 30 s, 1 m, 2 m, 5 m, 10 m, 15 m,
    /// 30 m, 1 h, 2 h, 3 h, 6 h, 12 h, 1 d that gives at most 300 steps (a day per step beyond that).
    public static func step(forRangeMs rangeMs: Int64) -> Int64 {
        let steps: [Int64] = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400]
        let wanted = max(rangeMs, 0) / 300
        return (steps.first { $0 * 1000 >= wanted } ?? (wanted / 86_400_000 + 1) * 86_400) * 1000
    }
}

/// One SLO's history: each group's, and the notes of its evaluation.
public struct SLOSpecHistory: Sendable {
    /// The objective.
    public var spec: SLOSpec
    /// One history per group, worst first by the status at the end of the range.
    public var groups: [SLOGroupHistory]
    /// How figures were obtained where that matters (as ``SLOStatus/notes``).
    public var notes: [String]
    /// The burn rate over one step above which a step belongs to an incident: the threshold of the slowest paging
    /// window (6 for a 30-day period: 5 % of the budget in 6 h).
    public var incidentBurnRate: Double
    /// The status at the end of the range (its groups are the groups' ``SLOGroupHistory/current``).
    public var current: SLOStatus
}

/// One group of one SLO over the range.
public struct SLOGroupHistory: Sendable {
    /// The SLO's name.
    public var sloName: String
    /// The group's labels.
    public var labels: LabelSet
    /// The status at the end of the range (what `sundial slo status --at <end>` shows).
    public var current: SLOGroupStatus
    /// One point per step, oldest first.
    public var points: [SLOHistoryPoint]
    /// Maximal runs of steps that burned the budget faster than ``SLOSpecHistory/incidentBurnRate``, oldest first.
    public var incidents: [SLOIncident]
}

/// The state of one group at one step.
public struct SLOHistoryPoint: Sendable, Equatable {
    /// The step time, Unix milliseconds.
    public var timeMs: Int64
    /// The SLI over the rolling period ending here; nil when there were no events.
    public var sli: Double?
    /// The share of the rolling period's error budget left here (negative when overspent); nil without events.
    public var budgetRemaining: Double?
    /// Burn rates over each alert window ending here, shortest first.
    public var burnRates: [BurnRate]
    /// The most severe alert firing here, nil when none.
    public var firing: BurnRateWindow.Severity?
    /// Bad events in the step ending here, `(timeMs − step, timeMs]`.
    public var stepBadEvents: Double
    /// All events in the step ending here.
    public var stepTotalEvents: Double

    /// The burn rate over the step ending here; nil when the step had no events.
    public func stepBurnRate(objective: Double) -> Double? {
        stepTotalEvents > 0 ? stepBadEvents / stepTotalEvents / (1 - objective) : nil
    }

    /// The burn rate over a window, nil when that window had no events.
    public func burnRate(seconds: Int64) -> Double? { burnRates.value(seconds: seconds) }
}

/// A maximal run of steps in which the budget burned faster than the incident burn rate.
public struct SLOIncident: Sendable, Equatable {
    /// The start of the first step of the run (its time minus one step), Unix milliseconds.
    public var startMs: Int64
    /// The end of the last step of the run, Unix milliseconds.
    public var endMs: Int64
    /// The highest burn rate over one step in the run.
    public var peakBurnRate: Double
    /// The end of the step with the highest burn rate.
    public var peakAtMs: Int64
    /// Bad events in the run.
    public var badEvents: Double
    /// All events in the run.
    public var totalEvents: Double
    /// The bad events as a share of the error budget of the period ending at the end of the history's range (the
    /// budget its status shows); nil when that budget is undefined.
    public var budgetConsumedFraction: Double?
    /// The most severe alert that fired at a step of the run, nil when none did.
    public var severity: BurnRateWindow.Severity?
}
