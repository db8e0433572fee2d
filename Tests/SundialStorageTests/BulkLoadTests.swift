import Foundation
import Testing
@testable import SundialStorage

@Suite struct BulkLoadTests {
    @Test func nothingIsVisibleBeforeCommitAndEverythingAfter() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions()
        options.bulkSampleLimit = 500
        options.bulkBufferBytes = 2_000  // stage several blocks before the commit
        let store = try Store.open(at: dir.path, options: options)
        let corpus = randomCorpus(seed: 21, seriesCount: 10, samplesPerSeries: 300)
        let load = try store.bulkLoad()
        for (labels, samples) in corpus {
            load.beginFile()
            let ref = try store.reference(for: labels)
            for s in samples { try load.append(ref, timestampMs: s.timestampMs, value: s.value) }
            try load.endFile()
        }
        #expect(try readAll(store).isEmpty)
        #expect(try load.commit() == 3000)
        let read = try readAll(store)
        for (labels, samples) in corpus { #expect(read[labels] == expected(samples)) }
        store.close()
    }

    @Test func anUncommittedLoadLeavesTheStoreAsItWasAfterACrash() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions()
        options.bulkSampleLimit = 100
        options.bulkBufferBytes = 500
        do {
            let store = try Store.open(at: dir.path, options: options)
            try write([LabelSet(name: "kept"): [Sample(timestampMs: 1, value: 1)]], to: store)
            let load = try store.bulkLoad()
            let ref = try store.reference(for: LabelSet(name: "lost"))
            load.beginFile()
            for i in 0..<1000 { try load.append(ref, timestampMs: Int64(i), value: 1) }
            // No commit: simulate the process dying here (staged blocks are on disk).
            #expect(FileSystem.list(dir.path + "/blocks").count > 0)
            store.close()
        }
        let reopened = try Store.open(at: dir.path, options: options)
        #expect(FileSystem.list(dir.path + "/blocks").isEmpty)
        #expect(reopened.snapshot().metricNames() == ["kept"])
        reopened.close()
    }

    @Test func abandonedFileIsTakenBackWholly() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.path)
        let load = try store.bulkLoad()
        let a = try store.reference(for: LabelSet(name: "a"))
        load.beginFile()
        try load.append(a, timestampMs: 1, value: 1)
        try load.endFile()
        load.beginFile()
        try load.append(a, timestampMs: 2, value: 2)
        try load.append(try store.reference(for: LabelSet(name: "b")), timestampMs: 2, value: 2)
        #expect(load.abandonFile() == 2)
        try load.commit()
        #expect(try readAll(store) == [LabelSet(name: "a"): [Sample(timestampMs: 1, value: 1)]])
        store.close()
    }
}
