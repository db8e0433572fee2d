import Foundation
import Testing
@testable import SundialStorage

/// Writes `series` (label set → samples) through the public API in batches of `batchSize`.
func write(_ series: [LabelSet: [Sample]], to store: Store, batchSize: Int = 1000) throws {
    var batch = store.makeBatch()
    for (labels, samples) in series.sorted(by: { $0.key < $1.key }) {
        let ref = try store.reference(for: labels)
        for s in samples {
            batch.append(ref, timestampMs: s.timestampMs, value: s.value)
            if batch.sampleCount >= batchSize {
                try store.commit(batch)
                batch.removeAll()
            }
        }
    }
    if batch.sampleCount > 0 { try store.commit(batch) }
}

/// Reads every series of `store` into a dictionary.
func readAll(_ store: Store, name: String? = nil) throws -> [LabelSet: [Sample]] {
    let matchers = [try LabelMatcher(.regex, "__name__", name ?? ".+")]
    var out: [LabelSet: [Sample]] = [:]
    for series in try store.snapshot().select(matchers) { out[series.labels] = try series.samples() }
    return out
}

/// Sorted, de-duplicated (last write wins) samples: what the store must return.
func expected(_ writes: [Sample]) -> [Sample] {
    var byTime: [Int64: Double] = [:]
    for s in writes { byTime[s.timestampMs] = s.value }
    return byTime.keys.sorted().map { Sample(timestampMs: $0, value: byTime[$0] ?? 0) }
}

/// Random series with every awkward value and timestamp pattern.
func randomCorpus(seed: UInt64, seriesCount: Int = 30, samplesPerSeries: Int = 400) -> [LabelSet: [Sample]] {
    var rng = SeededRandom(seed: seed)
    let specials: [Double] = [.nan, StaleMarker.value, .infinity, -.infinity, -0.0, 0, 1e308, 5e-324, -1e-300]
    var corpus: [LabelSet: [Sample]] = [:]
    for s in 0..<seriesCount {
        let labels = LabelSet(name: "metric_\(s % 4)", ["operation": "Op\(s)", "namespace": s % 2 == 0 ? "default" : "temporal_system"])
        var t: Int64 = 1_732_400_000_000 + Int64(rng.next() % 1000)
        var counter = 0.0
        var samples: [Sample] = []
        for _ in 0..<samplesPerSeries {
            switch rng.next() % 10 {
            case 0: t += Int64(rng.next() % 3_600_000)  // a gap
            case 1: t += 1  // irregular
            default: t += 15_000 + Int64(rng.next() % 40) - 20
            }
            let value: Double
            switch s % 3 {
            case 0:
                counter += Double(rng.next() % 100)
                if rng.next() % 50 == 0 { counter = 0 }  // reset
                value = counter
            case 1: value = rng.next() % 7 == 0 ? specials[Int(rng.next() % UInt64(specials.count))] : Double.random(in: -1e9...1e9, using: &rng)
            default: value = Double(bitPattern: rng.next())
            }
            samples.append(Sample(timestampMs: t, value: value))
        }
        corpus[labels] = samples
    }
    return corpus
}

@Suite struct StoreRoundTripTests {
    /// A head sealed every 3,000 samples, so that a corpus lands in several blocks; no sync per commit.
    static let severalBlocks: StoreOptions = {
        var options = StoreOptions()
        options.headSampleLimit = 3000
        options.syncOnCommit = false
        return options
    }()

