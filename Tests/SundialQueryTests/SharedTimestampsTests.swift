import SundialStorage
import Testing
@testable import SundialQuery

/// A reader keeps the timestamps of the series it read last and, when the next series' segments name the
/// same block columns (``TimestampsIdentity``), neither copies them again nor compares them with its window
/// table (``TimestampRuns``). These tests check the bookkeeping, and that answers over a store whose series
/// share, half share and do not share timestamps are those of the same samples read from memory.
@Suite struct SharedTimestampsTests {
    // MARK: The bookkeeping

    private static func name(_ column: Int, _ block: BlockNameHolder) -> TimestampsIdentity? {
        block.identity(column)
    }

    /// Loads runs (a name, or nil, and timestamps) as one series; returns the buffer and the generation.
    private static func load(_ runs: inout TimestampRuns, _ ts: inout [Int64], _ series: [(TimestampsIdentity?, [Int64])]) -> Int {
        runs.begin()
        for (name, times) in series {
            times.withUnsafeBufferPointer { runs.append($0, named: name, to: &ts) }
        }
        runs.end(&ts)
        return runs.generation
    }

    @Test func aSeriesWithTheSameNamedRunsKeepsTheBufferAndItsGeneration() throws {
        let holder = try BlockNameHolder()
        defer { holder.remove() }
        let a = try #require(holder.identity(0))
        let b = try #require(holder.identity(1))
        let c = try #require(holder.identity(2))
        #expect(a != b && b != c)
        var runs = TimestampRuns()
        var ts: [Int64] = []
        let first = Self.load(&runs, &ts, [(a, [1, 2, 3]), (b, [10, 11])])
        #expect(ts == [1, 2, 3, 10, 11])
        // The same runs again: nothing written, the generation kept.
        #expect(Self.load(&runs, &ts, [(a, [1, 2, 3]), (b, [10, 11])]) == first)
        #expect(ts == [1, 2, 3, 10, 11])
        // A different second run: the buffer is cut after the first and written from there.
        let third = Self.load(&runs, &ts, [(a, [1, 2, 3]), (c, [20])])
        #expect(third != first)
        #expect(ts == [1, 2, 3, 20])
        // Fewer runs: cut.
        let fourth = Self.load(&runs, &ts, [(a, [1, 2, 3])])
        #expect(fourth != third)
        #expect(ts == [1, 2, 3])
        // More runs: the first walked over, the second written.
        let fifth = Self.load(&runs, &ts, [(a, [1, 2, 3]), (b, [10, 11])])
        #expect(fifth != fourth)
        #expect(ts == [1, 2, 3, 10, 11])
        #expect(Self.load(&runs, &ts, [(a, [1, 2, 3]), (b, [10, 11])]) == fifth)
        // No runs at all.
        let empty = Self.load(&runs, &ts, [])
        #expect(empty != fifth)
        #expect(ts.isEmpty)
        #expect(Self.load(&runs, &ts, []) == empty)
    }

    @Test func runsWithoutNamesAreNeverTakenForOthers() throws {
        let holder = try BlockNameHolder()
        defer { holder.remove() }
        let a = try #require(holder.identity(0))
        let b = try #require(holder.identity(1))
        var runs = TimestampRuns()
        var ts: [Int64] = []
        let first = Self.load(&runs, &ts, [(a, [1, 2]), (nil, [5, 6]), (b, [10])])
        #expect(ts == [1, 2, 5, 6, 10])
        // The same timestamps, but the unnamed run could have held others: the series is written again
        // from it, and the generation changes.
        let second = Self.load(&runs, &ts, [(a, [1, 2]), (nil, [5, 7]), (b, [10])])
        #expect(second != first)
        #expect(ts == [1, 2, 5, 7, 10])
        // A name seen after an unnamed run was not recorded: `b` alone does not match it.
        let third = Self.load(&runs, &ts, [(b, [10])])
        #expect(third != second)
        #expect(ts == [10])
        // Single samples (a filtered run) are unnamed too.
        runs.begin()
        runs.append(10, to: &ts)
        runs.end(&ts)
        #expect(runs.generation != third)
        #expect(ts == [10])
    }

