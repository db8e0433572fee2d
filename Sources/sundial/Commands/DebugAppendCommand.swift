import ArgumentParser
import Foundation
import Sundial

/// `sundial debug-append` (hidden): appends deterministic batches through the library API so a crash
/// harness can kill it at random moments and check what survived. Batch `i` holds `--batch-size`
/// samples of `crash_test{batch_group="gK"}`: sample `j` is in group `j % 4`, at
/// `DebugAppendLayout.timestampMs(batch: i, sample: j)`, with value `i`. After each commit returns it
/// prints `committed i` and flushes standard output: that line is the durability witness.
struct DebugAppendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug-append",
        abstract: "Append deterministic batches through the API (crash-test driver).",
        shouldDisplay: false)

    @Option(help: "The store directory.") var store: String
    @Option(help: "Seed of the flush/compaction schedule.") var seed: UInt64 = 1
    @Option(help: "How many batches to append after those already present.") var batches = 1_000
    @Option(help: "Samples per batch.") var batchSize = 16
    @Option(help: "Freeze and seal the head at this many samples (the store's default when absent).") var headSampleLimit: Int?

    func validate() throws {
        if batches < 0 || batches > DebugAppendLayout.maxBatches { throw ValidationError("--batches must be 0...\(DebugAppendLayout.maxBatches)") }
        if let headSampleLimit, headSampleLimit < 1 { throw ValidationError("--head-sample-limit must be at least 1") }
        if batchSize < 1 || batchSize > DebugAppendLayout.maxBatchSize {
            throw ValidationError("--batch-size must be 1...\(DebugAppendLayout.maxBatchSize)")
        }
    }

    func run() throws {
        var options = StoreOptions()
        if let headSampleLimit { options.headSampleLimit = headSampleLimit }
        let store = try Store.open(at: self.store, options: options)
        defer { store.close() }
        // Continue after the newest batch present (the store holds a prefix 0..<next when healthy).
        var next = 0
        for series in try store.snapshot().select([.equal("__name__", DebugAppendLayout.metric)]) {
            try series.forEachRun { _, values in
                for value in values where value.isFinite && value >= 0 && value < Double(DebugAppendLayout.maxBatches) { next = max(next, Int(value) + 1) }
            }
        }
        var references: [SeriesReference] = []
        for group in 0..<DebugAppendLayout.groups {
            references.append(try store.reference(for: DebugAppendLayout.labels(group: group)))
        }
        var rng = SplitMix64(seed: seed ^ UInt64(truncatingIfNeeded: next))
        witness("resuming at \(next)")
        for i in next..<(next + batches) {
            var batch = store.makeBatch()
            batch.reserveCapacity(batchSize)
            for j in 0..<batchSize {
                batch.append(references[j % DebugAppendLayout.groups],
                             timestampMs: DebugAppendLayout.timestampMs(batch: i, sample: j), value: Double(i))
            }
            try store.commit(batch)
            witness("committed \(i)")
            let roll = rng.next() % 64
            if roll == 0 {
                try store.flush()
                _ = try store.compact()
            } else if roll < 5 {
                try store.flush()
            }
        }
    }
}

/// Writes a line straight to standard output (one write(2), no buffering), so it is out before
/// the next step can be interrupted.
private func witness(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Where debug-append puts batch `i`'s samples; the crash tests use the same arithmetic.
enum DebugAppendLayout {
    static let metric = "crash_test"
    static let groups = 4
    static let maxBatchSize = 10_000
    /// Bounds batch numbers (and so timestamps) far from overflow.
    static let maxBatches = 1_000_000_000
    /// 2026-01-01T00:00:00Z.
    static let baseMs: Int64 = 1_767_225_600_000
    /// One batch per simulated minute, so a long run spans many 2 h blocks and several days.
    static let batchSpacingMs: Int64 = 60_000

    static func labels(group: Int) -> LabelSet {
        LabelSet(name: metric, ["batch_group": "g\(group)"])
    }

    static func timestampMs(batch: Int, sample: Int) -> Int64 {
        baseMs + Int64(batch) * batchSpacingMs + Int64(sample)
    }
}
