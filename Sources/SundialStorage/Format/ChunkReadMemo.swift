/// What one reading thread took from the blocks' shared caches: the decoded data frame of the chunk before,
/// and its own copies of the timestamp columns and reference values it read lately. Consecutive chunks of a
/// selection mostly share a frame, and the series of one scrape target share their columns and a histogram's
/// buckets their references, so a reader that keeps them (``SampleBuffers`` does, one per thread) goes to the
/// block only for new ones. On two threads the trips to the shared caches (a lock each, and reference counts on
/// arrays the other thread holds too) had cost more than decoding: an instant query's workers ran 2.4× slower
/// side by side than one after the other (docs/PERFORMANCE.md, stop 15). The columns and references are copied,
/// so that using them again counts references on arrays no other thread touches (stop 16).
struct ChunkReadMemo: Sendable {
    /// The block and number of the decoded data frame in ``payload``, which is shared with the block's cache
    /// (read borrowed, never copied).
    private(set) var frameBlock: BlockReader?
    private(set) var frame = -1
    private(set) var payload: [UInt8] = []
    /// Frames read lately and put aside: a series' chunks lie in one frame per window, and the next series
    /// reads the same frames again.
    private var shelf = FrameShelf()
    /// The block and timestamp column whose timestamps the reader's timestamps buffer holds.
    private(set) var columnBlock: BlockReader?
    var column = -1
    /// The values of the reference of key ``referenceKey`` (`series << 32 | column`) of ``referenceBlock``.
    private(set) var referenceBlock: BlockReader?
    var referenceKey = -1
    var reference: [Double] = []
    /// This reader's copies of the columns and references it read lately.
    var columns = ThreadCopies<Int64>()
    var references = ThreadCopies<Double>()

    init() {}

    /// Makes ``payload`` frame `number` of `block` when it already is or was put on the shelf; false when
    /// neither, and the caller fetches it from the block's shared cache for ``hold(frame:of:payload:)``. Frames
    /// move between ``payload`` and the shelf without counting references on them: those arrays are the block
    /// cache's, and counting references on arrays the other reading thread holds too took a tenth of a range
    /// query's time (docs/PERFORMANCE.md, stop 17). The caller passes the block rather than a closure that
    /// fetches: a closure capturing it counted a reference on it for every chunk.
    mutating func useFrame(_ number: Int, of block: BlockReader) -> Bool {
        if frame == number && frameBlock === block { return true }
        if frame >= 0 {
            // Usually the frame before is of the same block: parked under the block passed in, not a copy of
            // `frameBlock` (a copy counts a reference).
            if frameBlock === block {
                shelf.park(&payload, frame: frame, of: block)
            } else if let current = frameBlock {
                shelf.park(&payload, frame: frame, of: current)
            }
        }
        frame = -1
        guard shelf.take(number, of: block, into: &payload) else { return false }
        hold(frame: number, of: block)
        return true
    }

    /// Makes ``payload`` frame `number` of `block`, fetched from its cache after ``useFrame(_:of:)`` returned false.
    mutating func hold(frame number: Int, of block: BlockReader, payload fetched: [UInt8]) {
        payload = fetched
        hold(frame: number, of: block)
    }

    private mutating func hold(frame number: Int, of block: BlockReader) {
        // Assigned only when it changes: storing a reference counts one on the block, shared by every thread.
        if frameBlock !== block { frameBlock = block }
        frame = number
    }

    /// Records that the timestamps buffer holds column `number` of `block`.
    mutating func holdColumn(_ number: Int, of block: BlockReader) {
        if columnBlock !== block { columnBlock = block }
        column = number
    }

    /// Records that ``reference`` holds the reference of `key` of `block`.
    mutating func holdReference(_ key: Int, of block: BlockReader) {
        if referenceBlock !== block { referenceBlock = block }
        referenceKey = key
    }
}

/// The data frames a reading thread put aside (``ChunkReadMemo/useFrame(_:of:)``), in 32 slots chosen
/// by frame number and block. A slot holds its block, so no other block can take its place at the same
/// address while the slot names it. At most 32 frames of about 64 KiB each stay alive this way beyond the
/// blocks' own caches, for as long as the reader keeps its buffers (one query's workers).
struct FrameShelf: Sendable {
    private var blocks: [ObjectIdentifier?] = []
    private var numbers: [Int] = []
    private var owners: [BlockReader?] = []
    private var payloads: [[UInt8]] = []
    private static var slotCount: Int { 32 }

