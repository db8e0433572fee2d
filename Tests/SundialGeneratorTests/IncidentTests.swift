import Testing
@testable import SundialGenerator

/// Incident windows raise error ratios and latency on the operations they touch, and only there.
@Suite struct IncidentTests {
    static let corpus = TemporalCorpus(options: CorpusOptions(
        seed: 8, durationMs: 12 * 3_600_000, scrapeIntervalMs: 60_000,
        scale: CorpusScale(namespaces: 3, serviceOperations: 12, persistenceOperations: 8, latencyBucketsSeconds: CorpusScale.referenceBucketsSeconds),
        incidentsPerDay: 12, restarts: false
    ))

    /// Per answered scrape, its time and the sum of every family's values (no restarts: series only grow).
    static let totals: [(ms: Int64, byName: [String: Double])] = CorpusFixtures.scrapes(corpus).map {
        ($0.timestampMs, ExpositionChecker.totalsByName($0.text))
    }

    /// Sums of the named families' increases over scrape intervals inside incidents of `kind`, and outside
    /// any incident.
    static func increases(_ names: Set<String>, kind: IncidentKind) -> (inside: Double, outside: Double) {
        var inside = 0.0, outside = 0.0
        for (previous, current) in zip(totals, totals.dropFirst()) {
            let mid = previous.ms / 2 + current.ms / 2
            let delta = names.reduce(0.0) { $0 + (current.byName[$1] ?? 0) - (previous.byName[$1] ?? 0) }
            if corpus.incidents.contains(where: { $0.kind == kind && $0.contains(mid) }) {
                inside += delta
            } else if !corpus.incidents.contains(where: { $0.contains(mid) }) {
                outside += delta
            }
        }
        return (inside, outside)
    }

    @Test func incidentWindowsAreSeededAndShapedAsDocumented() {
        let incidents = Self.corpus.incidents
        #expect(incidents.count >= 3)
        #expect(incidents.contains { $0.kind == .persistenceSlowdown })
        for incident in incidents {
            let minutes = Double(incident.endMs - incident.startMs) / 60_000
            #expect(minutes >= 5 && minutes <= 30)
            #expect((incident.kind == .namespaceRateLimited) == (incident.namespace != nil))
        }
    }

    @Test func persistenceSlowdownsRaiseTheUnexpectedErrorRatio() {
        let errors = Self.increases(["service_errors", "persistence_errors"], kind: .persistenceSlowdown)
        let requests = Self.increases(["service_requests", "persistence_requests"], kind: .persistenceSlowdown)
        #expect(requests.inside > 0 && requests.outside > 0)
        let inside = errors.inside / requests.inside, outside = errors.outside / requests.outside
        #expect(inside > 20 * outside && inside > 1e-4, "error ratio inside \(inside), outside \(outside)")
        #expect(outside < 1e-4)
    }

    @Test func persistenceSlowdownsRaiseMeanPersistenceLatency() {
        let sums = Self.increases(["persistence_latency_sum"], kind: .persistenceSlowdown)
        let counts = Self.increases(["persistence_latency_count"], kind: .persistenceSlowdown)
        let inside = sums.inside / counts.inside, outside = sums.outside / counts.outside
        #expect(inside > 2 * outside, "mean latency inside \(inside) s, outside \(outside) s")
    }

    @Test func expectedErrorsKeepTheirNormalShareOutsideIncidents() {
        let errors = Self.increases(["service_error_with_type"], kind: .persistenceSlowdown)
        let requests = Self.increases(["service_requests"], kind: .persistenceSlowdown)
        let ratio = errors.outside / requests.outside
        #expect(ratio > 1e-5 && ratio < 2e-3, "normal error share \(ratio)")
    }

    @Test func aRateLimitedNamespaceGetsResourceExhaustedOnItsFrontendCalls() throws {
        let corpus = TemporalCorpus(options: CorpusOptions(
            seed: 8, durationMs: 24 * 3_600_000, scrapeIntervalMs: 60_000, scale: .tiny, incidentsPerDay: 10, restarts: false
        ))
        let incident = try #require(corpus.incidents.first { $0.kind == .namespaceRateLimited })
        let namespace = TemporalNaming.tallySanitized(try #require(incident.namespace))
        let interval = corpus.options.scrapeIntervalMs
        let first = Int((incident.startMs - corpus.options.startMs) / interval) + 1
        let last = Int((incident.endMs - corpus.options.startMs) / interval) - 1
        #expect(last > first)
        func totals(_ index: Int) throws -> (exhausted: Double, requests: Double) {
            let parsed = ExpositionChecker.parse(try #require(corpus.scrapeText(index)))
            var exhausted = 0.0, requests = 0.0
            for s in parsed.samples where s["namespace"] == namespace && s["service_name"] == "frontend" {
                if s.name == "service_error_with_type" && s["error_type"] == "serviceerror_ResourceExhausted" { exhausted += s.value }
                if s.name == "service_requests" { requests += s.value }
            }
            return (exhausted, requests)
        }
        let before = try totals(first), after = try totals(last)
        let share = (after.exhausted - before.exhausted) / (after.requests - before.requests)
        #expect(share > 0.04 && share < 0.4, "ResourceExhausted share \(share)")
        // Expected errors: service_errors does not count them.
        let errorsText = String(decoding: try #require(corpus.scrapeText(last)), as: UTF8.self)
        let unexpected = errorsText.split(separator: "\n").filter {
            $0.hasPrefix("service_errors{namespace=\"\(namespace)\"") && $0.contains("service_name=\"frontend\"")
        }
        #expect(unexpected.count < 3)
    }
}
