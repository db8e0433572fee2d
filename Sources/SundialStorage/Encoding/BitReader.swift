/// Reads bits, most significant first, from a byte buffer; the counterpart of ``BitWriter``.
///
/// Reading past the end yields zero bits and sets ``overrun``; decoders check it once at the
/// end instead of on every bit, which keeps the hot loop free of branches that input controls.
/// The common reads stay inline; refilling and reads wider than the window go through
/// out-of-line slow paths.
struct BitReader {
    private let base: UnsafeRawBufferPointer
    /// The index of the next byte to load into the window.
    private var nextByte: Int
    /// Loaded bits, left-aligned.
    private var window: UInt64 = 0
    /// How many bits of `window` are valid.
    private var available: Int = 0
    /// True once a read asked for bits beyond the end of the buffer.
    private(set) var overrun = false

    init(_ buffer: UnsafeRawBufferPointer) {
        self.base = buffer
        self.nextByte = 0
    }

    /// Bits consumed so far.
    var bitPosition: Int { nextByte * 8 - available }

    /// Loads whole bytes until the window holds at least 57 bits or the input ends.
    @inline(__always)
    private mutating func refill() {
        if nextByte + 8 <= base.count {
            let bigEndian = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: nextByte, as: UInt64.self))
            let take = (64 - available) / 8
            guard take > 0 else { return }
            let bits = take * 8
            let chunk = bits == 64 ? bigEndian : (bigEndian >> UInt64(64 - bits)) << UInt64(64 - bits)
            window |= chunk >> UInt64(available)
            nextByte += take
            available += bits
            return
        }
        refillTail()
    }

    /// The last few bytes of the input, one at a time.
    @inline(never)
    private mutating func refillTail() {
        while available <= 56 && nextByte < base.count {
            window |= UInt64(base[nextByte]) << UInt64(56 - available)
            nextByte += 1
            available += 8
        }
    }

    /// Makes at least `count` (≤ 57) bits available when the input has them.
    @inline(__always)
    mutating func ensure(_ count: Int) {
        if available < count { refill() }
    }

    /// The next `count` (1...57) bits without consuming them; call ``ensure(_:)`` first. Bits past the
    /// end of input read as zero (and ``consume(_:)`` then marks the overrun).
    @inline(__always)
    func peek(_ count: Int) -> UInt64 {
        window >> UInt64(64 - count)
    }

    /// How many of the next available bits are zeros, without consuming them: at most the bits the
    /// window holds, which is at least 32 unless the input ends (refilling only below that keeps the
    /// common call free of loads).
    @inline(__always)
    mutating func leadingZeros() -> Int {
        ensure(32)
        return min(window.leadingZeroBitCount, available)
    }

    /// How many of the next bits, up to `limit`, are ones, without consuming them.
    @inline(__always)
    func leadingOnes(limit: Int) -> Int {
        min((~window).leadingZeroBitCount, limit)
    }

    /// Drops `count` bits that were made available; beyond the end of input it marks an overrun.
    @inline(__always)
    mutating func consume(_ count: Int) {
        if count > available {
            overrun = true
            window = 0
            available = 0
            return
        }
        window = count == 64 ? 0 : window << UInt64(count)
        available -= count
    }

    /// Reads `count` bits (0...64) as the low bits of the result.
    @inline(__always)
    mutating func read(bits count: Int) -> UInt64 {
        if count <= 56 {
            ensure(count)
            let value = count == 0 ? 0 : window >> UInt64(64 - count)
            consume(count)
            return value
        }
        return readWide(count)
    }

    @inline(never)
    private mutating func readWide(_ count: Int) -> UInt64 {
        let high = read(bits: 32)
        return high << UInt64(count - 32) | read(bits: count - 32)
    }

    /// Reads one bit.
    @inline(__always)
    mutating func readBit() -> Bool {
        ensure(1)
        let bit = window >> 63 != 0
        consume(1)
        return bit
    }

    /// Counts leading one bits, stopping after `limit` (≤ 8) ones or at the first zero (which is consumed).
    @inline(__always)
    mutating func readUnaryOnes(limit: Int) -> Int {
        ensure(limit)
        let ones = min((~window).leadingZeroBitCount, limit)
        consume(ones < limit ? ones + 1 : ones)
        return ones
    }
}
