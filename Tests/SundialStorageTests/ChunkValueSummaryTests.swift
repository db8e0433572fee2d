import Testing
@testable import SundialStorage

/// The per-chunk summaries of block format 2 (docs/FORMAT.md, "Chunk summaries"); their use by queries
/// is tested in SundialQueryTests/ChunkSummaryTests.
@Suite struct ChunkValueSummaryTests {
    @Test func aSummaryRecordsFirstLastAndTheValuesBeforeDecreases() {
        func summary(_ values: [Double]) -> ChunkValueSummary? { values.withUnsafeBufferPointer { ChunkValueSummary($0) } }
        #expect(summary([5, 7, 7, 9]) == ChunkValueSummary(first: 5, last: 9, correction: nil))
        #expect(summary([5, 9, 2, 4, 1]) == ChunkValueSummary(first: 5, last: 1, correction: 13))
        #expect(summary([3]) == ChunkValueSummary(first: 3, last: 3, correction: nil))
        #expect(summary([-4, -9]) == ChunkValueSummary(first: -4, last: -9, correction: -4))
        #expect(summary([1, 2.5]) == nil)
        #expect(summary([1, .nan]) == nil)
        #expect(summary([1, StaleMarker.value]) == nil)
        #expect(summary([-0.0, 1]) == nil)
        #expect(summary([1, 0x1p53]) == nil)
        #expect(summary([]) == nil)
    }
}
