import Testing
@testable import SundialStorage

/// Batches shaped like scrapes (every series once, then the next scrape) take the head's grouped append
/// (a counting sort by series before copying runs); these check it keeps arrival order within a series:
/// out-of-order samples and a timestamp written twice in one batch (the later write wins).
@Suite struct InterleavedBatchTests {
    @Test(arguments: [21, 22] as [UInt64])
    func scrapeShapedBatchesReadBackLikeSampleBySampleWrites(seed: UInt64) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions()
        options.syncOnCommit = false
        options.headSampleLimit = 60_000  // some batches land in blocks, the rest stay in the head
        let corpus = randomCorpus(seed: seed, seriesCount: 300, samplesPerSeries: 120)
        let store = try Store.open(at: dir.path, options: options)
        var rng = SeededRandom(seed: seed)
        let ordered = corpus.sorted { $0.key < $1.key }
        let refs = try ordered.map { try store.reference(for: $0.key) }
        var written: [LabelSet: [Sample]] = [:]
        var batch = store.makeBatch()
        // Scrape rounds in a shuffled order, so series go back in time between batches.
        var rounds = Array(0..<120)
        rounds.shuffle(using: &rng)
        for round in rounds {
            for (s, (labels, samples)) in ordered.enumerated() {
                var sample = samples[round]
                batch.append(refs[s], timestampMs: sample.timestampMs, value: sample.value)
                written[labels, default: []].append(sample)
                if rng.next() % 20 == 0 {
                    // The same timestamp again, later in the batch, with another value.
                    sample.value = Double(rng.next() % 1000)
                    batch.append(refs[s], timestampMs: sample.timestampMs, value: sample.value)
                    written[labels, default: []].append(sample)
                }
            }
            if batch.sampleCount >= 4_000 {
                try store.commit(batch)
                batch.removeAll()
            }
        }
        try store.commit(batch)
        let read = try readAll(store)
        #expect(read.count == corpus.count)
        for (labels, samples) in written { #expect(read[labels] == expected(samples), "seed \(seed) \(labels)") }
        store.close()
        let reopened = try Store.open(at: dir.path, options: options)
        let replayed = try readAll(reopened)
        for (labels, samples) in written { #expect(replayed[labels] == expected(samples), "seed \(seed) after replay") }
        reopened.close()
    }
}
