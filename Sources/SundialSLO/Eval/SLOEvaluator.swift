import SundialQuery
import SundialStorage

/// Evaluates SLO specs on any query source (a store snapshot, data in memory) at an instant.
///
/// Counts come from `sum by (<groups>) (increase(<counter>[<window>]))` over each window, so budgets are event
/// counts, never averages of ratios; counter resets are handled by `increase`. Math: docs/SLO.md.
///
/// ```swift
/// let evaluator = SLOEvaluator(source: store.snapshot())
/// let evaluation = try evaluator.evaluate(DefaultTemporalSLOs.specs(), atMs: nowMs)
/// if evaluation.isAlertFiring { ... }
/// ```
public struct SLOEvaluator: Sendable {
    /// Where the counters are read.
    public let engine: QueryEngine
    /// The multi-window alerts to evaluate.
    public var windows: [BurnRateWindow]

    /// The engine settings an evaluator uses unless given others: the defaults, except that `maxSamples` is 2⁴⁰.
    /// An SLO over a 30-day period reads every sample of its counters for 30 days (`increase(x[30d])`): 60 latency
    /// histograms of 14 buckets scraped every 15 s are 145 million samples, three times the query default of 50
    /// million. The engine decodes one series at a time, so memory does not grow with the samples read.
    public static let defaultQueryOptions: QueryOptions = {
        var options = QueryOptions()
        options.maxSamples = 1 << 40
        return options
    }()

    /// Creates an evaluator over `source`.
    public init(source: any QuerySource, options: QueryOptions = SLOEvaluator.defaultQueryOptions,
                windows: [BurnRateWindow] = BurnRateWindow.workbook) {
        engine = QueryEngine(source: source, options: options)
        self.windows = windows
    }

    /// Evaluates every spec at `atMs`.
    /// - Throws: ``SLOEvaluationError`` naming the SLO and the query that failed.
    public func evaluate(_ specs: [SLOSpec], atMs: Int64) throws(SLOEvaluationError) -> SLOEvaluation {
        var statuses: [SLOStatus] = []
        for spec in specs { statuses.append(try evaluate(spec, atMs: atMs)) }
        return SLOEvaluation(atMs: atMs, statuses: statuses)
    }

    /// Evaluates one spec at `atMs`.
    /// - Throws: ``SLOEvaluationError`` naming the SLO and the query that failed.
    public func evaluate(_ spec: SLOSpec, atMs: Int64) throws(SLOEvaluationError) -> SLOStatus {
        let evaluated = try evaluate(spec, grid: .instant(atMs))
        var groups = evaluated.groups.values.compactMap(\.first)
        groups.sort(by: SLOEvaluation.isWorse)
        var notes = evaluated.notes
        if groups.allSatisfy({ $0.sli == nil }) {
            notes.append("no events over the period: the SLI is undefined, not 100 %")
        }
        return SLOStatus(spec: spec, atMs: atMs, groups: groups, notes: notes)
    }

    /// Every group's status at every step of a grid: one range query per counter and window.
    func evaluate(_ spec: SLOSpec, grid: EvaluationGrid) throws(SLOEvaluationError) -> GridStatuses {
        var notes: [String] = []
        // A long window longer than the period would judge more than the period's whole budget: left out.
        let windows = self.windows.filter { $0.longSeconds <= spec.periodSeconds }
        if windows.count < self.windows.count {
            notes.append("alert windows longer than the \(SLODuration.text(spec.periodSeconds * 1000)) period are left out")
        }
        let burnWindows = Set(windows.flatMap { [$0.longSeconds, $0.shortSeconds] }).sorted()
        let period = try counts(spec, windowSeconds: spec.periodSeconds, grid: grid, notes: &notes)
        var byWindow: [Int64: [LabelSet: [EventCounts?]]] = [:]
        for seconds in burnWindows {
            byWindow[seconds] = seconds == spec.periodSeconds ? period.counts
                : try counts(spec, windowSeconds: seconds, grid: grid, notes: &notes).counts
        }
        var keys = Set(period.counts.keys)
        for counts in byWindow.values { keys.formUnion(counts.keys) }
        if keys.isEmpty { keys.insert(LabelSet([])) }

        var groups: [LabelSet: [SLOGroupStatus]] = [:]
        for key in keys {
            groups[key] = (0..<grid.count).map { step in
                let counts = period.counts[key]?[step] ?? EventCounts(bad: 0, total: 0)
                let rates = burnWindows.map { seconds in
                    BurnRate(windowSeconds: seconds, value: byWindow[seconds]?[key]?[step].flatMap { burnRate($0, spec) })
                }
                return groupStatus(spec, key, counts: counts, rates: rates, windows: windows, estimated: period.estimated)
            }
        }
        return GridStatuses(groups: groups, notes: notes)
    }

