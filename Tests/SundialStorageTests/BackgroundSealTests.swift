import Foundation
import Testing
@testable import SundialStorage

/// A head that reaches ``StoreOptions/headSampleLimit`` is frozen and written into blocks on a background
/// thread while commits go to a new head: what readers, a reopen after a crash, and the files see meanwhile.
@Suite struct BackgroundSealTests {
    private static let series = 5
    private static let baseMs: Int64 = 1_767_225_600_000

    /// Commit `i` gives series `s` one sample at `baseMs + i * 60 s` (two hours every 120 commits).
    private static func timestampMs(_ i: Int) -> Int64 { baseMs + Int64(i) * 60_000 }
    private static func value(_ s: Int, _ i: Int) -> Double { Double(s * 100_000 + i) }
    private static func labels(_ s: Int) -> LabelSet { LabelSet(name: "background_seal_test", ["series": "s\(s)"]) }

    private static func options(limitCommits: Int) -> StoreOptions {
        var options = StoreOptions()
        options.syncOnCommit = false
        options.headSampleLimit = series * limitCommits
        return options
    }

    /// Commits batch after batch (counting them in `n`) until a head is frozen, then `more` batches into the
    /// new head.
    private static func commitUntilFrozen(_ store: Store, _ references: [SeriesReference], _ n: inout Int, then more: Int = 0) throws {
        while store.snapshot().frozenHead == nil {
            _ = try commit(store, references, n)
            n += 1
        }
        for _ in 0..<more {
            _ = try commit(store, references, n)
            n += 1
        }
    }

    private static func commit(_ store: Store, _ references: [SeriesReference], _ i: Int) throws -> CommitSummary {
        var batch = store.makeBatch()
        for (s, reference) in references.enumerated() { batch.append(reference, timestampMs: timestampMs(i), value: value(s, i)) }
        return try store.commit(batch)
    }

    /// Every series' samples in `snapshot`, by series number.
    private static func contents(_ snapshot: Snapshot) throws -> [Int: [Sample]] {
        var out: [Int: [Sample]] = [:]
        for series in try snapshot.select([.equal("__name__", "background_seal_test")]) {
            guard let name = series.labels["series"], let s = Int(name.dropFirst()) else { continue }
            out[s] = try series.samples()
        }
        return out
    }

    /// What a store holds after commits `0..<n`.
    private static func expected(_ n: Int) -> [Int: [Sample]] {
        guard n > 0 else { return [:] }
        var out: [Int: [Sample]] = [:]
        for s in 0..<series { out[s] = (0..<n).map { Sample(timestampMs: timestampMs($0), value: value(s, $0)) } }
        return out
    }

    @Test func snapshotsStayWhatTheyWereWhileHeadsAreFrozenSealedAndCompacted() throws {
        let dir = TemporaryDirectory("background-seal")
        defer { dir.remove() }
        let store = try Store.open(at: dir.path, options: Self.options(limitCommits: 40))
        let references = try (0..<Self.series).map { try store.reference(for: Self.labels($0)) }
        var kept: [(commits: Int, snapshot: Snapshot)] = []
        var published = 0
        var sawFrozen = false
        for i in 0..<400 {
            published += try Self.commit(store, references, i).sealedBlocks
            let snapshot = store.snapshot()
            if snapshot.frozenHead != nil { sawFrozen = true }
            #expect(try Self.contents(snapshot) == Self.expected(i + 1), "after commit \(i)")
            if i % 37 == 0 { kept.append((i + 1, snapshot)) }
        }
        #expect(sawFrozen)
        #expect(published > 0, "frozen heads' blocks are published by later commits")
        try store.flush()
        try store.compact()
        #expect(store.snapshot().frozenHead == nil)
        #expect(try Self.contents(store.snapshot()) == Self.expected(400))
        for (commits, snapshot) in kept {
            #expect(try Self.contents(snapshot) == Self.expected(commits), "the snapshot taken after \(commits) commits")
        }
        #expect(try store.check().isHealthy)
        store.close()
        let reopened = try Store.open(at: dir.path)
        #expect(try Self.contents(reopened.snapshot()) == Self.expected(400))
        reopened.close()
    }

    @Test func theHeadWinsOverTheFrozenHeadForARepeatedTimestamp() throws {
        let dir = TemporaryDirectory("background-seal-repeat")
        defer { dir.remove() }
        var options = StoreOptions()
        options.headSampleLimit = 3
        let store = try Store.open(at: dir.path, options: options)
        store.writer.withLock { $0.commitsPublishFrozenHeads = false }
        let reference = try store.reference(for: Self.labels(0))
        var batch = store.makeBatch()
        for i in 0..<3 { batch.append(reference, timestampMs: Self.timestampMs(i), value: 1) }
        try store.commit(batch)  // three samples: the head freezes
        #expect(store.snapshot().frozenHead != nil)
        var again = store.makeBatch()
        again.append(reference, timestampMs: Self.timestampMs(1), value: 2)
        try store.commit(again)
        let snapshot = store.snapshot()
        #expect(snapshot.frozenHead?.sampleCount == 3)
        #expect(snapshot.head.sampleCount == 1)
        #expect(try Self.contents(snapshot)[0]?.map(\.value) == [1, 2, 1])
        try store.flush()
        #expect(try Self.contents(store.snapshot())[0]?.map(\.value) == [1, 2, 1])
        store.close()
        let reopened = try Store.open(at: dir.path)
        #expect(try Self.contents(reopened.snapshot())[0]?.map(\.value) == [1, 2, 1])
        reopened.close()
    }