    @Test(arguments: [11, 12, 13] as [UInt64])
    func randomSeriesRoundTripThroughHeadBlocksAndReopen(seed: UInt64) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let options = Self.severalBlocks
        let corpus = randomCorpus(seed: seed)
        do {
            let store = try Store.open(at: dir.path, options: options)
            try write(corpus, to: store, batchSize: 777)
            let read = try readAll(store)
            #expect(read.count == corpus.count, "seed \(seed)")
            for (labels, samples) in corpus { #expect(read[labels] == expected(samples), "seed \(seed) \(labels)") }
            store.close()
        }
        let reopened = try Store.open(at: dir.path, options: options)
        let again = try readAll(reopened)
        for (labels, samples) in corpus { #expect(again[labels] == expected(samples), "seed \(seed) after reopen") }
        try reopened.flush()
        try reopened.compact()
        let compacted = try readAll(reopened)
        for (labels, samples) in corpus { #expect(compacted[labels] == expected(samples), "seed \(seed) after compaction") }
        #expect(try reopened.check().isHealthy)
        reopened.close()
    }

    /// One reader's buffers, kept from series to series, give what fresh buffers give, across several blocks
    /// that number their columns alike (the buffers keep copies of columns and references by block and number),
    /// in selection order, backwards, and after the blocks were compacted into one.
    @Test func buffersKeptAcrossSeriesAndBlocksReadWhatFreshOnesRead() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let options = Self.severalBlocks
        let store = try Store.open(at: dir.path, options: options)
        try write(randomCorpus(seed: 21, seriesCount: 40), to: store, batchSize: 500)
        try store.flush()
        func check(_ store: Store) throws {
            let selection = try store.snapshot().selection([try LabelMatcher(.regex, "__name__", ".+")])
            #expect(selection.count == 40)
            var kept = SampleBuffers()
            for i in Array(0..<selection.count) + Array((0..<selection.count).reversed()) {
                var read: [Sample] = []
                try selection.forEachRun(i, reusing: &kept) { ts, vs in
                    for k in ts.indices { read.append(Sample(timestampMs: ts[k], value: vs[k])) }
                }
                let fresh = try selection.series[i].samples()
                #expect(read.map(\.timestampMs) == fresh.map(\.timestampMs))
                #expect(read.map(\.value.bitPattern) == fresh.map(\.value.bitPattern))
            }
        }
        #expect(store.statistics().blocks > 1)
        try check(store)
        try store.compact()
        try check(store)
        store.close()
    }

    /// Selected series read after their snapshot is gone and the store closed and compacted away under
    /// them: a series keeps the blocks its chunks come from alive (it names them unretained, per chunk).
    @Test func selectedSeriesReadAfterTheirSnapshotAndStoreAreGone() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let options = Self.severalBlocks
        let corpus = randomCorpus(seed: 14, seriesCount: 12)
        let selected: [SeriesSamples]
        do {
            let store = try Store.open(at: dir.path, options: options)
            try write(corpus, to: store, batchSize: 500)
            try store.flush()
            selected = try store.snapshot().select([try LabelMatcher(.regex, "__name__", ".+")])
            try store.compact()  // the blocks selected from are replaced and deleted
            store.close()
        }
        #expect(selected.count == corpus.count)
        for series in selected { #expect(try series.samples() == expected(corpus[series.labels] ?? []), "\(series.labels)") }
        // A segment goes through the series it came from (which keeps its blocks alive), not another
        // selection's series: that is refused rather than read from blocks nothing holds.
        let reopened = try Store.open(at: dir.path, options: .readOnly)
        defer { reopened.close() }
        let other = try #require(try reopened.snapshot().select([try LabelMatcher(.regex, "__name__", ".+")]).first)
        let segment = try #require(selected[0].segments().first)
        #expect(throws: StorageError.self) { try other.forEachRun(in: segment) { _, _ in } }
        var count = 0
        try selected[0].forEachRun(in: segment) { ts, _ in count += ts.count }
        #expect(count > 0)
    }

    @Test func outOfOrderAndRepeatedIngestKeepsOneSamplePerTimestamp() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions()
        options.syncOnCommit = false
        let store = try Store.open(at: dir.path, options: options)
        let labels = LabelSet(name: "service_requests", ["operation": "StartWorkflowExecution"])
        let newer = (100..<200).map { Sample(timestampMs: Int64($0) * 15_000, value: Double($0)) }
        let older = (0..<100).map { Sample(timestampMs: Int64($0) * 15_000, value: Double($0)) }
        try write([labels: newer], to: store)
        try store.flush()
        try write([labels: older], to: store)   // an older scrape after a newer one
        try write([labels: newer], to: store)   // the same samples again
        try store.flush()
        try write([labels: older], to: store)   // and again, into the head
        let all = try readAll(store)[labels]
        #expect(all == older + newer)
        try store.flush()
        try store.compact()
        #expect(try readAll(store)[labels] == older + newer)
        #expect(store.statistics().samples == 200)
        store.close()
    }

    @Test func selectHonoursAllFourMatcherKindsAndTimeRange() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.path)
        var corpus: [LabelSet: [Sample]] = [:]
        for op in ["GetWorkflowExecution", "UpdateWorkflowExecution", "AddTasks"] {
            for ns in ["default", "system"] {
                corpus[LabelSet(name: "persistence_requests", ["operation": op, "namespace": ns])] =
                    (0..<10).map { Sample(timestampMs: Int64($0) * 1000, value: Double($0)) }
            }
        }
        corpus[LabelSet(name: "persistence_requests", ["operation": "AddTasks"])] = [Sample(timestampMs: 0, value: 1)]
        try write(corpus, to: store)
        try store.flush()
        let snapshot = store.snapshot()
        let name = LabelMatcher.equal("__name__", "persistence_requests")
        #expect(try snapshot.select([name, .equal("namespace", "system")]).count == 3)
        #expect(try snapshot.select([name, try LabelMatcher(.notEqual, "namespace", "system")]).count == 4)
        #expect(try snapshot.select([name, try LabelMatcher(.regex, "operation", ".*Workflow.*")]).count == 4)
        #expect(try snapshot.select([name, try LabelMatcher(.notRegex, "operation", "Get.*|Add.*")]).count == 2)
        #expect(try snapshot.select([name, .equal("namespace", "")]).count == 1)
        let ranged = try snapshot.select([name, .equal("namespace", "default")], minTimeMs: 3000, maxTimeMs: 5000)
        #expect(try ranged.first?.samples().map(\.timestampMs) == [3000, 4000, 5000])
        #expect(snapshot.metricNames() == ["persistence_requests"])
        #expect(snapshot.labelValues(for: "namespace") == ["default", "system"])
        #expect(snapshot.labelNames() == ["__name__", "namespace", "operation"])
        #expect(throws: StorageError.self) { try snapshot.select([.equal("namespace", "")]) }
        store.close()
    }

    @Test func metadataSurvivesSealAndReopen() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.path)
        var batch = store.makeBatch()
        batch.setMetadata(MetricMetadata(name: "persistence_latency", kind: .histogram, help: "persistence_latency histogram"))
        batch.append(try store.reference(for: LabelSet(name: "persistence_latency_count")), timestampMs: 1, value: 2)
        try store.commit(batch)
        #expect(store.snapshot().metadata()["persistence_latency"]?.kind == .histogram)
        try store.flush()
        store.close()
        let reopened = try Store.open(at: dir.path, options: .readOnly)
        #expect(reopened.snapshot().metadata()["persistence_latency"]?.help == "persistence_latency histogram")
    }
}
