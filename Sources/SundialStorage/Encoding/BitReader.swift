/// Reads bits, most significant first, from a byte buffer; the counterpart of ``BitWriter``.
///
/// Reading past the end yields zero bits and sets ``overrun``; decoders check it once at the
/// end instead of on every bit, which keeps the hot loop free of branches that input controls.
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

    @inline(__always)
    private mutating func refill() {
        // Load whole bytes until the window holds at least 57 bits or the input ends.
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
        while available <= 56 && nextByte < base.count {
            window |= UInt64(base[nextByte]) << UInt64(56 - available)
            nextByte += 1
            available += 8
        }
    }

    /// Reads `count` bits (0...64) as the low bits of the result.
    @inline(__always)
    mutating func read(bits count: Int) -> UInt64 {
        guard count > 0 else { return 0 }
        if count > available { refill() }
        if count <= available {
            let value = count == 64 ? window : window >> UInt64(64 - count)
            window = count == 64 ? 0 : window << UInt64(count)
            available -= count
            return value
        }
        // Wider than one window can hold after a refill (only for count > 56): split.
        let high = available
        let first = read(bits: high)
        let low = count - high
        if low > available { refill() }
        guard low <= available else {
            overrun = true
            available = 0
            window = 0
            return first << UInt64(low)
        }
        return first << UInt64(low) | read(bits: low)
    }

    /// Reads one bit.
    @inline(__always)
    mutating func readBit() -> Bool {
        if available == 0 {
            refill()
            if available == 0 {
                overrun = true
                return false
            }
        }
        let bit = window >> 63 != 0
        window <<= 1
        available -= 1
        return bit
    }

    /// Counts leading one bits, stopping after `limit` ones or at the first zero (which is consumed).
    @inline(__always)
    mutating func readUnaryOnes(limit: Int) -> Int {
        var ones = 0
        while ones < limit && readBit() { ones += 1 }
        return ones
    }
}