    private func groupStatus(_ spec: SLOSpec, _ key: LabelSet, counts: EventCounts, rates: [BurnRate],
                             windows: [BurnRateWindow], estimated: Bool) -> SLOGroupStatus {
        func rate(_ seconds: Int64) -> Double? { rates.first { $0.windowSeconds == seconds }?.value }
        let alerts = windows.map { window in
            let threshold = window.threshold(periodSeconds: spec.periodSeconds)
            let long = rate(window.longSeconds)
            let short = rate(window.shortSeconds)
            return BurnRateAlert(window: window, threshold: threshold, longBurnRate: long, shortBurnRate: short,
                                 isFiring: (long ?? 0) > threshold && (short ?? 0) > threshold)
        }
        let defined = counts.total > 0
        return SLOGroupStatus(
            sloName: spec.name, labels: key, objective: spec.objective, periodSeconds: spec.periodSeconds,
            totalEvents: counts.total, badEvents: counts.bad,
            sli: defined ? 1 - counts.bad / counts.total : nil,
            budget: defined ? budget(counts, spec) : nil,
            burnRates: rates, alerts: alerts,
            isLowTraffic: counts.total * spec.budgetFraction < 1,
            isEstimated: estimated)
    }

    private func burnRate(_ counts: EventCounts, _ spec: SLOSpec) -> Double? {
        guard counts.total > 0 else { return nil }
        return counts.bad / counts.total / spec.budgetFraction
    }

    private func budget(_ counts: EventCounts, _ spec: SLOSpec) -> ErrorBudget {
        let allowed = spec.budgetFraction * counts.total
        let consumed = counts.bad / allowed
        let outage = spec.budgetFraction * Double(spec.periodSeconds) / 60
        return ErrorBudget(allowedBadEvents: allowed, consumedFraction: consumed, remainingFraction: 1 - consumed,
                           badEventsLeft: allowed - counts.bad, outageMinutes: outage,
                           outageMinutesConsumed: consumed * outage, outageMinutesLeft: (1 - consumed) * outage)
    }
}

/// Bad and total events of one group over one window.
struct EventCounts: Equatable {
    var bad: Double
    var total: Double
}

/// Each group's status at each step of an ``EvaluationGrid``, and the notes of the evaluation.
struct GridStatuses {
    var groups: [LabelSet: [SLOGroupStatus]]
    var notes: [String]
}

/// Every SLO's status at one instant.
public struct SLOEvaluation: Sendable {
    /// When, in Unix milliseconds.
    public var atMs: Int64
    /// One status per spec, in the order given.
    public var statuses: [SLOStatus]

    /// Every group of every SLO, worst first: paging alerts, then ticket alerts, then by budget consumed; groups
    /// with an undefined SLI last.
    public var groupsWorstFirst: [SLOGroupStatus] {
        statuses.flatMap(\.groups).sorted(by: Self.isWorse)
    }

    /// True when any group has a firing alert.
    public var isAlertFiring: Bool { statuses.contains { $0.groups.contains(where: \.isFiring) } }

    static func isWorse(_ a: SLOGroupStatus, _ b: SLOGroupStatus) -> Bool {
        func rank(_ g: SLOGroupStatus) -> Int {
            switch g.firingSeverity { case .page?: 0; case .ticket?: 1; case nil: g.sli == nil ? 3 : 2 }
        }
        if rank(a) != rank(b) { return rank(a) < rank(b) }
        let ca = a.budget?.consumedFraction ?? -.infinity
        let cb = b.budget?.consumedFraction ?? -.infinity
        if ca != cb { return ca > cb }
        if a.sloName != b.sloName { return a.sloName < b.sloName }
        return a.labels < b.labels
    }
}