    /// The store's files copied while a frozen head's blocks may be half written and are named by no
    /// manifest (as a crash would leave them) open with every commit, and pass the check.
    @Test(arguments: [0, 1, 7])
    func aCrashWhileAFrozenHeadIsUnsealedLosesNoCommit(commitsAfterFreeze: Int) throws {
        let dir = TemporaryDirectory("background-seal-crash")
        let copy = TemporaryDirectory("background-seal-crash-copy")
        defer {
            dir.remove()
            copy.remove()
        }
        let store = try Store.open(at: dir.path, options: Self.options(limitCommits: 30))
        store.writer.withLock { $0.commitsPublishFrozenHeads = false }
        let references = try (0..<Self.series).map { try store.reference(for: Self.labels($0)) }
        var n = 0
        // Up to the first freeze, then some commits into the new head, below the next freeze.
        try Self.commitUntilFrozen(store, references, &n, then: commitsAfterFreeze)
        #expect(store.snapshot().frozenHead != nil)
        // The background job may be writing a block (a `.tmp` file), may have finished it, or not have begun:
        // the copy is what a crash at that instant leaves, with the log in two segments.
        try copyStore(from: dir.path, to: copy.path)
        #expect(WriteAheadLog.segments(in: copy.path + "/" + WriteAheadLog.directoryName).count == 2)
        #expect(try manifestBlocks(copy.path).isEmpty, "no block was published yet")
        let recovered = try Store.open(at: copy.path)
        #expect(try Self.contents(recovered.snapshot()) == Self.expected(n))
        #expect(try recovered.check().isHealthy)
        // Appending continues after the recovery.
        let recoveredReferences = try (0..<Self.series).map { try recovered.reference(for: Self.labels($0)) }
        _ = try Self.commit(recovered, recoveredReferences, n)
        try recovered.flush()
        #expect(try Self.contents(recovered.snapshot()) == Self.expected(n + 1))
        recovered.close()
        store.close()
    }

    @Test func aFrozenHeadWithoutItsBlocksReplaysFromTheLog() throws {
        let dir = TemporaryDirectory("background-seal-replay")
        defer { dir.remove() }
        let store = try Store.open(at: dir.path, options: Self.options(limitCommits: 20))
        store.writer.withLock { $0.commitsPublishFrozenHeads = false }
        let references = try (0..<Self.series).map { try store.reference(for: Self.labels($0)) }
        var n = 0
        try Self.commitUntilFrozen(store, references, &n, then: 5)
        // Wait until the background job has written its blocks (still named by no manifest), then crash:
        // the files the job wrote go at the open, and the log gives back their samples.
        let blocks = dir.path + "/blocks"
        let deadline = Date().addingTimeInterval(30)
        while try FileManager.default.contentsOfDirectory(atPath: blocks).filter({ $0.hasSuffix(BlockFile.suffix) }).isEmpty,
              Date() < deadline {
            usleep(1000)
        }
        let copy = TemporaryDirectory("background-seal-replay-copy")
        defer { copy.remove() }
        try copyStore(from: dir.path, to: copy.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: copy.path + "/blocks").contains { $0.hasSuffix(BlockFile.suffix) })
        #expect(try manifestBlocks(copy.path).isEmpty, "no block was published yet")
        let recovered = try Store.open(at: copy.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: copy.path + "/blocks").isEmpty, "unpublished blocks are removed")
        #expect(try Self.contents(recovered.snapshot()) == Self.expected(n))
        #expect(recovered.snapshot().frozenHead == nil)
        #expect(try recovered.check().isHealthy)
        recovered.close()
        store.close()
    }

    @Test func closeAndFlushPublishTheFrozenHeadAndRemoveItsLog() throws {
        let dir = TemporaryDirectory("background-seal-close")
        defer { dir.remove() }
        let store = try Store.open(at: dir.path, options: Self.options(limitCommits: 25))
        let references = try (0..<Self.series).map { try store.reference(for: Self.labels($0)) }
        var n = 0
        try Self.commitUntilFrozen(store, references, &n)
        store.close()
        let segments = WriteAheadLog.segments(in: dir.path + "/" + WriteAheadLog.directoryName)
        #expect(segments.count == 1, "the frozen head's segment goes once its blocks are in the manifest: \(segments)")
        let reopened = try Store.open(at: dir.path)
        #expect(reopened.snapshot().blocks.count > 0)
        #expect(reopened.snapshot().head.sampleCount == 0)
        #expect(try Self.contents(reopened.snapshot()) == Self.expected(n))
        reopened.close()
    }
}

/// The blocks the manifest of the store at `path` names.
private func manifestBlocks(_ path: String) throws -> [BlockSummary] {
    let manifestPath = path + "/" + Manifest.fileName
    return try Manifest(parsing: SystemFile.openForReading(manifestPath).readAll(), path: manifestPath).blocks
}

/// Copies a store directory's files (what a crash at this instant would leave on disk).
private func copyStore(from source: String, to destination: String) throws {
    let files = FileManager.default
    try? files.removeItem(atPath: destination)
    try files.copyItem(atPath: source, toPath: destination)
}
