import Benchmark
import BenchmarkSupport
import Foundation
import Sundial

// Inner loops of the store, measured on Temporal-shaped data from the project's generator.
// Run: tools/benchmark-check (or cd Benchmarks && swift package benchmark --target StorageBenchmarks);
// thresholds in Benchmarks/Thresholds/.

/// A corpus held in memory as (series, timestamps, values), parsed once from generated scrape text.
final class Corpus: @unchecked Sendable {
    let labels: [LabelSet]
    let refs: [Int]          // per sample: index into labels
    let timestamps: [Int64]
    let values: [Double]

    init(hours: Int, scale: CorpusScale) {
        var options = CorpusOptions()
        options.scale = scale
        options.durationMs = Int64(hours) * 3_600_000
        let corpus = TemporalCorpus(options: options)
        var index: [String: Int] = [:]
        var labels: [LabelSet] = []
        var refs: [Int] = []
        var timestamps: [Int64] = []
        var values: [Double] = []
        var iterator = corpus.makeIterator(instance: 0)
        var buffer: [UInt8] = []
        while let (_, t) = iterator.nextScrape(replacing: &buffer) {
            let document = String(decoding: buffer, as: UTF8.self)
            for line in document.split(separator: "\n") where !line.hasPrefix("#") {
                guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
                let key = String(line[..<space])
                let id: Int
                if let known = index[key] { id = known } else {
                    id = labels.count
                    index[key] = id
                    labels.append(Corpus.parseLabels(key))
                }
                refs.append(id)
                timestamps.append(t)
                values.append(value)
            }
        }
        self.labels = labels
        self.refs = refs
        self.timestamps = timestamps
        self.values = values
    }

    static func parseLabels(_ key: String) -> LabelSet {
        guard let brace = key.firstIndex(of: "{") else { return LabelSet(name: key) }
        var labels = [Label("__name__", String(key[..<brace]))]
        let body = key[key.index(after: brace)..<key.index(before: key.endIndex)]
        for pair in body.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            labels.append(Label(String(parts[0]), String(parts[1].dropFirst().dropLast())))
        }
        return LabelSet(labels)
    }

    var sampleCount: Int { refs.count }
}

let corpus = Corpus(hours: 6, scale: .standard)

/// Loads the corpus into a fresh store through the bulk path and compacts it.
func loadedStore() throws -> (Store, String) {
    let path = temporaryPath("load")
    let store = try Store.open(at: path)
    let refs = try corpus.labels.map { try store.reference(for: $0) }
    let load = try store.bulkLoad()
    for i in 0..<corpus.sampleCount { try load.append(refs[corpus.refs[i]], timestampMs: corpus.timestamps[i], value: corpus.values[i]) }
    try load.commit()
    try store.compact()
    return (store, path)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = Tolerances.configuration()

    // The batch API, durable commits of 100k samples.
    Benchmark("Append-batch-100k") { benchmark in
        let path = temporaryPath("append")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try Store.open(at: path)
        let refs = try corpus.labels.map { try store.reference(for: $0) }
        let samples = corpus.sampleCount
        try measure(benchmark, samples) {
            var batch = store.makeBatch()
            batch.reserveCapacity(100_000)
            for i in 0..<samples {
                batch.append(refs[corpus.refs[i]], timestampMs: corpus.timestamps[i], value: corpus.values[i])
                if batch.sampleCount == 100_000 {
                    try store.commit(batch)
                    batch.removeAll()
                }
            }
            try store.commit(batch)
        }
        store.close()
    }

    // Bulk load into blocks, then compaction.
    Benchmark("Encode-bulk-load-compact") { benchmark in
        var result: (Store, String)?
        try measure(benchmark, corpus.sampleCount) { result = try loadedStore() }
        guard let (store, path) = result else { return }
        let stats = store.statistics()
        store.close()
        try? FileManager.default.removeItem(atPath: path)
        benchmark.measurement(bytesPerSampleMilli, Int(stats.bytesPerSample * 1000))
    }

    // Every sample of every series through Snapshot.select and forEachRun.
    Benchmark("Decode-all-series") { benchmark in
        let (store, path) = try loadedStore()
        defer {
            store.close()
            try? FileManager.default.removeItem(atPath: path)
        }
        let snapshot = store.snapshot()
        let all = try snapshot.select([try LabelMatcher(.regex, "__name__", ".+")])
        var checksum = 0.0
        try measure(benchmark, corpus.sampleCount) {
            for series in all {
                try series.forEachRun { _, vs in checksum += vs[vs.count - 1] }
            }
        }
        blackHole(checksum)
    }
}