    @Test func runsLeavingOutStaleMarkersMatchOnlyWhenTheyLeaveOutTheSamePositions() throws {
        let holder = try BlockNameHolder()
        defer { holder.remove() }
        let a = try #require(holder.identity(0))
        let b = try #require(holder.identity(1))
        let stale = StaleMarker.value
        var runs = TimestampRuns()
        var ts: [Int64] = []
        func load(_ second: [Double]) -> Int {
            runs.begin()
            [Int64(1), 2, 3].withUnsafeBufferPointer { runs.append($0, named: a, to: &ts) }
            [Int64(10), 11, 12, 13].withUnsafeBufferPointer { t in
                second.withUnsafeBufferPointer { runs.append(t, droppingStaleIn: $0, named: b, to: &ts) }
            }
            runs.end(&ts)
            return runs.generation
        }
        let first = load([5, stale, 6, 7])
        #expect(ts == [1, 2, 3, 10, 12, 13])
        #expect(load([8, stale, 9, 9]) == first)
        #expect(ts == [1, 2, 3, 10, 12, 13])
        let moved = load([5, 6, stale, 7])
        #expect(moved != first)
        #expect(ts == [1, 2, 3, 10, 11, 13])
        let two = load([stale, 6, stale, 7])
        #expect(two != moved)
        #expect(ts == [1, 2, 3, 11, 13])
        let none = load([1, 2, 3, 4])
        #expect(none != two)
        #expect(ts == [1, 2, 3, 10, 11, 12, 13])
        #expect(load([1, 2, 3, 4]) == none)
    }

    // MARK: Answers

    static let start: Int64 = 1_767_225_600_000  // 2026-01-01, on a 2 h block boundary
    static let hour: Int64 = 3_600_000

    /// Three targets scraped at their own times, each with a histogram of five buckets and a counter, over
    /// 7 h; target 1 misses scrapes in its counter only (a column of its own) and has a stale marker in every
    /// bucket at one scrape, target 2 one in one bucket only, and the last hour stays in the head.
    static func makeStore(_ dir: TemporaryDirectory) throws -> (Store, [InMemorySeries]) {
        var options = StoreOptions()
        options.syncOnCommit = false
        let store = try Store.open(at: dir.path, options: options)
        var random = SeededRandom(seed: 17)
        let bounds = ["0.01", "0.1", "1", "10", "+Inf"]
        var all: [InMemorySeries] = []
        var blocks = Batch()
        var head = Batch()
        for target in 0..<3 {
            var times: [Int64] = []
            var t = start + Int64(target) * 4_000
            while t < start + 7 * hour {
                times.append(t)
                t += 15_000 + Int64(random.nextInt(below: 60)) - 30
            }
            var labelled: [(LabelSet, [Sample])] = []
            var cumulative = [Double](repeating: 0, count: bounds.count)
            var bucketSamples = [[Sample]](repeating: [], count: bounds.count)
            var counter: [Sample] = []
            var counterValue = 0.0
            for (k, time) in times.enumerated() {
                var running = 0.0
                for b in bounds.indices {
                    running += Double(random.nextInt(below: 5))
                    cumulative[b] += running
                    if b > 0 { cumulative[b] = Swift.max(cumulative[b], cumulative[b - 1]) }
                    // Target 2 has one bucket go stale; target 1 all of them, at the same scrape.
                    let stale = (target == 2 && b == 1 && k == 700) || (target == 1 && k == 900)
                    bucketSamples[b].append(Sample(timestampMs: time, value: stale ? StaleMarker.value : cumulative[b]))
                }
                counterValue += Double(random.nextInt(below: 9))
                if target == 1 && k % 97 == 5 { continue }
                if k == 300 && target == 0 { counterValue = 3 }  // a reset
                counter.append(Sample(timestampMs: time, value: counterValue))
            }
            for b in bounds.indices {
                labelled.append((LabelSet(name: "lat_bucket", ["le": bounds[b], "target": "t\(target)"]), bucketSamples[b]))
            }
            labelled.append((LabelSet(name: "req_total", ["target": "t\(target)"]), counter))
            for (labels, samples) in labelled {
                let ref = try store.reference(for: labels)
                for sample in samples {
                    if sample.timestampMs >= start + 6 * hour {
                        head.append(ref, timestampMs: sample.timestampMs, value: sample.value)
                    } else {
                        blocks.append(ref, timestampMs: sample.timestampMs, value: sample.value)
                    }
                }
                all.append(InMemorySeries(labels, samples))
            }
        }
        try store.commit(blocks)
        try store.flush()
        try store.commit(head)
        return (store, all)
    }

