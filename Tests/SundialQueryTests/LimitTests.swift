import SundialStorage
import Testing
@testable import SundialQuery

@Suite struct LimitTests {
    let data = (0..<20).map { regular("m", ["i": "\($0)"], start: 0, every: 15, (0..<100).map(Double.init)) }

    @Test func tooManySamplesIsRefusedNamingTheOption() {
        var options = QueryOptions()
        options.maxSamples = 300  // the query reads 20 series × 21 samples
        let e = engine(data, options: options)
        let error = e.failure("sum(rate(m[5m]))", at: 1000)
        guard case let .limitExceeded(message)? = error else {
            Issue.record("expected limitExceeded, got \(String(describing: error))")
            return
        }
        #expect(message.contains("QueryOptions.maxSamples") && message.contains("300"))
        // A query that reads little still runs.
        #expect(e.value(#"m{i="3"}"#, at: 1000) == 66)
    }

    @Test func tooManySeriesIsRefused() {
        var options = QueryOptions()
        options.maxSeries = 10
        let e = engine(data, options: options)
        guard case let .limitExceeded(message)? = e.failure("count(m)", at: 1000) else {
            Issue.record("expected limitExceeded")
            return
        }
        #expect(message.contains("QueryOptions.maxSeries"))
    }

    @Test func resultsTooBigForMemoryAreRefusedBeforeTheyGrow() throws {
        var options = QueryOptions()
        // A range query of 20 series at 1,001 steps holds 20 × (1,001 × 9 + 128) bytes: about 183 KB.
        options.maxMemoryBytes = 100_000
        let e = engine(data, options: options)
        do {
            _ = try e.range("m", startMs: 0, endMs: 1_000_000, stepMs: 1000)
            Issue.record("a range query over the memory limit ran")
        } catch let QueryError.limitExceeded(message) {
            #expect(message.contains("QueryOptions.maxMemoryBytes") && message.contains("--max-memory"))
        }
        // Aggregated, the same data fits: one output series, and the selector's 20 series fit in 183 KB.
        options.maxMemoryBytes = 400_000
        let sum = try engine(data, options: options).range("sum(m)", startMs: 0, endMs: 1_000_000, stepMs: 1000)
        guard case let .matrix(series) = sum else { Issue.record("expected a matrix"); return }
        #expect(series.count == 1)
    }

    @Test func tooManyStepsIsRefused() {
        let e = engine(data)
        #expect(throws: QueryError.self) { try e.range("m", startMs: 0, endMs: 11_000 * 1000, stepMs: 1000) }
        #expect(throws: Never.self) { try e.range("m", startMs: 0, endMs: 10_999 * 1000, stepMs: 1000) }
    }

    @Test func hugeSubqueriesAreRefusedBeforeAllocating() {
        var options = QueryOptions()
        options.maxSamples = 1000
        let e = engine(data, options: options)
        guard case let .limitExceeded(message)? = e.failure("max_over_time(m[1d:1s])", at: 1000) else {
            Issue.record("expected limitExceeded")
            return
        }
        #expect(message.contains("subquery"))
    }

    @Test func sourceFailuresBecomeSourceErrors() {
        struct Failing: QuerySource {
            struct Broken: Error, CustomStringConvertible { var description: String { "connection refused" } }
            func series(matching matchers: [LabelMatcher], minTimeMs: Int64, maxTimeMs: Int64) throws -> [any QuerySeries] {
                throw Broken()
            }
        }
        let e = QueryEngine(source: Failing())
        #expect(throws: QueryError.source("connection refused (while selecting `up`)")) { try e.instant("up", atMs: 0) }
    }
}
