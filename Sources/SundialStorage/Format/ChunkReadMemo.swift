/// What one reading thread took from the blocks' shared caches: the decoded data frame of the chunk before,
/// and its own copies of the timestamp columns and reference values it read lately. Consecutive chunks of a
/// selection mostly share a frame, and the series of one scrape target share their columns and a histogram's
/// buckets their references, so a reader that keeps them (``SampleBuffers`` does, one per thread) goes to the
/// block only for new ones. On two threads the trips to the shared caches (a lock each, and reference counts on
/// arrays the other thread holds too) had cost more than decoding: an instant query's workers ran 2.4× slower
/// side by side than one after the other (docs/PERFORMANCE.md, stop 15). The columns and references are copied,
/// so that using them again counts references on arrays no other thread touches (stop 16).
struct ChunkReadMemo: Sendable {
    /// The block ``frame`` belongs to.
    private(set) var block: BlockReader?
    /// The decoded data frame number ``frame``, shared with the block's cache (read borrowed, never copied).
    var frame = -1
    var payload: [UInt8] = []
    /// The block and timestamp column whose timestamps the reader's timestamps buffer holds.
    var columnBlock: BlockReader?
    var column = -1
    /// The values of the reference of key ``referenceKey`` (`series << 32 | column`) of ``referenceBlock``.
    var referenceBlock: BlockReader?
    var referenceKey = -1
    var reference: [Double] = []
    /// This reader's copies of the columns and references it read lately.
    var columns = ThreadCopies<Int64>()
    var references = ThreadCopies<Double>()

    init() {}

    /// Keeps the frame when it comes from `reader`, else forgets it.
    mutating func use(_ reader: BlockReader) {
        guard block !== reader else { return }
        block = reader
        frame = -1
        payload = []
    }
}

/// A reading thread's own copies of arrays from blocks' caches, by block and key (a column number, or a
/// reference's key), in 128 slots chosen by key and block: a series' columns in a block are numbered one
/// after another, so they take different slots, and a copy is replaced only by one of the same slot. An entry
/// holds its block, so no other block can take its place at the same address while the entry lives.
struct ThreadCopies<Element: Sendable>: Sendable {
    private struct Entry: Sendable {
        let block: BlockReader
        let key: Int
        let copy: [Element]
    }
    private var slots: [Entry?] = []
    private static var slotCount: Int { 128 }
    /// The most elements a copy holds (64 KiB of them): a 2 h chunk at 15 s holds 480.
    private static var longestCopied: Int { 8192 }

    /// The copy of `key` of `block`, made from `fetch()` the first time (or again once replaced).
    mutating func copy<E: Error>(of key: Int, in block: BlockReader, fetch: () throws(E) -> [Element]) throws(E) -> [Element] {
        if slots.isEmpty { slots = [Entry?](repeating: nil, count: Self.slotCount) }
        // The key, plus a number mixed from the block's address: blocks number their columns alike.
        let blockBits = (UInt(bitPattern: ObjectIdentifier(block)) >> 4) &* 0x9E37_79B9_7F4A_7C15
        let slot = Int(truncatingIfNeeded: (UInt(bitPattern: key ^ (key >> 32)) &+ (blockBits >> 40)) % UInt(Self.slotCount))
        if let entry = slots[slot], entry.key == key, entry.block === block { return entry.copy }
        let fetched = try fetch()
        // Long arrays are not kept: 128 of them could take more memory than the block caches hold.
        guard fetched.count <= Self.longestCopied else { return fetched }
        // A copy of its own: the fetched array is the block cache's, shared by every reading thread.
        let own = fetched.withUnsafeBufferPointer { Array($0) }
        slots[slot] = Entry(block: block, key: key, copy: own)
        return own
    }
}
