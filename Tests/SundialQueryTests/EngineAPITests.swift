import SundialStorage
import Testing
@testable import SundialQuery

@Suite struct EngineAPITests {
    let e = engine([
        series("persistence_latency_bucket", ["operation": "Get", "le": "0.1"], [(0, 0), (60, 60)]),
        series("persistence_latency_bucket", ["operation": "Get", "le": "+Inf"], [(0, 0), (60, 120)]),
    ])

    @Test func treesBuiltInCodeEvaluateLikeTheirText() throws {
        let rate = Expr.call("rate", .range(VectorSelector(metricName: "persistence_latency_bucket"), rangeMs: 60_000))
        let summed = Expr.aggregation(Aggregation(.sum, rate, grouping: .by(["operation", "le"])))
        let p50 = Expr.call("histogram_quantile", .number(0.5), summed)
        let fromTree = try e.instant(p50, atMs: 60_000)
        let fromText = try e.instant(p50.description, atMs: 60_000)
        #expect(fromTree == fromText)
        #expect(fromTree.vector.map(\.labels) == [labels("", ["operation": "Get"])])
        #expect(close(fromTree.vector.first?.value, 0.1))
        let range = try e.range(p50, startMs: 0, endMs: 60_000, stepMs: 30_000)
        #expect(range.matrix.count == 1)
    }

    @Test func invalidTreesAreRefusedBeforeEvaluation() {
        let bad = Expr.call("rate", .selector("persistence_latency_bucket"))
        #expect(throws: QueryError.invalidExpression(
            #"expected type range vector in call to function "rate", got instant vector in `rate(persistence_latency_bucket)`"#)) {
            try e.instant(bad, atMs: 0)
        }
        #expect(throws: QueryError.self) { try e.instant(.call("no_such_function"), atMs: 0) }
        #expect(throws: QueryError.self) { try e.instant(.binary(.number(1), .and, .number(2)), atMs: 0) }
        #expect(throws: QueryError.self) { try e.instant(.aggregation(Aggregation(.topk, .selector("x"))), atMs: 0) }
        #expect(throws: QueryError.self) {
            try e.instant(.aggregation(Aggregation(.sum, .selector("x"), grouping: .by(["not-a-label"]))), atMs: 0)
        }
    }

    @Test func resultKinds() throws {
        #expect(try e.instant("1 + 1", atMs: 5000) == .scalar(timestampMs: 5000, value: 2))
        #expect(try e.instant(#""text""#, atMs: 0) == .string("text"))
        #expect(try e.instant("persistence_latency_bucket[1m]", atMs: 60_000).matrix.count == 2)
        #expect(try e.instant("persistence_latency_bucket", atMs: 60_000).vector.count == 2)
        #expect(try e.instant("persistence_latency_bucket", atMs: 60_000).matrix.isEmpty)
    }

    @Test func snapshotsAndInMemorySourcesSelectTheSame() throws {
        let all = TemporalFixture.series(durationSeconds: 900)
        let dir = TemporaryDirectory("sources")
        defer { dir.remove() }
        let store = try makeStore(at: dir.path, all)
        defer { store.close() }
        try store.flush()  // blocks as well as the head
        let fromStore = QueryEngine(source: store.snapshot())
        let fromMemory = engine(all)
        for query in ["service_requests", #"rate(service_latency_bucket{operation=~"Start.*"}[5m])"#, "num_goroutines",
                      #"sum by (operation) (increase(persistence_requests[10m]))"#] {
            #expect(try fromStore.instant(query, atMs: 900_000) == fromMemory.instant(query, atMs: 900_000), "\(query)")
            #expect(try fromStore.range(query, startMs: 0, endMs: 900_000, stepMs: 45_000)
                == fromMemory.range(query, startMs: 0, endMs: 900_000, stepMs: 45_000), "\(query)")
        }
    }
}