    private static func slot(_ number: Int, _ block: BlockReader) -> Int {
        let blockBits = (UInt(bitPattern: ObjectIdentifier(block)) >> 4) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: (UInt(bitPattern: number) &+ (blockBits >> 40)) % UInt(slotCount))
    }

    /// Puts `payload` (frame `number` of `block`) in its slot; `payload` is left holding what the slot held.
    mutating func park(_ payload: inout [UInt8], frame number: Int, of block: BlockReader) {
        if blocks.isEmpty {
            blocks = Array(repeating: nil, count: Self.slotCount)
            numbers = Array(repeating: -1, count: Self.slotCount)
            owners = Array(repeating: nil, count: Self.slotCount)
            payloads = Array(repeating: [], count: Self.slotCount)
        }
        let s = Self.slot(number, block)
        swap(&payload, &payloads[s])
        blocks[s] = ObjectIdentifier(block)
        numbers[s] = number
        if owners[s] !== block { owners[s] = block }
    }

    /// Swaps frame `number` of `block` into `payload` when a slot holds it; false when none does.
    mutating func take(_ number: Int, of block: BlockReader, into payload: inout [UInt8]) -> Bool {
        guard !blocks.isEmpty else { return false }
        let s = Self.slot(number, block)
        guard numbers[s] == number, blocks[s] == ObjectIdentifier(block) else { return false }
        swap(&payload, &payloads[s])
        blocks[s] = nil
        return true
    }
}

/// A reading thread's own copies of arrays from blocks' caches, by block and key (a column number, or a
/// reference's key), in 128 slots chosen by key and block: a series' columns in a block are numbered one
/// after another, so they take different slots, and a copy is replaced only by one of the same slot. An entry
/// holds its block, so no other block can take its place at the same address while the entry lives.
struct ThreadCopies<Element: Sendable>: Sendable {
    /// Per slot: the block by identity (compared without counting a reference), the block itself (kept
    /// alive, so that the identity stays its own), the key and the copy.
    private var blocks: [ObjectIdentifier?] = []
    private var owners: [BlockReader?] = []
    private var keys: [Int] = []
    private var copies: [[Element]] = []
    private static var slotCount: Int { 128 }
    /// The most elements a copy holds (64 KiB of them): a 2 h chunk at 15 s holds 480.
    private static var longestCopied: Int { 8192 }

    /// The slot of `key` of `block`.
    private static func slot(_ key: Int, _ block: BlockReader) -> Int {
        // The key, plus a number mixed from the block's address: blocks number their columns alike.
        let blockBits = (UInt(bitPattern: ObjectIdentifier(block)) >> 4) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: (UInt(bitPattern: key ^ (key >> 32)) &+ (blockBits >> 40)) % UInt(slotCount))
    }

    /// The copy of `key` of `block`, nil when there is none (the caller then fetches it for ``keep(_:of:in:)``).
    func copy(of key: Int, in block: BlockReader) -> [Element]? {
        guard !blocks.isEmpty else { return nil }
        let slot = Self.slot(key, block)
        guard keys[slot] == key, blocks[slot] == ObjectIdentifier(block) else { return nil }
        return copies[slot]
    }

    /// A copy of `fetched`, the array of `key` of `block` from the block's cache, kept for ``copy(of:in:)``
    /// (`fetched` itself when too long to keep).
    mutating func keep(_ fetched: [Element], of key: Int, in block: BlockReader) -> [Element] {
        // Long arrays are not kept: 128 of them could take more memory than the block caches hold.
        guard fetched.count <= Self.longestCopied else { return fetched }
        if blocks.isEmpty {
            blocks = Array(repeating: nil, count: Self.slotCount)
            owners = Array(repeating: nil, count: Self.slotCount)
            keys = Array(repeating: -1, count: Self.slotCount)
            copies = Array(repeating: [], count: Self.slotCount)
        }
        let slot = Self.slot(key, block)
        // A copy of its own: the fetched array is the block cache's, shared by every reading thread.
        let own = fetched.withUnsafeBufferPointer { Array($0) }
        blocks[slot] = ObjectIdentifier(block)
        if owners[slot] !== block { owners[slot] = block }
        keys[slot] = key
        copies[slot] = own
        return own
    }
}
