import Foundation
import Testing
@testable import SundialStorage

@Suite struct CompactionTests {
    private let hour: Int64 = 3_600_000

    @Test func closedDaysBecomeOneBlockAndTheOpenDayOnlyMergesWithinTwoHourWindows() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.path)
        let m = LabelSet(name: "m")
        // Day 0: samples in hours 0, 1, 3 (two 2 h windows), each flushed separately.
        for h in [0, 1, 3] as [Int64] {
            try write([m: [Sample(timestampMs: h * hour, value: Double(h))]], to: store)
            try store.flush()
        }
        var blocks = store.statistics().blocks
        #expect(blocks == 2)  // hours 0 and 1 share a 2 h window and merged; hour 3 is alone
        // Data on day 1 closes day 0: it becomes one block.
        try write([m: [Sample(timestampMs: 25 * hour, value: 25)]], to: store)
        try store.flush()
        blocks = store.statistics().blocks
        #expect(blocks == 2)  // day 0 merged; day 1 open
        #expect(try readAll(store)[m]?.map(\.value) == [0, 1, 3, 25])
        // An out-of-order sample into the closed day is merged into it again.
        try write([m: [Sample(timestampMs: 2 * hour, value: 2)]], to: store)
        try store.flush()
        #expect(store.statistics().blocks == 2)
        #expect(try readAll(store)[m]?.map(\.value) == [0, 1, 2, 3, 25])
        // On demand, the open day is merged too.
        try write([m: [Sample(timestampMs: 30 * hour, value: 30)]], to: store)
        try store.flush()
        #expect(store.statistics().blocks == 3)
        try store.compact()
        #expect(store.statistics().blocks == 2)
        store.close()
    }
}
