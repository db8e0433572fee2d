import Testing
@testable import SundialGenerator

/// The OpenTelemetry exporter's names, units and labels versus tally's.
@Suite struct NamingTests {
    static func lastScrape(_ naming: TemporalNaming, scale: CorpusScale) -> ParsedScrape {
        let corpus = TemporalCorpus(options: CorpusOptions(seed: 21, durationMs: 20 * 60_000, naming: naming, scale: scale, restarts: false))
        return ExpositionChecker.parse(CorpusFixtures.scrapes(corpus).last?.text ?? [])
    }

    static let scale = CorpusScale(namespaces: 5, serviceOperations: 8, persistenceOperations: 6)

    @Test func openTelemetryRenamesCountersAndTimersAndAddsScopeLabels() {
        let otel = Self.lastScrape(.openTelemetry, scale: Self.scale)
        #expect(otel.problems.isEmpty, "\(otel.problems.prefix(3))")
        let types = Dictionary(otel.types.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        #expect(types["service_requests_total"] == "counter")
        #expect(types["persistence_latency_milliseconds"] == "histogram")
        #expect(types["num_goroutines"] == "gauge")
        #expect(types["service_requests"] == nil && types["service_latency"] == nil)
        for (name, type) in types where type == "counter" { #expect(name.hasSuffix("_total"), "\(name)") }
        for (name, type) in types where type == "histogram" { #expect(name.hasSuffix("_milliseconds"), "\(name)") }
        for sample in otel.samples {
            #expect(sample["otel_scope_name"] == "temporal" && sample["otel_scope_version"] == "", "\(sample.seriesKey)")
        }
        let bounds = otel.samples.filter { $0.name == "service_latency_milliseconds_bucket" }.compactMap { $0["le"] }
        #expect(Array(bounds.prefix(20)) == [
            "1", "2", "5", "10", "20", "50", "100", "200", "500", "1000", "2000", "5000", "10000", "20000", "50000",
            "100000", "200000", "500000", "1e+06", "+Inf",
        ])
        // OpenTelemetry leaves label values alone; tally sanitises them.
        #expect(otel.samples.contains { $0["namespace"] == "temporal-system" })
        #expect(otel.samples.contains { $0["error_type"]?.hasPrefix("serviceerror.") == true })
        let tally = Self.lastScrape(.tally, scale: Self.scale)
        #expect(tally.samples.contains { $0["namespace"] == "temporal_system" })
        #expect(!tally.samples.contains { $0["namespace"] == "temporal-system" })
        #expect(tally.samples.contains { $0.name == "service_latency_bucket" && $0["le"] == "1000" })
    }

    @Test func bothNamingsCountTheSameTrafficInTheirOwnUnits() {
        let tally = Self.lastScrape(.tally, scale: Self.scale)
        let otel = Self.lastScrape(.openTelemetry, scale: Self.scale)
        func key(_ s: ParsedSample) -> String {
            let labels = s.labels.filter { !$0.name.hasPrefix("otel_scope") && $0.name != "le" }
                .map { "\($0.name)=\(TemporalNaming.tallySanitized($0.value))" }
            return labels.joined(separator: ",")
        }
        var tallyCounts: [String: Double] = [:], tallySums: [String: Double] = [:], tallyRequests: [String: Double] = [:]
        for s in tally.samples {
            if s.name == "service_latency_count" { tallyCounts[key(s)] = s.value }
            if s.name == "service_latency_sum" { tallySums[key(s)] = s.value }
            if s.name == "service_requests" { tallyRequests[key(s)] = s.value }
        }
        var compared = 0
        for s in otel.samples {
            if s.name == "service_latency_milliseconds_count" { #expect(tallyCounts[key(s)] == s.value) }
            if s.name == "service_requests_total" { #expect(tallyRequests[key(s)] == s.value) }
            if s.name == "service_latency_milliseconds_sum", let seconds = tallySums[key(s)] {
                #expect(abs(s.value / (seconds * 1000) - 1) < 1e-12)
                compared += 1
            }
        }
        #expect(compared == tallySums.count && compared > 20)
    }
}
