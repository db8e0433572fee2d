import Foundation
import SundialStorage
import Testing
@testable import SundialQuery

/// Every temporal.md section 3 query against a small synthetic store: instant and 1 h range
/// evaluation succeed, live panels return data, panels over metrics the server no longer emits
/// return nothing, and a range query agrees with instant queries at its steps.
@Suite struct DashboardQueryTests {
    static let endSeconds = 3600.0

    private func withStore(_ body: (QueryEngine) throws -> Void) throws {
        let dir = TemporaryDirectory("dashboards")
        defer { dir.remove() }
        let store = try makeStore(at: dir.path, TemporalFixture.series(durationSeconds: Self.endSeconds))
        defer { store.close() }
        try body(QueryEngine(source: store.snapshot()))
    }

    @Test func everyQueryEvaluatesInstantAndRange() throws {
        try withStore { engine in
            for query in DashboardCorpus.all {
                do {
                    _ = try engine.instant(query, atMs: Int64(Self.endSeconds * 1000))
                    let range = try engine.range(query, startMs: 0, endMs: Int64(Self.endSeconds * 1000), stepMs: 60_000)
                    if case .matrix = range {} else { Issue.record("\(query): range result is not a matrix") }
                } catch {
                    Issue.record("\(query) failed: \(error)")
                }
            }
        }
    }

    @Test func livePanelsHaveDataAndStalePanelsAreEmpty() throws {
        try withStore { engine in
            let at = Self.endSeconds
            // Panel 1, service availability: a percentage.
            let availability = engine.value(DashboardCorpus.serverGeneral[0], at: at)
            #expect(availability.map { $0 > 90 && $0 <= 100 } == true, "\(String(describing: availability))")
            // External events by operation: the two frontend operations in the regex.
            #expect(engine.vector(DashboardCorpus.serverGeneral[2], at: at).map { $0.labels["operation"] ?? "" }
                == ["SignalWorkflowExecution", "StartWorkflowExecution"])
            // Latency p95 per operation: finite, within the bucket range.
            let p95 = engine.vector(DashboardCorpus.serverGeneral[30], at: at)
            #expect(p95.count == 8)
            #expect(p95.allSatisfy { $0.value > 0 && $0.value <= 10 })
            // Persistence latency merges le="1" and le="1.0".
            #expect(engine.vector(DashboardCorpus.serverGeneral[35], at: at).count == 3)
            // φ = 100 gives +Inf, as in Prometheus.
            #expect(engine.vector(DashboardCorpus.history[7], at: at).map(\.value) == [.infinity])
            // sum by (__name__) over rate(): rate dropped the name, so one unnamed series remains.
            #expect(engine.vector(DashboardCorpus.serverGeneral[28], at: at).map(\.labels) == [LabelSet([])])
            // Scavengers running: started − (stopped or started×0) per scavenger.
            #expect(engine.vector(DashboardCorpus.matchingAndVisibility[10], at: at).map(\.value) == [3])
            // Stale metric names and labels give empty results, not errors.
            for stale in [DashboardCorpus.serverGeneral[7], DashboardCorpus.serverGeneral[14], DashboardCorpus.serverGeneral[21],
                          DashboardCorpus.documentationValid[2]] {
                #expect(engine.vector(stale, at: at).allSatisfy { $0.labels.labels.isEmpty || $0.labels["temporal_namespace"] == nil },
                        "\(stale)")
            }
            #expect(engine.vector(DashboardCorpus.serverGeneral[7], at: at).isEmpty)
            #expect(engine.vector(DashboardCorpus.documentationValid[2], at: at).isEmpty)
            // The relabelled label is absent, so everything falls in one group.
            #expect(engine.vector(DashboardCorpus.serverGeneral[13], at: at).map(\.labels) == [LabelSet([])])
            // A gauge that went stale half-way is gone at the end but present before.
            #expect(engine.vector("num_goroutines", at: at).isEmpty)
            #expect(engine.value("num_goroutines", at: 600) == 300)
        }
    }

    @Test func theMissingCommaQueryFailsToParse() throws {
        try withStore { engine in
            #expect(throws: QueryError.self) { try engine.instant(DashboardCorpus.missingComma, atMs: 0) }
            #expect(throws: QueryError.self) {
                try engine.range(DashboardCorpus.missingComma.replacingOccurrences(of: "$percentile", with: "0.95"),
                                 startMs: 0, endMs: 60_000, stepMs: 60_000)
            }
        }
    }

    @Test func rangeResultsEqualInstantResultsAtEachStep() throws {
        try withStore { engine in
            for query in DashboardCorpus.all {
                try assertRangeMatchesInstants(engine, query, startMs: 300_000, endMs: 3_600_000, stepMs: 300_000)
            }
        }
    }
}

/// Fails the test unless `query` evaluated as a range query gives, at every step, exactly the
/// samples (labels and value bit patterns) of an instant query at that step.
func assertRangeMatchesInstants(_ engine: QueryEngine, _ query: String, startMs: Int64, endMs: Int64, stepMs: Int64,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
    let range = try engine.range(query, startMs: startMs, endMs: endMs, stepMs: stepMs)
    var fromRange: [Int64: [LabelSet: UInt64]] = [:]
    for series in range.matrix {
        for sample in series.samples { fromRange[sample.timestampMs, default: [:]][series.labels] = sample.value.bitPattern }
    }
    var t = startMs
    while t <= endMs {
        var fromInstant: [LabelSet: UInt64] = [:]
        switch try engine.instant(query, atMs: t) {
        case let .vector(samples): for s in samples { fromInstant[s.labels] = s.value.bitPattern }
        case let .scalar(_, value): fromInstant[LabelSet([])] = value.bitPattern
        default: Issue.record("\(query) is not an instant vector or scalar", sourceLocation: sourceLocation)
        }
        let ranged = fromRange[t] ?? [:]
        if ranged != fromInstant {
            let keys = Set(ranged.keys).union(fromInstant.keys).filter { ranged[$0] != fromInstant[$0] }.sorted()
            let diff = keys.prefix(3).map { k in
                "\(k): range \(ranged[k].map { Double(bitPattern: $0) }.map { "\($0)" } ?? "-") instant \(fromInstant[k].map { Double(bitPattern: $0) }.map { "\($0)" } ?? "-")"
            }
            Issue.record("\(query) at \(t): \(diff.joined(separator: "; "))", sourceLocation: sourceLocation)
            return
        }
        t += stepMs
    }
}
