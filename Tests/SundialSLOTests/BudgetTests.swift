import Testing
import SundialQuery
import SundialSLO
import SundialStorage

@Suite struct BudgetTests {
    let minutes = 31 * 1440

    @Test func steadyTrafficAtTheObjectiveSpendsExactlyTheBudgetAndFiresNothing() throws {
        let source = InMemorySource([
            Constructed.counter("requests", minutes: minutes) { _ in 1000 },
            Constructed.counter("errors", minutes: minutes, start: 1000) { _ in 1 },
        ])
        let status = try SLOEvaluator(source: source).evaluate(Constructed.availability(objective: 0.999), atMs: Constructed.endMs)
        let group = try #require(status.groups.first)
        #expect(status.groups.count == 1)
        let sli = try #require(group.sli)
        #expect(abs(sli - 0.999) < 1e-9)
        let budget = try #require(group.budget)
        #expect(abs(budget.consumedFraction - 1) < 1e-6)
        #expect(abs(budget.remainingFraction) < 1e-6)
        // 0.1 % of 30 days = 43.2 minutes of full outage.
        #expect(abs(budget.outageMinutes - 43.2) < 1e-9)
        #expect(abs(budget.outageMinutesConsumed - 43.2) < 1e-4)
        #expect(abs(group.totalEvents - 1000 * 30 * 1440) < 1)
        for rate in group.burnRates { #expect(abs((rate.value ?? 0) - 1) < 1e-6, "burn over \(rate.windowSeconds)s") }
        // Thresholds for a 30 d period: 14.4, 6, 3, 1 — burn 1 does not exceed 1.
        #expect(group.alerts.map(\.threshold).map { ($0 * 1000).rounded() / 1000 } == [14.4, 6, 3, 1])
        #expect(!group.isFiring)
    }

    @Test func anIncidentInTheLastHalfHourFiresTheFastPage() throws {
        let incidentStart = minutes - 30
        let source = InMemorySource([
            Constructed.counter("requests", minutes: minutes) { _ in 1000 },
            Constructed.counter("errors", minutes: minutes, start: 1000) { $0 >= incidentStart ? 100 : 1 },
        ])
        let evaluation = try SLOEvaluator(source: source).evaluate([Constructed.availability(objective: 0.999)], atMs: Constructed.endMs)
        let group = try #require(evaluation.statuses.first?.groups.first)
        // 5 m: 10 % errors → burn 100. 1 h: (30 × 100 + 30 × 1) / 60 000 = 5.05 % → burn 50.5.
        #expect(abs((group.burnRate(seconds: 300) ?? 0) - 100) < 1e-6)
        #expect(abs((group.burnRate(seconds: 3600) ?? 0) - 50.5) < 1e-6)
        #expect(group.alerts[0].isFiring)
        #expect(group.firingSeverity == .page)
        #expect(evaluation.isAlertFiring)
        // Budget over 30 d: bad = 30 × 1440 − 30 + 3000 (+ extrapolation, equal for both); consumed just over 1.
        let consumed = try #require(group.budget?.consumedFraction)
        #expect(consumed > 1.06 && consumed < 1.08)
    }

    @Test func aCounterResetMidWindowIsCountedByIncrease() throws {
        let reset = minutes - 10 * 1440
        let source = InMemorySource([
            Constructed.counter("requests", minutes: minutes, resetAt: reset) { _ in 1000 },
            Constructed.counter("errors", minutes: minutes, start: 1000, resetAt: reset) { _ in 2 },
        ])
        let status = try SLOEvaluator(source: source).evaluate(Constructed.availability(objective: 0.99), atMs: Constructed.endMs)
        let group = try #require(status.groups.first)
        #expect(abs((group.sli ?? 0) - 0.998) < 1e-9)
        #expect(abs(group.totalEvents - 1000 * 30 * 1440) < 1000 * 2)
        #expect(abs((group.budget?.consumedFraction ?? 0) - 0.2) < 1e-6)
    }

    @Test func noTrafficLeavesTheSLIUndefinedRatherThanPerfect() throws {
        let flat = InMemorySource([Constructed.counter("requests", minutes: 1440) { _ in 0 }])
        for source in [InMemorySource([]), flat] {
            let status = try SLOEvaluator(source: source).evaluate(Constructed.availability(objective: 0.999), atMs: Constructed.endMs)
            let group = try #require(status.groups.first)
            #expect(group.sli == nil)
            #expect(group.budget == nil)
            #expect(!group.isFiring)
            #expect(status.notes.contains { $0.contains("undefined") })
        }
    }

    @Test func groupsAreSeparateAndSortedWorstFirst() throws {
        let source = InMemorySource([
            Constructed.counter("requests", ["namespace": "a"], minutes: 1440) { _ in 100 },
            Constructed.counter("requests", ["namespace": "b"], minutes: 1440) { _ in 100 },
            Constructed.counter("errors", ["namespace": "b"], minutes: 1440, start: 10) { _ in 1 },
        ])
        var spec = Constructed.availability(objective: 0.9, days: 1)
        spec.groupBy = ["namespace"]
        let status = try SLOEvaluator(source: source).evaluate(spec, atMs: Constructed.endMs)
        #expect(status.groups.map { $0.labels["namespace"] } == ["b", "a"])
        // Namespace a has no error series at all: zero errors, not an undefined SLI.
        #expect(status.groups[1].sli == 1)
        #expect(abs((status.groups[0].budget?.consumedFraction ?? 0) - 0.1) < 1e-6)
    }

    @Test func latencyIsExactAtABucketBoundAndInterpolatedBetweenBounds() throws {
        // Per minute: 60 at or under 0.1 s, 30 more at or under 0.5 s, 10 above.
        let counts: [(String, Double)] = [("0.1", 60), ("0.5", 90), ("+Inf", 100)]
        let source = InMemorySource(counts.map { le, n in
            Constructed.counter("lat_bucket", ["le": le], minutes: 1440) { _ in n }
        })
        func sli(_ threshold: Double) throws -> SLOStatus {
            let spec = SLOSpec(name: "lat", objective: 0.9, periodSeconds: 3600,
                               indicator: .latency(LatencyIndicator(histogram: "lat", threshold: threshold)))
            return try SLOEvaluator(source: source).evaluate(spec, atMs: Constructed.endMs)
        }
        let exact = try sli(0.5)
        #expect(abs((exact.groups.first?.sli ?? 0) - 0.9) < 1e-9)
        #expect(!exact.notes.contains { $0.contains("interpolation") })
        #expect(exact.groups.first?.isEstimated == false)
        // 0.3 s is halfway between 0.1 and 0.5: 60 + 30 × 0.5 = 75 of 100.
        let between = try sli(0.3)
        #expect(abs((between.groups.first?.sli ?? 0) - 0.75) < 1e-9)
        #expect(between.notes.contains { $0.contains("interpolation") })
        #expect(between.groups.first?.isEstimated == true)
        // Under the first bound: interpolated from 0.
        #expect(abs((try sli(0.05).groups.first?.sli ?? 0) - 0.3) < 1e-9)
    }

    @Test func thresholdsScaleWithThePeriod() {
        let thresholds = BurnRateWindow.workbook.map { ($0.threshold(periodSeconds: 28 * 86_400) * 1000).rounded() / 1000 }
        #expect(thresholds == [13.44, 5.6, 2.8, 0.933])
    }
}
