import SundialStorage

/// The state of every group of one SLO at one instant.
public struct SLOStatus: Sendable {
    /// The objective evaluated.
    public var spec: SLOSpec
    /// When, in Unix milliseconds.
    public var atMs: Int64
    /// One entry per group (label values of `spec.groupBy`), worst first.
    public var groups: [SLOGroupStatus]
    /// How figures were obtained where that matters (e.g. a latency threshold between bucket bounds).
    public var notes: [String]
}

/// One group of one SLO: its SLI over the period, its error budget, burn rates and alerts.
public struct SLOGroupStatus: Sendable {
    /// The SLO's name.
    public var sloName: String
    /// The group's labels (only the `groupBy` labels; empty for an ungrouped SLO).
    public var labels: LabelSet
    /// The target fraction of good events.
    public var objective: Double
    /// The period, in seconds.
    public var periodSeconds: Int64
    /// All events over the period.
    public var totalEvents: Double
    /// Bad events over the period.
    public var badEvents: Double
    /// Good events over total events over the period; nil when there were no events (undefined, not 100 %).
    public var sli: Double?
    /// The error budget; nil when the SLI is undefined.
    public var budget: ErrorBudget?
    /// Burn rates over each window used by the alerts, shortest first.
    public var burnRates: [BurnRate]
    /// The multi-window alerts, in Workbook order.
    public var alerts: [BurnRateAlert]
    /// True when the period's budget allows less than one bad event: the objective cannot be judged on this traffic.
    public var isLowTraffic: Bool
    /// True when the good events were estimated by interpolating inside a histogram bucket.
    public var isEstimated: Bool

    /// True when any alert fires.
    public var isFiring: Bool { alerts.contains(where: \.isFiring) }

    /// The most severe firing alert's severity, nil when none fires.
    public var firingSeverity: BurnRateWindow.Severity? {
        if alerts.contains(where: { $0.isFiring && $0.window.severity == .page }) { return .page }
        return alerts.contains(where: \.isFiring) ? .ticket : nil
    }

    /// The burn rate over a window, nil when that window had no events.
    public func burnRate(seconds: Int64) -> Double? { burnRates.value(seconds: seconds) }
}

extension [BurnRate] {
    /// The burn rate over the window of `seconds`, nil when absent or undefined.
    func value(seconds: Int64) -> Double? { first { $0.windowSeconds == seconds }?.value }
}

/// How much of the period's error budget is spent.
public struct ErrorBudget: Sendable, Equatable {
    /// Bad events allowed over the period: `(1 − objective) × total`.
    public var allowedBadEvents: Double
    /// Spent share: `bad / allowed` (may exceed 1).
    public var consumedFraction: Double
    /// `1 − consumed` (negative when overspent).
    public var remainingFraction: Double
    /// Bad events still allowed: `allowed − bad` (negative when overspent).
    public var badEventsLeft: Double
    /// The whole budget as minutes of full outage: `(1 − objective) × period` (4.32 min for 99.99 % over 30 d).
    public var outageMinutes: Double
    /// Minutes of full outage equivalent spent: `consumed × outageMinutes`.
    public var outageMinutesConsumed: Double
    /// Minutes of full outage equivalent left: `remaining × outageMinutes`.
    public var outageMinutesLeft: Double
}

/// The burn rate over one window: the error ratio over it divided by the budget fraction.
public struct BurnRate: Sendable, Equatable {
    /// The window, in seconds.
    public var windowSeconds: Int64
    /// The burn rate; nil when the window had no events.
    public var value: Double?
}

/// One multi-window alert's state.
public struct BurnRateAlert: Sendable, Equatable {
    /// The window pair and budget share.
    public var window: BurnRateWindow
    /// The threshold for this SLO's period.
    public var threshold: Double
    /// The burn rate over the long window.
    public var longBurnRate: Double?
    /// The burn rate over the short window.
    public var shortBurnRate: Double?
    /// True when both burn rates exceed the threshold.
    public var isFiring: Bool
}
