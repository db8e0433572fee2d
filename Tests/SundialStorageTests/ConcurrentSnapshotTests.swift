import Foundation
import Synchronization
import Testing
@testable import SundialStorage

/// The writer's deterministic pattern: commit `i` gives every series `samplesPerCommit` samples, sample `j`
/// at `timestampMs(i, j)` with value `value(series, i, j)`. A consistent snapshot therefore holds the first
/// `n` samples of the pattern for every series, the same `n` for all.
private enum Pattern {
    static let series = 8
    static let samplesPerCommit = 3
    static let baseMs: Int64 = 1_767_225_600_000
    /// One commit per simulated minute: 400 commits span several 2 h blocks.
    static func timestampMs(_ i: Int, _ j: Int) -> Int64 { baseMs + Int64(i) * 60_000 + Int64(j) * 1_000 }
    static func value(_ series: Int, _ i: Int, _ j: Int) -> Double { Double(series * 1_000_000 + i * samplesPerCommit + j) }
    static func labels(_ series: Int) -> LabelSet { LabelSet(name: "concurrency_test", ["series": "s\(series)"]) }
}

/// Problems a snapshot shows, empty when it is consistent; `count` is the samples per series it holds.
private func inspect(_ snapshot: Snapshot) throws -> (count: Int, problems: [String]) {
    let selected = try snapshot.select([.equal("__name__", "concurrency_test")])
    var problems: [String] = []
    var counts: [Int] = []
    for series in selected {
        guard let name = series.labels["series"], let s = Int(name.dropFirst()) else {
            problems.append("unexpected series \(series.labels)")
            continue
        }
        var n = 0
        try series.forEachSample { sample in
            let i = n / Pattern.samplesPerCommit
            let j = n % Pattern.samplesPerCommit
            if sample.timestampMs != Pattern.timestampMs(i, j) || sample.value != Pattern.value(s, i, j) {
                if problems.count < 5 {
                    problems.append("\(name): sample \(n) is (\(sample.timestampMs), \(sample.value)), expected (\(Pattern.timestampMs(i, j)), \(Pattern.value(s, i, j)))")
                }
            }
            n += 1
        }
        counts.append(n)
    }
    if !selected.isEmpty && selected.count != Pattern.series {
        problems.append("\(selected.count) of \(Pattern.series) series are visible")
    }
    if Set(counts).count > 1 { problems.append("series hold different sample counts: \(counts)") }
    if let n = counts.first, n % Pattern.samplesPerCommit != 0 { problems.append("a commit is half visible: \(n) samples") }
    return (counts.first ?? 0, problems)
}

/// What the reader thread shares with the test.
private final class ReaderState: Sendable {
    let writerDone = Atomic<Bool>(false)
    let snapshots = Atomic<Int>(0)
    let failures = Locked<[String]>([])
}

@Suite struct ConcurrentSnapshotTests {
    /// A reader taking snapshots in a loop while the writer commits, seals and compacts sees every series
    /// with the same number of samples (whole commits only), each timestamp once, each value as written,
    /// and never fewer samples than the snapshot before. Also run under ThreadSanitizer (`make test`).
    @Test func readerSeesOnlyConsistentSnapshotsWhileTheWriterCommitsSealsAndCompacts() throws {
        let dir = TemporaryDirectory("concurrency")
        defer { dir.remove() }
        var options = StoreOptions()
        options.syncOnCommit = false
        options.headSampleLimit = Pattern.series * Pattern.samplesPerCommit * 50
        let store = try Store.open(at: dir.path, options: options)
        defer { store.close() }
        let references = try (0..<Pattern.series).map { try store.reference(for: Pattern.labels($0)) }
        let commits = 400
        let shared = ReaderState()
        let readerFinished = DispatchSemaphore(value: 0)
        let reader = Thread {
            var previous = 0
            var taken = 0
            // Keep reading until the writer is done, and a few times after it.
            while !shared.writerDone.load(ordering: .acquiring) || taken < 3 {
                do {
                    let (count, problems) = try inspect(store.snapshot())
                    taken += 1
                    var all = problems
                    if count < previous { all.append("\(count) samples per series after \(previous) in an earlier snapshot") }
                    previous = count
                    if !all.isEmpty {
                        shared.failures.withLock { $0.append("snapshot \(taken): " + all.joined(separator: "; ")) }
                        break
                    }
                } catch {
                    shared.failures.withLock { $0.append("snapshot \(taken): \(error)") }
                    break
                }
            }
            shared.snapshots.store(taken, ordering: .releasing)
            readerFinished.signal()
        }
        reader.start()
        do {
            defer { shared.writerDone.store(true, ordering: .releasing) }
            for i in 0..<commits {
                var batch = store.makeBatch()
                for (s, ref) in references.enumerated() {
                    for j in 0..<Pattern.samplesPerCommit {
                        batch.append(ref, timestampMs: Pattern.timestampMs(i, j), value: Pattern.value(s, i, j))
                    }
                }
                try store.commit(batch)
                if i % 37 == 36 { try store.flush() }
                if i % 101 == 100 { _ = try store.compact() }
            }
        }
        readerFinished.wait()
        let problems = shared.failures.withLock { $0 }
        #expect(problems.isEmpty, "\(problems)")
        #expect(shared.snapshots.load(ordering: .acquiring) >= 3)
        print("ConcurrentSnapshotTests: \(commits) commits, \(shared.snapshots.load(ordering: .acquiring)) snapshots checked")
        let (count, final) = try inspect(store.snapshot())
        #expect(final.isEmpty && count == commits * Pattern.samplesPerCommit, "\(final) \(count)")
        #expect(try store.check().isHealthy)
    }
}
