import Foundation
import Testing
@testable import SundialStorage

/// One regression test per bug the corruption campaign (Tests/SundialTests/CorruptionTests.swift) found.
@Suite struct DamageRegressionTests {
    private func options() -> StoreOptions {
        var options = StoreOptions()
        options.compactAutomatically = false
        options.syncOnCommit = false
        return options
    }

    /// A store with one block per 2 h window of day 0 (`blocks` of them) and `walBatches` committed batches.
    private func makeStore(_ dir: String, blocks: Int, walBatches: Int = 0) throws {
        let store = try Store.open(at: dir, options: options())
        for b in 0..<blocks {
            try write([LabelSet(name: "m"): [Sample(timestampMs: Int64(b) * 7_200_000 + 1_000, value: Double(b))]], to: store)
            try store.flush()
        }
        store.close()
        let writer = try Store.open(at: dir, options: options())
        for i in 0..<walBatches {
            try write([LabelSet(name: "w"): [Sample(timestampMs: 100_000_000 + Int64(i), value: Double(i))]], to: writer)
        }
        writer.close()
    }

    private func modify(_ path: String, _ change: (inout [UInt8]) -> Void) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        change(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The block header's flags were read by nothing: a flipped flag bit passed `check`.
    @Test func flippedBlockHeaderFlagIsDamage() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try makeStore(dir.path, blocks: 1)
        let name = FileSystem.list(dir.path + "/blocks")[0]
        try modify(dir.path + "/blocks/" + name) { $0[7] ^= 0x10 }
        let store = try Store.open(at: dir.path, options: .readOnly)
        let report = try store.check()
        #expect(report.problems.map(\.file) == ["blocks/" + name])
        #expect(report.problems.first?.message.contains("bytes 0..<8") == true)
    }

