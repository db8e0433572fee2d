import Foundation
import Testing
@testable import SundialStorage

@Suite struct HistogramDifferenceTests {
    /// A histogram with buckets that fill from the bottom: upper buckets track +Inf closely.
    private func histogram(seed: UInt64, scrapes: Int) -> [LabelSet: [Sample]] {
        var rng = SeededRandom(seed: seed)
        let bounds = ["0.001", "0.005", "0.01", "0.1", "1", "10", "+Inf"]
        var cumulative = [Double](repeating: 0, count: bounds.count)
        var count = 0.0
        var out: [LabelSet: [Sample]] = [:]
        for s in 0..<scrapes {
            let t = Int64(s) * 15_000
            if s == scrapes / 2 { cumulative = cumulative.map { _ in 0 }; count = 0 }  // a restart
            let observations = Int(rng.next() % 200)
            for _ in 0..<observations {
                let bucket = min(Int(rng.next() % 100) < 90 ? Int(rng.next() % 3) : 3 + Int(rng.next() % 4), bounds.count - 1)
                for b in bucket..<bounds.count { cumulative[b] += 1 }
                count += 1
            }
            for (b, le) in bounds.enumerated() {
                out[LabelSet(name: "persistence_latency_bucket", ["operation": "Get", "le": le]), default: []]
                    .append(Sample(timestampMs: t, value: cumulative[b]))
            }
            out[LabelSet(name: "persistence_latency_count", ["operation": "Get"]), default: []].append(Sample(timestampMs: t, value: count))
            out[LabelSet(name: "persistence_latency_sum", ["operation": "Get"]), default: []].append(Sample(timestampMs: t, value: count * 0.0037))
        }
        return out
    }

    @Test func bucketsAndCountAreStoredAsDifferencesFromInfinityAndReadBackExactly() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.path)
        let corpus = histogram(seed: 5, scrapes: 960)
        try write(corpus, to: store, batchSize: 5000)
        try store.flush()
        try store.compact()
        let read = try readAll(store)
        for (labels, samples) in corpus { #expect(read[labels] == samples, "\(labels)") }
        let composition = try #require(try store.composition().first)
        #expect((composition.valueChunks["difference"] ?? 0) > 0)
        // Select a single upper bucket: its reference is decoded behind the scenes.
        let one = try store.snapshot().select([.equal("__name__", "persistence_latency_bucket"), .equal("le", "10")])
        #expect(try one.first?.samples() == corpus[LabelSet(name: "persistence_latency_bucket", ["operation": "Get", "le": "10"])])
        #expect(try store.check().isHealthy)
        store.close()
    }
}
