import Dispatch
import Foundation
import Sundial

// In-process timings on a store (for the 24 h corpus: `sundial generate --scale standard --duration 24h
// --seed 1 --out DIR`, `sundial ingest`, `sundial compact`). Modes:
//   query   the headline queries at the newest sample (instant) and over the last 24 h at 1 m steps (range)
//   instant the instant ones only
//   open    Store.open read-only, then close
//   decode  every sample of every series through Snapshot.select / forEachRun (`decode REGEX`: of the series
//           whose name matches REGEX), on one thread
//   append  2.04 M samples (3,400 series × 600 scrapes; `append N` for N scrapes) through the batch API,
//           durable commits of 100k, into a new store in the system's temporary directory
// Each prints its median and extremes over REPS runs; compare binaries built from two commits in one run.

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: inprocess-bench STORE [REPS] [query|instant|decode|append]")
    exit(2)
}
let reps = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 20) : 20
let mode = arguments.count > 3 ? arguments[3] : "query"

func nanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
/// CPU time of the whole process (every thread), in nanoseconds: steadier than wall time on a shared machine.
func cpuNanoseconds() -> UInt64 {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = UInt64(usage.ru_utime.tv_sec) * 1_000_000_000 + UInt64(usage.ru_utime.tv_usec) * 1000
    let system = UInt64(usage.ru_stime.tv_sec) * 1_000_000_000 + UInt64(usage.ru_stime.tv_usec) * 1000
    return user + system
}
func report(_ label: String, _ times: [Double], _ suffix: String = "") {
    let sorted = times.sorted()
    print(String(format: "%@: median %.3f ms, min %.3f, max %.3f%@", label, sorted[sorted.count / 2], sorted[0], sorted[sorted.count - 1], suffix))
}

switch mode {
case "query", "instant", "p99range", "range", "at":
    let store = try Store.open(at: arguments[1], options: .readOnly)
    let snapshot = store.snapshot()
    guard let newest = snapshot.timeRange()?.maxTimeMs else { print("the store is empty"); exit(1) }
    let engine = QueryEngine(source: snapshot)
    let queries: [(String, Bool)] = [
        ("histogram_quantile(0.99, sum by (operation, le) (rate(persistence_latency_bucket[5m])))", false),
        ("histogram_quantile(0.99, sum by (operation, le) (rate(persistence_latency_bucket[5m])))", true),
        ("sum by (namespace) (rate(service_requests[5m]))", true),
        ("sum by (namespace) (increase(workflow_failed[1d]))", false),
    ]
    // `range QUERY` / `at QUERY` as a sixth argument times one query of your own (24 h at 1 m, or at the newest sample).
    let custom: [(String, Bool)] = arguments.count > 4 && (mode == "range" || mode == "at") ? [(arguments[4], mode == "range")] : []
    for (query, isRange) in queries + custom where mode == "query" || (mode == "instant" && !isRange) || (mode == "p99range" && isRange && query.hasPrefix("histogram"))
        || mode == "range" || mode == "at" {
        if (mode == "range" || mode == "at") && !custom.contains(where: { $0.0 == query && $0.1 == isRange }) { continue }
        var times: [Double] = []
        var cpu: [Double] = []
        for _ in 0..<reps {
            let start = nanoseconds()
            let startCPU = cpuNanoseconds()
            _ = isRange ? try engine.range(query, startMs: newest - 86_400_000, endMs: newest, stepMs: 60_000)
                        : try engine.instant(query, atMs: newest)
            times.append(Double(nanoseconds() - start) / 1e6)
            cpu.append(Double(cpuNanoseconds() - startCPU) / 1e6)
        }
        let sortedCPU = cpu.sorted()
        report((isRange ? "range 24h@1m " : "instant ") + query, times,
               String(format: "; CPU median %.3f ms, min %.3f", sortedCPU[sortedCPU.count / 2], sortedCPU[0]))
    }
case "open":
    // Opening the store read-only (manifest, block footers, index frames parsed): a cold process pays it once.
    var times: [Double] = []
    for _ in 0..<reps {
        let start = nanoseconds()
        let store = try Store.open(at: arguments[1], options: .readOnly)
        times.append(Double(nanoseconds() - start) / 1e6)
        store.close()
    }
    report("open", times)
case "decode":
    let store = try Store.open(at: arguments[1], options: .readOnly)
    let snapshot = store.snapshot()
    var times: [Double] = []
    var count = 0
    for _ in 0..<reps {
        let start = nanoseconds()
        count = 0
        // `decode REGEX` decodes only the series whose name matches REGEX (one thread).
        let names = arguments.count > 4 ? arguments[4] : ".+"
        for series in try snapshot.select([try LabelMatcher(.regex, "__name__", names)]) {
            try series.forEachRun { timestamps, _ in count += timestamps.count }
        }
        times.append(Double(nanoseconds() - start) / 1e6)
    }
    let best = times.min() ?? 1
    report("decode all", times, String(format: " (%d samples; best %.1f M samples/s)", count, Double(count) / best / 1000))
case "append":
    var times: [Double] = []
    let directory = NSTemporaryDirectory() + "inprocess-bench-append-\(getpid())"
    // A fifth argument sets the scrapes (default 600: 2.04 M samples, below the head's seal limit of 4 M).
    let scrapes = arguments.count > 4 ? max(1, Int(arguments[4]) ?? 600) : 600
    let count = 3400 * scrapes
    var withClose: [Double] = []
    for _ in 0..<reps {
        try? FileManager.default.removeItem(atPath: directory)
        let store = try Store.open(at: directory)
        let labels = (0..<3400).map { LabelSet(name: "m\($0 % 40)", ["operation": "o\($0)", "namespace": "ns\($0 % 5)"]) }
        let references = try labels.map { try store.reference(for: $0) }
        let start = nanoseconds()
        var batch = store.makeBatch()
        batch.reserveCapacity(100_000)
        for scrape in 0..<scrapes {
            let t = Int64(1_700_000_000_000) + Int64(scrape) * 15_000
            for (i, reference) in references.enumerated() {
                batch.append(reference, timestampMs: t, value: Double(scrape * (i % 7)))
                if batch.sampleCount == 100_000 {
                    try store.commit(batch)
                    batch.removeAll()
                }
            }
        }
        try store.commit(batch)
        times.append(Double(nanoseconds() - start) / 1e6)
        store.close()
        // close() waits for a head frozen at its limit to be written into blocks in the background.
        withClose.append(Double(nanoseconds() - start) / 1e6)
    }
    try? FileManager.default.removeItem(atPath: directory)
    let best = times.min() ?? 1
    report("append", times, String(format: " (%d samples; best %.2f M samples/s, median %.2f)", count, Double(count) / best / 1000,
                                   Double(count) / times.sorted()[times.count / 2] / 1000))
    report("append and close", withClose, String(format: " (median %.2f M samples/s)", Double(count) / withClose.sorted()[withClose.count / 2] / 1000))
default:
    print("unknown mode \(mode): query, instant, p99range, range, at, open, decode or append")
    exit(2)
}
