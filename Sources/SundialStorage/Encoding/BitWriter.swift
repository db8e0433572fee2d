/// Appends bits, most significant first, to a growing byte array.
///
/// The Gorilla encoders sit on top of this: it is deliberately small and plain
/// (compare Prometheus' `tsdb/chunkenc/bstream.go`).
struct BitWriter {
    /// The bytes written so far; the last byte may be partly filled.
    private(set) var bytes: [UInt8] = []
    /// Pending bits, left-aligned: the next bit to emit is bit 63.
    private var accumulator: UInt64 = 0
    /// How many bits of `accumulator` are pending (0..<64).
    private var pending: Int = 0

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// A writer that appends to the bytes of `out`, which it takes over (`out` is left empty) until
    /// ``finish(into:)`` hands them back: no array of its own to allocate and copy per chunk.
    init(appendingTo out: inout [UInt8], capacity: Int = 0) {
        swap(&bytes, &out)
        bytes.reserveCapacity(bytes.count + capacity)
    }

    /// The number of bits written.
    var bitCount: Int { bytes.count * 8 + pending }

    /// Writes the low `count` bits of `value` (0...64).
    @inline(__always)
    mutating func write(_ value: UInt64, bits count: Int) {
        guard count > 0 else { return }
        let masked = count == 64 ? value : value & ((1 << UInt64(count)) &- 1)
        let free = 64 - pending
        if count < free {
            accumulator |= masked << UInt64(free - count)
            pending += count
        } else {
            let spill = count - free
            accumulator |= masked >> UInt64(spill)
            flushWord()
            if spill > 0 {
                accumulator = masked << UInt64(64 - spill)
                pending = spill
            }
        }
    }

    /// Writes one bit.
    @inline(__always)
    mutating func writeBit(_ bit: Bool) {
        write(bit ? 1 : 0, bits: 1)
    }

    private mutating func flushWord() {
        // One append of the eight bytes, most significant first, rather than eight.
        withUnsafeBytes(of: accumulator.bigEndian) { bytes.append(contentsOf: $0) }
        accumulator = 0
        pending = 0
    }

    /// Pads the last byte with zero bits and puts all bytes (those `out` held before
    /// ``init(appendingTo:capacity:)`` and the ones written) back into `out`.
    mutating func finish(into out: inout [UInt8]) {
        padLastByte()
        out = []
        swap(&bytes, &out)
    }

    /// Pads the last byte with zero bits and returns all bytes.
    mutating func finish() -> [UInt8] {
        padLastByte()
        return bytes
    }

    private mutating func padLastByte() {
        var remaining = pending
        var word = accumulator
        while remaining > 0 {
            bytes.append(UInt8(truncatingIfNeeded: word >> 56))
            word <<= 8
            remaining -= 8
        }
        accumulator = 0
        pending = 0
    }
}
