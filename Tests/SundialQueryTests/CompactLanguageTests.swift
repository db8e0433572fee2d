import Testing
@testable import SundialQuery

@Suite struct CompactLanguageTests {
    let names: Set<String> = [
        "persistence_latency_bucket", "persistence_latency_sum", "persistence_latency_count", "persistence_requests",
        "persistence_error_with_type", "service_requests_total", "service_errors_total", "service_latency_milliseconds_bucket",
        "workflow_failed",
    ]

    private func plan(_ text: String) throws -> CompactTranslator.Plan {
        try CompactTranslator(metricNames: names).plan(try CompactParser.parse(text))
    }

    @Test func recognisesTheCompactFormAndLeavesPromQLAlone() {
        #expect(CompactParser.looksCompact("p99 persistence_latency by operation"))
        #expect(CompactParser.looksCompact("p50,p95,p99 service_latency by operation"))
        #expect(CompactParser.looksCompact("rate service_requests by namespace"))
        #expect(CompactParser.looksCompact("persistence_errors / persistence_requests by operation"))
        #expect(!CompactParser.looksCompact("sum by (operation) (rate(persistence_requests[5m]))"))
        #expect(!CompactParser.looksCompact("persistence_requests"))
        #expect(!CompactParser.looksCompact("rate(x[5m])"))
    }

    @Test func percentilesBecomeHistogramQuantileOverSummedBucketRates() throws {
        let p = try plan("p99 persistence_latency by operation")
        #expect(p.columns.map(\.promQL) == ["histogram_quantile(0.99, sum by (operation, le) (rate(persistence_latency_bucket[5m])))"])
        #expect(p.columns.first?.unit == .seconds)
        #expect(p.bucketMetric == "persistence_latency_bucket")
        let several = try plan(#"p50,p95,p99.9 service_latency{namespace="prod"} by operation over 10m"#)
        #expect(several.columns.map(\.name) == ["p50", "p95", "p99.9"])
        #expect(several.columns[2].promQL == #"histogram_quantile(0.999, sum by (operation, le) (rate(service_latency_milliseconds_bucket{namespace="prod"}[10m])))"#)
        #expect(several.columns[0].unit == .milliseconds)
        #expect(several.notes.contains { $0.contains("service_latency_milliseconds_bucket") })
    }

    @Test func ratesIncreasesTopAndWithout() throws {
        #expect(try plan("rate service_requests by namespace").columns[0].promQL == "sum by (namespace) (rate(service_requests_total[5m]))")
        #expect(try plan("increase workflow_failed by namespace over 24h").columns[0].promQL
            == "sum by (namespace) (increase(workflow_failed[1d]))")
        #expect(try plan("top 5 rate persistence_requests without operation").columns[0].promQL
            == "topk(5, sum without (operation) (rate(persistence_requests[5m])))")
        #expect(try plan("rate persistence_requests").columns[0].promQL == "sum(rate(persistence_requests[5m]))")
    }

    @Test func errorRatioFallsBackToErrorWithTypeAndSaysSo() throws {
        let persistence = try plan("errors persistence by operation")
        #expect(persistence.columns[0].promQL == "(sum by (operation) (rate(persistence_error_with_type[5m])) or (sum by (operation) (rate(persistence_requests[5m])) * 0)) / sum by (operation) (rate(persistence_requests[5m]))")
        #expect(persistence.notes.contains { $0.contains("every error") })
        let service = try plan("errors service by operation")
        #expect(service.columns[0].promQL.contains("rate(service_errors_total[5m])"))
        let ratio = try plan("persistence_error_with_type / persistence_requests by operation")
        #expect(ratio.columns[0].promQL == "sum by (operation) (rate(persistence_error_with_type[5m])) / sum by (operation) (rate(persistence_requests[5m]))")
    }

    @Test func mistakesArePointedAtWithSuggestions() throws {
        do {
            _ = try plan("p99 persistance_latency by operation")
            Issue.record("an unknown family was accepted")
        } catch let error as QueryError {
            #expect(error.description.contains("did you mean `persistence_latency`"))
        }
        #expect(throws: QueryError.parse(message: "not a valid duration string: \"per\"; expected something like 5m, 1h30m or 24h", position: 31)) {
            try CompactParser.parse("rate persistence_requests over per")
        }
        #expect(throws: QueryError.parse(message: "unexpected \"5m\"; expected by, without or over", position: 26)) {
            try CompactParser.parse("rate persistence_requests 5m per")
        }
        #expect(throws: QueryError.self) { try CompactParser.parse("p99 persistence_latency by") }
        #expect(throws: QueryError.self) { try CompactParser.parse("p99 persistence_latency over 5x") }
        #expect(throws: QueryError.self) { try CompactParser.parse("top zero rate x") }
    }
}
