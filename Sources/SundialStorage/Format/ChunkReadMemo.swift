/// What one reading thread took last from a block's shared caches: the decoded data frame, the timestamp
/// column and the reference values of the chunk before. Consecutive chunks of a selection mostly share
/// all three, so a reader that keeps them (``SampleBuffers`` does, one per thread) goes to the block only
/// when one changes. On two threads the trips to the shared caches (a lock each, and reference counts on
/// arrays the other thread holds too) had cost more than decoding: an instant query's workers ran 2.4×
/// slower side by side than one after the other (docs/PERFORMANCE.md, stop 15).
struct ChunkReadMemo: Sendable {
    /// The block the rest comes from; the memo starts over for another.
    private(set) var block: BlockReader?
    /// The decoded data frame number ``frame``.
    var frame = -1
    var payload: [UInt8] = []
    /// The timestamp column the reader's timestamps buffer holds (the buffer is the reader's own).
    var column = -1
    /// The values of the reference of key ``referenceKey`` (`series << 32 | column`).
    var referenceKey = -1
    var reference: [Double] = []

    init() {}

    /// Keeps what the memo holds when it comes from `reader`, else starts over for it.
    mutating func use(_ reader: BlockReader) {
        guard block !== reader else { return }
        self = ChunkReadMemo()
        block = reader
    }
}
