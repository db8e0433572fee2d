import Foundation
import Testing
@testable import SundialStorage

@Suite struct RecoveryTests {
    /// Commits `count` batches of one sample each and returns the segment path and its size after each commit.
    private func commitBatches(_ count: Int, in dir: String) throws -> (path: String, sizes: [Int]) {
        let store = try Store.open(at: dir)
        let ref = try store.reference(for: LabelSet(name: "service_requests", ["operation": "Op"]))
        var sizes: [Int] = []
        let segment = WriteAheadLog.segments(in: dir + "/wal").last ?? 1
        let path = WriteAheadLog.path(directory: dir + "/wal", segment: segment)
        sizes.append(FileSystem.size(path))
        for i in 0..<count {
            var batch = store.makeBatch()
            batch.append(ref, timestampMs: Int64(i) * 15_000, value: Double(i))
            if i == 2 {
                batch.append(try store.reference(for: LabelSet(name: "service_latency_bucket", ["le": "+Inf"])), timestampMs: 0, value: 1)
            }
            try store.commit(batch)
            sizes.append(FileSystem.size(path))
        }
        store.close()
        return (path, sizes)
    }

    @Test func tornWriteAheadTailIsCutAtLastWholeFrameAtEveryByteOffset() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (path, sizes) = try commitBatches(5, in: dir.path)
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(full.count == sizes.last)
        for cut in stride(from: full.count, through: 0, by: -1) {
            let copy = TemporaryDirectory("torn")
            defer { copy.remove() }
            try FileManager.default.createDirectory(atPath: copy.path + "/wal", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: dir.path + "/MANIFEST", toPath: copy.path + "/MANIFEST")
            let copiedPath = copy.path + "/wal/" + URL(fileURLWithPath: path).lastPathComponent
            try full.prefix(cut).write(to: URL(fileURLWithPath: copiedPath))
            // Every batch whose frame ended at or before the cut is there, and nothing else.
            let committed = sizes.dropFirst().filter { $0 <= cut }.count
            let store = try Store.open(at: copy.path)
            let samples = try readAll(store, name: "service_requests").values.first ?? []
            #expect(samples.count == committed, "cut at byte \(cut)")
            #expect(samples == (0..<committed).map { Sample(timestampMs: Int64($0) * 15_000, value: Double($0)) })
            // And the store takes new commits after the cut.
            var batch = store.makeBatch()
            batch.append(try store.reference(for: LabelSet(name: "service_requests", ["operation": "Op"])), timestampMs: 999_000, value: 1)
            try store.commit(batch)
            store.close()
            let reopened = try Store.open(at: copy.path)
            #expect((try readAll(reopened, name: "service_requests").values.first ?? []).count == committed + 1, "cut at byte \(cut)")
            reopened.close()
        }
    }

    @Test func secondWriterIsRefusedWithTheHolderNamed() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let first = try Store.open(at: dir.path)
        do {
            _ = try Store.open(at: dir.path)
            Issue.record("a second writer was allowed")
        } catch let error {
            guard case let .locked(_, holder) = error else { Issue.record("wrong error \(error)"); return }
            #expect(holder.contains("pid \(getpid())"))
            #expect(error.description.contains("locked by another writer"))
        }
        // Readers are still welcome.
        let reader = try Store.open(at: dir.path, options: .readOnly)
        #expect(throws: StorageError.self) { try reader.reference(for: LabelSet(name: "x")) }
        first.close()
        let again = try Store.open(at: dir.path)
        again.close()
    }

    @Test func snapshotIsUnchangedWhileTheWriterCommitsSealsAndCompacts() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions()
        options.syncOnCommit = false
        let store = try Store.open(at: dir.path, options: options)
        let labels = LabelSet(name: "workflow_success", ["namespace": "default"])
        try write([labels: (0..<100).map { Sample(timestampMs: Int64($0) * 1000, value: Double($0)) }], to: store)
        let snapshot = store.snapshot()
        let before = try snapshot.select([.equal("__name__", "workflow_success")]).first?.samples()
        try write([labels: (100..<200).map { Sample(timestampMs: Int64($0) * 1000, value: Double($0)) }], to: store)
        try store.flush()
        try write([labels: (0..<50).map { Sample(timestampMs: Int64($0) * 1000, value: -1) }], to: store)
        try store.flush()
        try store.compact()
        let after = try snapshot.select([.equal("__name__", "workflow_success")]).first?.samples()
        #expect(before == after)
        #expect(before?.count == 100)
        let fresh = try store.snapshot().select([.equal("__name__", "workflow_success")]).first?.samples()
        #expect(fresh?.count == 200)
        #expect(fresh?.first?.value == -1)
        store.close()
    }

    @Test func damagedBlockIsNamedAndTheRestStaysReadable() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions()
        options.compactAutomatically = false
        let store = try Store.open(at: dir.path, options: options)
        let a = LabelSet(name: "a")
        try write([a: [Sample(timestampMs: 0, value: 1)]], to: store)
        try store.flush()
        try write([a: [Sample(timestampMs: 10 * 3_600_000, value: 2)]], to: store)
        try store.flush()
        store.close()
        let blocks = FileSystem.list(dir.path + "/blocks")
        #expect(blocks.count == 2)
        // Flip a byte inside the first block's data frame.
        let victim = dir.path + "/blocks/" + blocks[0]
        var bytes = try Data(contentsOf: URL(fileURLWithPath: victim))
        bytes[BlockFile.headerSize + Frame.headerSize + 1] ^= 0xff
        try bytes.write(to: URL(fileURLWithPath: victim))

        let reopened = try Store.open(at: dir.path, options: options)
        let report = try reopened.check()
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.file == "blocks/" + blocks[0])
        #expect(report.problems.first?.message.contains("checksum") == true)
        // The undamaged block still answers.
        let samples = try reopened.snapshot().select([.equal("__name__", "a")], minTimeMs: 3_600_000).first?.samples()
        #expect(samples == [Sample(timestampMs: 10 * 3_600_000, value: 2)])
        let repaired = try reopened.check(repair: true)
        #expect(repaired.problems.first?.repair?.contains("moved to damaged/") == true)
        #expect(FileManager.default.fileExists(atPath: dir.path + "/damaged/" + blocks[0]))
        #expect(try reopened.check().isHealthy)
        reopened.close()
    }

    @Test func retentionDropsWholeBlocksOlderThanTheHorizon() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions()
        options.compactAutomatically = false
        let store = try Store.open(at: dir.path, options: options)
        let day: Int64 = 86_400_000
        for d in 0..<5 {
            try write([LabelSet(name: "m"): [Sample(timestampMs: Int64(d) * day, value: Double(d))]], to: store)
            try store.flush()
        }
        let removed = try store.applyRetention(keepMs: 2 * day)
        #expect(removed.removedBlocks.count == 2)
        let left = try readAll(store)[LabelSet(name: "m")]
        #expect(left?.map(\.value) == [2, 3, 4])
        store.close()
    }
}
