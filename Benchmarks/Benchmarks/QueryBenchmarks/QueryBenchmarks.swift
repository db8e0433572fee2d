import Benchmark
import BenchmarkSupport
import Sundial

// Query evaluation in process: the store is opened once, the engine evaluates the headline queries
// over and over (compare the whole `sundial query` process in docs/PERFORMANCE.md, side by side).
// Run: tools/benchmark-check, or cd Benchmarks && swift package benchmark --target QueryBenchmarks

/// The open store, the engine over its snapshot, and the times the queries run at: the newest
/// sample (instant), the 24 h before it or the whole store when shorter (range, 1 m step), as
/// `tools/compare-peers` does.
struct QueryFixture: @unchecked Sendable {
    let store: Store
    let engine: QueryEngine
    let endMs: Int64
    let startMs: Int64

    init() {
        do {
            store = try QueryStore.open()
        } catch {
            fatalError("query benchmarks: could not open or build \(QueryStore.path): \(error)")
        }
        let stats = store.statistics()
        endMs = stats.maxTime ?? 0
        startMs = max(stats.minTime ?? 0, endMs - 86_400_000)
        engine = QueryEngine(source: store.snapshot())
    }
}

let fixture = QueryFixture()

/// The headline queries: (benchmark name stem, PromQL).
let queries = [
    ("p99-by-operation", "histogram_quantile(0.99, sum by (operation, le) (rate(persistence_latency_bucket[5m])))"),
    ("error-ratio-by-operation",
     "sum by (operation) (rate(service_error_with_type[5m])) / sum by (operation) (rate(service_requests[5m]))"),
    ("request-rate-by-namespace", "sum by (namespace) (rate(service_requests[5m]))"),
    ("workflow-failures-by-namespace-1d", "sum by (namespace) (increase(workflow_failed[1d]))"),
]

let benchmarks: @Sendable () -> Void = {
    let instant = Tolerances.configuration(maxIterations: 200, maxSeconds: 10, timeUnits: .microseconds)
    let range = Tolerances.configuration(maxIterations: 30, maxSeconds: 20)
    for (name, query) in queries {
        Benchmark("Query-\(name)-instant", configuration: instant) { _ in
            blackHole(try fixture.engine.instant(query, atMs: fixture.endMs))
        } setup: {
            precondition(fixture.endMs > 0, "the query store is empty")
        }
        Benchmark("Query-\(name)-range-24h-1m", configuration: range) { _ in
            blackHole(try fixture.engine.range(query, startMs: fixture.startMs, endMs: fixture.endMs, stepMs: 60_000))
        } setup: {
            precondition(fixture.endMs > 0, "the query store is empty")
        }
    }
}