    @Test func answersOverSharedTimestampsAreThoseOfEverySampleInMemory() throws {
        let dir = TemporaryDirectory("shared-timestamps")
        defer { dir.remove() }
        let (store, all) = try Self.makeStore(dir)
        defer { store.close() }
        let snapshot = store.snapshot()
        // The buckets of one target do share block columns.
        let selected = try snapshot.select([.equal("__name__", "lat_bucket"), .equal("target", "t0")],
                                           minTimeMs: Self.start, maxTimeMs: Self.start + 7 * Self.hour)
        let names = selected.map { $0.segments().compactMap(\.timestampsIdentity) }
        #expect(names.count == 5)
        #expect((names.first?.count ?? 0) >= 3)
        #expect(Set(names.map { $0.count }).count == 1 && names.dropFirst().allSatisfy { $0 == names[0] })

        let stored = QueryEngine(source: snapshot)
        let memory = QueryEngine(source: InMemorySource(all))
        let queries = [
            "rate(lat_bucket[5m])", "increase(req_total[10m])", "rate({__name__=~\"lat_bucket|req_total\"}[5m])",
            "histogram_quantile(0.9, sum by (target, le) (rate(lat_bucket[5m])))", "sum by (le) (rate(lat_bucket[2m]))",
            "delta(lat_bucket[7m])",
        ]
        var compared = 0
        for query in queries {
            for (from, step) in [(Self.start + 5 * 60_000, Int64(60_000)), (Self.start + 17_000, 7 * 60_000 + 1_000)] {
                let a = try stored.range(query, startMs: from, endMs: Self.start + 7 * Self.hour, stepMs: step)
                let b = try memory.range(query, startMs: from, endMs: Self.start + 7 * Self.hour, stepMs: step)
                #expect(a.matrix.map(\.labels) == b.matrix.map(\.labels), "\(query)")
                for (x, y) in zip(a.matrix, b.matrix) {
                    #expect(x.samples.map(\.timestampMs) == y.samples.map(\.timestampMs), "\(query) \(x.labels)")
                    #expect(x.samples.map(\.value.bitPattern) == y.samples.map(\.value.bitPattern), "\(query) \(x.labels)")
                }
                compared += a.matrix.count
            }
        }
        #expect(compared > 60)
    }
}

/// A store with one block whose columns give real ``TimestampsIdentity`` values for the bookkeeping tests.
private final class BlockNameHolder {
    let dir = TemporaryDirectory("timestamp-names")
    let store: Store
    let segments: [SampleSegment]

    init() throws {
        var options = StoreOptions()
        options.syncOnCommit = false
        store = try Store.open(at: dir.path, options: options)
        let ref = try store.reference(for: LabelSet(name: "x", [:]))
        var batch = Batch()
        // Three 2 h windows: three chunks, three columns.
        for k in 0..<1_400 { batch.append(ref, timestampMs: SharedTimestampsTests.start + Int64(k) * 15_000, value: Double(k)) }
        try store.commit(batch)
        try store.flush()
        let selected = try store.snapshot().select([.equal("__name__", "x")], minTimeMs: .min, maxTimeMs: .max)
        segments = selected.first?.segments() ?? []
    }

    func identity(_ k: Int) -> TimestampsIdentity? { k < segments.count ? segments[k].timestampsIdentity : nil }

    func remove() {
        store.close()
        dir.remove()
    }
}
