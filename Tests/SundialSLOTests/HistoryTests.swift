import Testing
import SundialQuery
import SundialSLO
import SundialStorage

@Suite struct HistoryTests {
    let minutes = 3 * 1440
    let hourMs: Int64 = 3_600_000

    /// Requests at 1000 per minute; errors at 1 per minute, 100 per minute in the 30 minutes that end 10 h before
    /// the end (minutes `incident ..< incident + 30`).
    var incidentSource: InMemorySource {
        let incident = minutes - 600 - 30
        return InMemorySource([
            Constructed.counter("requests", minutes: minutes) { _ in 1000 },
            Constructed.counter("errors", minutes: minutes, start: 1000) { ($0 >= incident && $0 < incident + 30) ? 100 : 1 },
        ])
    }

    @Test func everyStepEqualsTheInstantStatusAtThatTime() throws {
        let spec = Constructed.availability(objective: 0.999, days: 1)
        let evaluator = SLOEvaluator(source: incidentSource)
        let history = try evaluator.history([spec], fromMs: Constructed.endMs - 24 * hourMs, toMs: Constructed.endMs,
                                            stepMs: hourMs)
        #expect(history.stepMs == hourMs)
        #expect(history.toMs == Constructed.endMs)
        let group = try #require(history.slos.first?.groups.first)
        #expect(group.points.count == 25)
        for index in [0, 10, 14, 24] {
            let point = group.points[index]
            let status = try #require(try evaluator.evaluate(spec, atMs: point.timeMs).groups.first)
            let sli = try #require(point.sli)
            #expect(abs(sli - (status.sli ?? .nan)) < 1e-12, "SLI at step \(index)")
            #expect(abs((point.budgetRemaining ?? .nan) - (status.budget?.remainingFraction ?? .nan)) < 1e-9)
            #expect(point.burnRates == status.burnRates, "burn rates at step \(index)")
            #expect(point.firing == status.firingSeverity)
        }
        #expect(history.evaluation.statuses.first?.groups.first?.sli == group.points.last?.sli)
    }

    @Test func anIncidentIsTheRunOfStepsThatBurnedFasterThanTheSlowestPage() throws {
        let spec = Constructed.availability(objective: 0.999)
        let history = try SLOEvaluator(source: incidentSource)
            .history([spec], fromMs: Constructed.endMs - 24 * hourMs, toMs: Constructed.endMs, stepMs: 600_000)
        let slo = try #require(history.slos.first)
        #expect(abs(slo.incidentBurnRate - 6) < 1e-9)
        let group = try #require(slo.groups.first)
        #expect(group.incidents.count == 1)
        let incident = try #require(group.incidents.first)
        // The errors ran from 10 h 30 min to 10 h before the end; steps are 10 minutes.
        let startMs = Constructed.endMs - 630 * 60_000, endMs = Constructed.endMs - 600 * 60_000
        #expect(abs(incident.startMs - startMs) <= 600_000, "start \(incident.startMs - startMs) ms off")
        #expect(abs(incident.endMs - endMs) <= 600_000, "end \(incident.endMs - endMs) ms off")
        // 10 % errors over the step: burn 100.
        #expect(abs(incident.peakBurnRate - 100) < 5, "peak \(incident.peakBurnRate)")
        #expect(abs(incident.badEvents - 3000) < 300, "bad \(incident.badEvents)")
        #expect(incident.severity == .page)
        let consumed = try #require(incident.budgetConsumedFraction)
        let allowed = try #require(group.current.budget?.allowedBadEvents)
        #expect(abs(consumed - incident.badEvents / allowed) < 1e-12)
        // Away from the incident the budget burns at 1 and no step is part of an incident.
        let quiet = try #require(group.points.first)
        #expect(abs((quiet.stepBurnRate(objective: 0.999) ?? 0) - 1) < 1e-6)
    }

    @Test func theStepGivesAFewHundredPoints() {
        #expect(SLOHistory.step(forRangeMs: 30 * 86_400_000) == 3 * 3_600_000)
        #expect(SLOHistory.step(forRangeMs: 6 * 3_600_000) == 120_000)
        #expect(SLOHistory.step(forRangeMs: 0) == 15_000)
        for range: Int64 in [3_600_000, 86_400_000, 7 * 86_400_000, 90 * 86_400_000] {
            let points = range / SLOHistory.step(forRangeMs: range) + 1
            #expect(points >= 100 && points <= 301, "\(points) points for \(range) ms")
        }
    }

    @Test func aRangeThatEndsBeforeItStartsIsAnError() {
        #expect(throws: SLOEvaluationError.self) {
            try SLOEvaluator(source: incidentSource).history([Constructed.availability(objective: 0.99)],
                                                             fromMs: Constructed.endMs, toMs: Constructed.endMs - 1)
        }
    }
}
