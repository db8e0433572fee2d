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

/// The data frames a reading thread put aside (``ChunkReadMemo/useFrame(_:of:)``), in 32 slots chosen by frame
/// number and block (``BlockSlots``). At most 32 frames of about 64 KiB each stay alive this way beyond the
/// blocks' own caches, for as long as the reader keeps its buffers (one query's workers).
struct FrameShelf: Sendable {
    private var slots = BlockSlots<UInt8>(count: 32)

    /// Puts `payload` (frame `number` of `block`) in its slot; `payload` is left holding what the slot held.
    mutating func park(_ payload: inout [UInt8], frame number: Int, of block: BlockReader) {
        slots.swap(&payload, into: slots.slot(number, block), naming: number, of: block)
    }

    /// Swaps frame `number` of `block` into `payload` when a slot holds it; false when none does.
    mutating func take(_ number: Int, of block: BlockReader, into payload: inout [UInt8]) -> Bool {
        let slot = slots.slot(number, block)
        guard slots.holds(number, of: block, at: slot) else { return false }
        slots.swap(&payload, into: slot, naming: nil, of: block)
        return true
    }
}

/// A reading thread's own copies of arrays from blocks' caches, by block and key (a column number, or a
/// reference's key), in 128 slots chosen by key and block (``BlockSlots``): a series' columns in a block are
/// numbered one after another, so they take different slots, and a copy is replaced only by one of the same slot.
struct ThreadCopies<Element: Sendable>: Sendable {
    private var slots = BlockSlots<Element>(count: 128)
    /// The most elements a copy holds (64 KiB of them): a 2 h chunk at 15 s holds 480.
    private static var longestCopied: Int { 8192 }

    /// The copy of `key` of `block`, nil when there is none (the caller then fetches it for ``keep(_:of:in:)``).
    func copy(of key: Int, in block: BlockReader) -> [Element]? {
        let slot = slots.slot(key, block)
        return slots.holds(key, of: block, at: slot) ? slots.array(at: slot) : nil
    }

    /// A copy of `fetched`, the array of `key` of `block` from the block's cache, kept for ``copy(of:in:)``
    /// (`fetched` itself when too long to keep).
    mutating func keep(_ fetched: [Element], of key: Int, in block: BlockReader) -> [Element] {
        // Long arrays are not kept: 128 of them could take more memory than the block caches hold.
        guard fetched.count <= Self.longestCopied else { return fetched }
        // A copy of its own: the fetched array is the block cache's, shared by every reading thread.
        var own = fetched.withUnsafeBufferPointer { Array($0) }
        let kept = own
        slots.swap(&own, into: slots.slot(key, block), naming: key, of: block)
        return kept
    }
}

/// Arrays a reading thread keeps by block and key, one per slot, the slot chosen by the key and the block's
/// address: what ``FrameShelf`` and ``ThreadCopies`` are made of. Blocks are compared by identity, which counts
/// no reference on them (a shared block reader's count is what two threads must not both touch per chunk), and a
/// slot also holds its block, so that no other block can take its place at the same address while the slot
/// names it. Storage is made on the first store.
struct BlockSlots<Element: Sendable>: Sendable {
    private let count: Int
    private var blocks: [ObjectIdentifier?] = []
    private var owners: [BlockReader?] = []
    private var keys: [Int] = []
    private var arrays: [[Element]] = []

    init(count: Int) {
        self.count = count
    }

    /// The slot of `key` of `block`: the key (its two halves mixed: a reference's key is `series << 32 | column`)
    /// plus a number mixed from the block's address, since blocks number their frames and columns alike.
    func slot(_ key: Int, _ block: BlockReader) -> Int {
        let blockBits = (UInt(bitPattern: ObjectIdentifier(block)) >> 4) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: (UInt(bitPattern: key ^ (key >> 32)) &+ (blockBits >> 40)) % UInt(count))
    }

    /// True when `slot` holds the array of `key` of `block`.
    func holds(_ key: Int, of block: BlockReader, at slot: Int) -> Bool {
        !blocks.isEmpty && keys[slot] == key && blocks[slot] == ObjectIdentifier(block)
    }

    /// The array in `slot`.
    func array(at slot: Int) -> [Element] { arrays[slot] }

    /// Swaps `array` with the one in `slot` (moved, no reference counted), naming it `key` of `block`, or
    /// nothing when `key` is nil (what is left there is then never returned).
    mutating func swap(_ array: inout [Element], into slot: Int, naming key: Int?, of block: BlockReader) {
        if blocks.isEmpty {
            blocks = Array(repeating: nil, count: count)
            owners = Array(repeating: nil, count: count)
            keys = Array(repeating: -1, count: count)
            arrays = Array(repeating: [], count: count)
        }
        Swift.swap(&array, &arrays[slot])
        guard let key else {
            blocks[slot] = nil
            return
        }
        blocks[slot] = ObjectIdentifier(block)
        if owners[slot] !== block { owners[slot] = block }
        keys[slot] = key
    }
}
