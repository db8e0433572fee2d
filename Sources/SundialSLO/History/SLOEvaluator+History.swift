import SundialStorage

extension SLOEvaluator {
    /// Evaluates every spec at each step from `fromMs` to `toMs`: the rolling-period SLI and budget, the alert
    /// windows' burn rates and the incidents. The last step is `toMs`; the step is ``SLOHistory/step(forRangeMs:)``
    /// unless given. Each counter is read with one range query per window, so every series is decoded once per
    /// window for the whole range, not once per step.
    /// - Parameters:
    ///   - specs: The objectives.
    ///   - fromMs: The start of the range, Unix milliseconds.
    ///   - toMs: The end of the range (the last step), Unix milliseconds; not before `fromMs`.
    ///   - stepMs: The distance between steps, a positive whole number of seconds; nil picks one.
    /// - Throws: ``SLOEvaluationError`` naming the SLO and the query that failed (also for a bad range or step).
    public func history(_ specs: [SLOSpec], fromMs: Int64, toMs: Int64,
                        stepMs: Int64? = nil) throws(SLOEvaluationError) -> SLOHistory {
        let step = stepMs ?? SLOHistory.step(forRangeMs: toMs - fromMs)
        guard toMs >= fromMs, step > 0, step % 1000 == 0 else {
            throw SLOEvaluationError(slo: specs.first?.name ?? "-", query: "history",
                                     error: .invalidArgument("a history needs from <= to and a step of whole seconds"))
        }
        let count = Int((toMs - fromMs) / step) + 1
        let grid = EvaluationGrid(startMs: toMs - Int64(count - 1) * step, stepMs: step, count: count)
        var slos: [SLOSpecHistory] = []
        for spec in specs { slos.append(try history(spec, grid: grid)) }
        return SLOHistory(fromMs: grid.startMs, toMs: toMs, stepMs: step, slos: slos)
    }

    private func history(_ spec: SLOSpec, grid: EvaluationGrid) throws(SLOEvaluationError) -> SLOSpecHistory {
        let evaluated = try evaluate(spec, grid: grid)
        var notes = evaluated.notes
        let perStep = try counts(spec, windowSeconds: grid.stepMs / 1000, grid: grid, notes: &notes)
        let incidentBurnRate = Self.incidentBurnRate(windows.filter { $0.longSeconds <= spec.periodSeconds },
                                                     periodSeconds: spec.periodSeconds)
        var groups: [SLOGroupHistory] = []
        for (key, statuses) in evaluated.groups {
            guard let current = statuses.last else { continue }
            let steps = perStep.counts[key] ?? []
            let points = statuses.indices.map { step in
                let status = statuses[step]
                let counts = step < steps.count ? steps[step] : nil
                return SLOHistoryPoint(timeMs: grid.time(step), sli: status.sli,
                                       budgetRemaining: status.budget?.remainingFraction, burnRates: status.burnRates,
                                       firing: status.firingSeverity, stepBadEvents: counts?.bad ?? 0,
                                       stepTotalEvents: counts?.total ?? 0)
            }
            let incidents = Self.incidents(points, allowedBadEvents: current.budget?.allowedBadEvents,
                                           objective: spec.objective, stepMs: grid.stepMs, burnRate: incidentBurnRate)
            groups.append(SLOGroupHistory(sloName: spec.name, labels: key, current: current, points: points,
                                          incidents: incidents))
        }
        groups.sort { SLOEvaluation.isWorse($0.current, $1.current) }
        if groups.allSatisfy({ $0.current.sli == nil }) {
            notes.append("no events over the period: the SLI is undefined, not 100 %")
        }
        let current = SLOStatus(spec: spec, atMs: grid.endMs, groups: groups.map(\.current), notes: notes)
        return SLOSpecHistory(spec: spec, groups: groups, notes: notes, incidentBurnRate: incidentBurnRate,
                              current: current)
    }

    /// The threshold of the paging window with the longest long window (6 for 30 d); without paging windows the
    /// lowest threshold; without windows 1 (burning exactly the budget).
    static func incidentBurnRate(_ windows: [BurnRateWindow], periodSeconds: Int64) -> Double {
        if let slowestPage = windows.filter({ $0.severity == .page }).max(by: { $0.longSeconds < $1.longSeconds }) {
            return slowestPage.threshold(periodSeconds: periodSeconds)
        }
        return windows.map { $0.threshold(periodSeconds: periodSeconds) }.min() ?? 1
    }

    /// Maximal runs of steps whose own burn rate exceeds `burnRate`; their budget share is of `allowedBadEvents`
    /// (the period's budget at the end of the range).
    static func incidents(_ points: [SLOHistoryPoint], allowedBadEvents: Double?, objective: Double, stepMs: Int64,
                          burnRate: Double) -> [SLOIncident] {
        var incidents: [SLOIncident] = []
        var open: SLOIncident?
        for point in points {
            guard let rate = point.stepBurnRate(objective: objective), rate > burnRate else {
                if let finished = open { incidents.append(finished) }
                open = nil
                continue
            }
            var incident = open ?? SLOIncident(startMs: point.timeMs - stepMs, endMs: point.timeMs, peakBurnRate: rate,
                                               peakAtMs: point.timeMs, badEvents: 0, totalEvents: 0,
                                               budgetConsumedFraction: nil, severity: nil)
            incident.endMs = point.timeMs
            if rate > incident.peakBurnRate { (incident.peakBurnRate, incident.peakAtMs) = (rate, point.timeMs) }
            incident.badEvents += point.stepBadEvents
            incident.totalEvents += point.stepTotalEvents
            if let allowed = allowedBadEvents, allowed > 0 {
                incident.budgetConsumedFraction = incident.badEvents / allowed
            }
            if point.firing == .page || incident.severity == .page { incident.severity = .page }
            else if point.firing == .ticket { incident.severity = .ticket }
            open = incident
        }
        if let finished = open { incidents.append(finished) }
        return incidents
    }
}
