import Foundation
import SundialStorage
import Testing
@testable import SundialQuery

/// `rate`, `increase` and `delta` read block chunk summaries instead of samples where a window holds a
/// chunk whole (``CondensedSeries``). These tests compare every such answer with the same query over the
/// same samples held in memory, where every sample is read, on data made to cross every edge case:
/// counter resets inside chunks and on chunk boundaries, float chunks (no summary), stale markers, gaps,
/// irregular scrapes, overlapping blocks, and samples still in the head.
@Suite struct ChunkSummaryTests {
    static let hour: Int64 = 3_600_000
    static let start: Int64 = 1_767_225_600_000  // 2026-01-01, on a 2 h block boundary

    /// Three days of 15 s scrapes for a few kinds of series, written in two passes so that blocks overlap.
    static func makeStore(_ dir: TemporaryDirectory, seed: UInt64) throws -> (Store, [InMemorySeries]) {
        var options = StoreOptions()
        options.syncOnCommit = false
        let store = try Store.open(at: dir.path, options: options)
        var random = SeededRandom(seed: seed)
        let kinds = ["steady", "resets", "float", "stale", "gauge", "sparse"]
        var all: [InMemorySeries] = []
        var late = Batch()  // the second day's last hours of "steady", committed after everything else
        var batch = Batch()
        for kind in kinds {
            let labels = LabelSet(name: "c_total", ["kind": kind])
            let ref = try store.reference(for: labels)
            var samples: [Sample] = []
            var value = kind == "gauge" ? 500.0 : 0
            var t = start
            while t < start + 72 * hour {
                defer { t += 15_000 + Int64(random.nextInt(below: 40)) - 20 }
                if kind == "sparse" && random.nextInt(below: 10) < 7 { continue }
                if kind == "stale" && t >= start + 30 * hour && t < start + 31 * hour {
                    if samples.last.map({ !StaleMarker.isStale($0.value) }) ?? false {
                        samples.append(Sample(timestampMs: t, value: StaleMarker.value))
                    }
                    continue
                }
                switch kind {
                case "resets":
                    // A restart every few hours, some exactly at a 2 h chunk boundary.
                    if random.nextInt(below: 500) == 0 || (t - start) % (10 * hour) < 15_000 { value = Double(random.nextInt(below: 3)) }
                    value += Double(random.nextInt(below: 20))
                case "float": value += random.nextUnitDouble() * 3
                case "gauge": value += Double(random.nextInt(below: 21)) - 10
                default: value += Double(random.nextInt(below: 7))
                }
                samples.append(Sample(timestampMs: t, value: value))
            }
            for sample in samples {
                if kind == "steady" && sample.timestampMs >= start + 40 * hour && sample.timestampMs < start + 44 * hour {
                    late.append(ref, timestampMs: sample.timestampMs, value: sample.value)
                } else {
                    batch.append(ref, timestampMs: sample.timestampMs, value: sample.value)
                }
            }
            all.append(InMemorySeries(labels, samples))
        }
        try store.commit(batch)
        try store.flush()
        try store.commit(late)
        try store.flush()
        // The last hours stay in the head (written again: the same values, so nothing changes).
        var head = Batch()
        for series in all {
            let ref = try store.reference(for: series.labels)
            for sample in series.samples where sample.timestampMs >= start + 70 * hour {
                head.append(ref, timestampMs: sample.timestampMs, value: sample.value)
            }
        }
        try store.commit(head)
        return (store, all)
    }

    static func same(_ a: QueryResult, _ b: QueryResult) -> Bool {
        let x = a.vector.isEmpty ? a.matrix.map { ($0.labels, $0.samples) } : a.vector.map { ($0.labels, [Sample(timestampMs: 0, value: $0.value)]) }
        let y = b.vector.isEmpty ? b.matrix.map { ($0.labels, $0.samples) } : b.vector.map { ($0.labels, [Sample(timestampMs: 0, value: $0.value)]) }
        guard x.count == y.count else { return false }
        for (l, r) in zip(x, y) {
            guard l.0 == r.0, l.1.count == r.1.count else { return false }
            for (s, t) in zip(l.1, r.1) {
                guard s.timestampMs == t.timestampMs else { return false }
                guard s.value == t.value || abs(s.value - t.value) <= 1e-12 * max(abs(s.value), abs(t.value)) else { return false }
            }
        }
        return true
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func summariesGiveTheAnswersOfEverySample(seed: UInt64) throws {
        let dir = TemporaryDirectory("summaries")
        defer { dir.remove() }
        let (store, all) = try Self.makeStore(dir, seed: seed)
        defer { store.close() }
        let stored = QueryEngine(source: store.snapshot())
        let memory = QueryEngine(source: InMemorySource(all))

        // The data does reach the summary path: counters have summarised chunks, the float series none.
        let selected = try store.snapshot().select([.equal("__name__", "c_total")], minTimeMs: Self.start, maxTimeMs: Self.start + 60 * Self.hour)
        let summarised = Dictionary(uniqueKeysWithValues: selected.map { ($0.labels["kind"] ?? "", $0.segments().filter { $0.summary != nil }.count) })
        #expect((summarised["steady"] ?? 0) > 20)
        #expect((summarised["resets"] ?? 0) > 20)
        #expect(summarised["float"] == 0)
        #expect(summarised["stale"].map { $0 < summarised["steady"] ?? 0 } ?? false)

        var compared = 0
        for function in ["rate", "increase", "delta"] {
            for window in ["5m", "2h", "6h", "1d", "2d", "3d"] {
                let query = "\(function)(c_total[\(window)])"
                for at in [Self.start + 72 * Self.hour, Self.start + 48 * Self.hour, Self.start + 47 * Self.hour + 2 * 15_000 + 7,
                           Self.start + 70 * Self.hour + 1, Self.start + 31 * Self.hour] {
                    let a = try stored.instant(query, atMs: at)
                    let b = try memory.instant(query, atMs: at)
                    #expect(Self.same(a, b), "\(query) at \(at): \(a) vs \(b)")
                    compared += a.vector.count
                }
                for step in [Self.hour, 7 * Self.hour + 13_000, 24 * Self.hour] {
                    let a = try stored.range(query, startMs: Self.start + Self.hour, endMs: Self.start + 72 * Self.hour, stepMs: step)
                    let b = try memory.range(query, startMs: Self.start + Self.hour, endMs: Self.start + 72 * Self.hour, stepMs: step)
                    #expect(Self.same(a, b), "\(query) every \(step) ms differs")
                    compared += a.matrix.count
                }
            }
        }
        #expect(compared > 300)
    }
}
