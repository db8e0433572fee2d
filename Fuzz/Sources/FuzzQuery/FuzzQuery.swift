import SundialQuery
import SundialStorage

/// A tiny Temporal-shaped source: two counters, a histogram with three buckets, a gauge with a stale
/// marker and special values, 20 minutes at 15 s. Small, so that each evaluation stays cheap.
let source: InMemorySource = {
    let minutes = 20
    func samples(_ value: (Int) -> Double) -> [Sample] {
        (0..<(minutes * 4)).map { Sample(timestampMs: Int64($0) * 15_000, value: value($0)) }
    }
    var series: [InMemorySeries] = []
    for (i, operation) in ["StartWorkflowExecution", "GetWorkflowExecution"].enumerated() {
        let labels = ["operation": operation, "namespace": "default", "service_name": "frontend"]
        series.append(InMemorySeries(LabelSet(name: "service_requests", labels), samples { Double($0 * (i + 2)) }))
        series.append(InMemorySeries(LabelSet(name: "service_errors", labels), samples { Double($0 / (5 + i)) }))
        for (le, share) in [("0.005", 0.5), ("0.1", 0.9), ("+Inf", 1.0)] {
            var bucket = labels
            bucket["le"] = le
            series.append(InMemorySeries(LabelSet(name: "persistence_latency_bucket", bucket),
                                         samples { (Double($0 * 10) * share).rounded(.down) }))
        }
    }
    series.append(InMemorySeries(LabelSet(name: "num_goroutines", ["instance": "a"]), samples { step in
        [Double.nan, .infinity, -.infinity, StaleMarker.value, -0.0, 1e308][step % 6] }))
    return InMemorySource(series)
}()

/// Small limits so that one input costs milliseconds, not seconds.
let options: QueryOptions = {
    var options = QueryOptions()
    options.maxSamples = 200_000
    options.maxSeries = 1_000
    options.maxSteps = 100
    return options
}()

let engine = QueryEngine(source: source, options: options)
let translator = CompactTranslator(metricNames: Set(source.all.map(\.labels.metricName)))

/// Parses `text` as PromQL and, when it parses, prints it and evaluates it as an instant query and
/// as a 21-step range query over the source.
func evaluate(_ text: String) {
    guard let expr = try? PromQLParser.parse(text) else { return }
    _ = expr.description
    _ = try? engine.instant(expr, atMs: 600_000)
    _ = try? engine.range(expr, startMs: 0, endMs: 1_200_000, stepMs: 60_000)
}

/// libFuzzer's entry point: the input is query text (invalid UTF-8 is repaired). It is parsed as
/// PromQL and evaluated, and, when it looks like the compact form, also parsed as that, translated
/// and each translation evaluated.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    evaluate(text)
    if CompactParser.looksCompact(text), let compact = try? CompactParser.parse(text),
       let plan = try? translator.plan(compact) {
        for column in plan.columns { evaluate(column.promQL) }
    }
    return 0
}