    /// A zeroed data frame header made check blame the index ("starts at byte 5627, not at 24") instead of
    /// the frame whose bytes were damaged.
    @Test func zeroedFrameHeaderIsReportedAsThatFrame() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try makeStore(dir.path, blocks: 1)
        let name = FileSystem.list(dir.path + "/blocks")[0]
        try modify(dir.path + "/blocks/" + name) { for i in 8..<24 { $0[i] = 0 } }
        let report = try Store.open(at: dir.path, options: .readOnly).check()
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.message.contains("data frame 0 (bytes 8..<") == true, "\(report.problems)")
    }

    /// A flipped version byte in a write-ahead segment made every open of the store fail.
    @Test func writeAheadSegmentWithADamagedHeaderIsReportedAndTheStoreStillOpens() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try makeStore(dir.path, blocks: 1, walBatches: 3)
        let segment = try #require(WriteAheadLog.segments(in: dir.path + "/wal").last)
        let path = WriteAheadLog.path(directory: dir.path + "/wal", segment: segment)
        try modify(path) { $0[5] ^= 0x01 }
        let reader = try Store.open(at: dir.path, options: .readOnly)
        #expect(try readAll(reader, name: "m").count == 1)
        #expect(try reader.check().problems.contains { $0.message.contains("version 257") })
        // The writer cuts the segment, keeps a copy, and check says what was cut.
        let writer = try Store.open(at: dir.path, options: options())
        let report = try writer.check()
        #expect(report.problems.contains { $0.repair?.contains(".wal.damaged") == true }, "\(report.problems)")
        #expect(FileSystem.exists(path + ".damaged"))
        writer.close()
    }

    /// The writer's open cut a damaged (not torn) segment silently, so `check --repair` never said that the
    /// batches after the damage were lost.
    @Test func writerOpenReportsWhatItCutFromADamagedSegment() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try makeStore(dir.path, blocks: 0, walBatches: 4)
        let segment = try #require(WriteAheadLog.segments(in: dir.path + "/wal").last)
        let path = WriteAheadLog.path(directory: dir.path + "/wal", segment: segment)
        let frames = try WriteAheadLog.read(path: path)
        #expect(frames.payloads.count == 4)
        // Damage the second frame's payload: a checksum mismatch, followed by two good frames.
        let second = WriteAheadLog.headerSize + Frame.encode(frames.payloads[0]).count
        try modify(path) { $0[second + Frame.headerSize + 2] ^= 0xff }
        let writer = try Store.open(at: dir.path, options: options())
        #expect(try readAll(writer, name: "w").values.first?.count == 1)
        let report = try writer.check()
        let problem = try #require(report.problems.first)
        #expect(problem.message.contains("frame at byte \(second): checksum mismatch"), "\(problem)")
        #expect(problem.repair?.contains("bytes \(second)..<") == true && problem.repair?.contains("are lost") == true)
        writer.close()
        #expect(try Store.open(at: dir.path, options: .readOnly).check().isHealthy)
    }

    /// A missing manifest next to blocks made the writer delete every block as a leftover.
    @Test func missingManifestNextToBlocksIsRefusedAndRebuilt() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try makeStore(dir.path, blocks: 3, walBatches: 2)
        try FileManager.default.removeItem(atPath: dir.path + "/MANIFEST")
        #expect(throws: StorageError.self) { try Store.open(at: dir.path, options: options()) }
        #expect(FileSystem.list(dir.path + "/blocks").count == 3)
        let rebuilt = try Store.rebuildManifest(at: dir.path)
        #expect(rebuilt.blocks.count == 3 && rebuilt.keptAs == nil)
        let store = try Store.open(at: dir.path, options: options())
        #expect(try readAll(store, name: "m").values.first?.count == 3)
        #expect(try readAll(store, name: "w").values.first?.count == 2)
        #expect(try store.check().isHealthy)
        store.close()
    }

    /// A damaged manifest is an error naming it and the way out; the rebuild keeps it in damaged/.
    @Test func damagedManifestIsKeptAsideWhenRebuilt() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try makeStore(dir.path, blocks: 2)
        try modify(dir.path + "/MANIFEST") { $0[20] ^= 0x04 }
        do {
            _ = try Store.open(at: dir.path, options: .readOnly)
            Issue.record("a damaged manifest opened")
        } catch {
            #expect(error.description.contains("MANIFEST") && error.description.contains("check --repair"))
        }
        let rebuilt = try Store.rebuildManifest(at: dir.path)
        #expect(rebuilt.keptAs == "damaged/MANIFEST" && FileSystem.exists(dir.path + "/damaged/MANIFEST"))
        #expect(try readAll(try Store.open(at: dir.path, options: .readOnly), name: "m").values.first?.count == 2)
    }

    /// Compaction merged the window's healthy blocks and then deleted a damaged one with them: the
    /// damaged block must stay for `check --repair` to move aside.
    @Test func compactionLeavesADamagedBlockInPlace() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try makeStore(dir.path, blocks: 3)
        let names = FileSystem.list(dir.path + "/blocks")
        try modify(dir.path + "/blocks/" + names[1]) { $0[$0.count - 1] ^= 0x01 }
        let store = try Store.open(at: dir.path, options: options())
        let summary = try store.compact()
        #expect(Set(summary.removedBlocks) == [names[0], names[2]])
        #expect(FileSystem.exists(dir.path + "/blocks/" + names[1]))
        let report = try store.check(repair: true)
        #expect(report.problems.first?.repair?.contains("moved to damaged/\(names[1]); lost 1 samples of 1 series between") == true)
        #expect(FileSystem.exists(dir.path + "/damaged/" + names[1]))
        store.close()
    }

    /// A bulk load whose commit succeeded but whose compaction then failed (a full disk, or a damaged block
    /// in the window) was aborted by ingest, and abort removed the blocks the manifest had just made live.
    @Test func failedCompactionAfterABulkCommitKeepsTheCommittedBlocks() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try makeStore(dir.path, blocks: 2)
        let names = FileSystem.list(dir.path + "/blocks")
        // Damage a data frame of the first block: it opens, and compaction fails when it decodes it.
        try modify(dir.path + "/blocks/" + names[0]) { $0[BlockFile.headerSize + Frame.headerSize] ^= 0xff }
        let store = try Store.open(at: dir.path)
        let load = try store.bulkLoad()
        load.beginFile()
        try load.append(try store.reference(for: LabelSet(name: "m")), timestampMs: 2_000, value: 9)
        try load.endFile()
        #expect(throws: StorageError.self) { try load.commit() }
        load.abort()
        store.close()
        // Reopened (an open block stays readable through its mapping even once its file is gone).
        let reopened = try Store.open(at: dir.path)
        defer { reopened.close() }
        // The new sample shares the damaged block's 2 h window; the damaged chunk (at 1 s) is not read.
        let samples = try reopened.snapshot().select([.equal("__name__", "m")], minTimeMs: 1_500).first?.samples()
        #expect(samples == [Sample(timestampMs: 2_000, value: 9), Sample(timestampMs: 7_200_000 + 1_000, value: 1)])
        let report = try reopened.check()
        #expect(report.problems.map(\.file) == ["blocks/" + names[0]], "\(report.problems)")
    }
}
