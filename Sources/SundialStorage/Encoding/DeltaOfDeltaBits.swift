/// The prefix-coded widths used for delta-of-delta integers (timestamps and integral values).
///
/// A value is written as its ZigZag code in the first class whose width holds it:
/// `0` for zero, then `10`, `110`, `1110`, `11110` followed by `widths[0…3]` bits, and `11111` followed
/// by 64 bits for anything else. Zero costs one bit.
struct DeltaOfDeltaBits: Sendable {
    /// The payload widths of the four bounded classes, strictly increasing, each < 64.
    let widths: (Int, Int, Int, Int)

    /// Timestamps in milliseconds: scrapes jitter by tens of milliseconds, so 7 bits already
    /// cover ±64 ms, and larger classes cover missed scrapes and irregular series.
    static let timestamps = DeltaOfDeltaBits(widths: (7, 10, 14, 20))

    /// Integral values (counters and bucket counts): increments vary by a few per scrape.
    static let integers = DeltaOfDeltaBits(widths: (4, 8, 13, 22))

    @inline(__always)
    func write(_ value: Int64, to writer: inout BitWriter) {
        if value == 0 {
            writer.write(0, bits: 1)
            return
        }
        let code = zigZagEncode(value)
        if code < 1 << UInt64(widths.0) {
            writer.write(0b10, bits: 2)
            writer.write(code, bits: widths.0)
        } else if code < 1 << UInt64(widths.1) {
            writer.write(0b110, bits: 3)
            writer.write(code, bits: widths.1)
        } else if code < 1 << UInt64(widths.2) {
            writer.write(0b1110, bits: 4)
            writer.write(code, bits: widths.2)
        } else if code < 1 << UInt64(widths.3) {
            writer.write(0b11110, bits: 5)
            writer.write(code, bits: widths.3)
        } else {
            writer.write(0b11111, bits: 5)
            writer.write(code, bits: 64)
        }
    }

    /// The bits ``write(_:to:)`` takes for `value`, prefix included, read from ``bitLengths()`` (built for the
    /// call: for checks, not loops; `DifferenceChoiceTests` compares it with what a ``BitWriter`` takes).
    func bitLength(_ value: Int64) -> Int {
        Int(bitLengths()[64 - zigZagEncode(value).leadingZeroBitCount])
    }

    /// Per significant-bit count of a ZigZag code (0...64), the bits ``write(_:to:)`` takes for it: a table
    /// to index in a loop that counts sizes, so that counting takes no branch per value.
    func bitLengths() -> [UInt8] {
        (0...64).map { significant -> UInt8 in
            if significant == 0 { return 1 }
            if significant <= widths.0 { return UInt8(2 + widths.0) }
            if significant <= widths.1 { return UInt8(3 + widths.1) }
            if significant <= widths.2 { return UInt8(4 + widths.2) }
            if significant <= widths.3 { return UInt8(5 + widths.3) }
            return 69
        }
    }

    /// ``bitLengths()`` of ``integers``, made once.
    static let integerBitLengths = DeltaOfDeltaBits.integers.bitLengths()

    /// The class widths packed one per byte, byte 0 being the zero class (no payload).
    private var packedWidths: UInt64 {
        UInt64(widths.0) << 8 | UInt64(widths.1) << 16 | UInt64(widths.2) << 24 | UInt64(widths.3) << 32
    }

    /// The lengths of the bounded classes' values, prefix included, packed one per byte like ``packedWidths``:
    /// read from a constant rather than added up, which takes two steps off a decoder's critical path.
    private var packedLengths: UInt64 {
        1 | UInt64(2 + widths.0) << 8 | UInt64(3 + widths.1) << 16 | UInt64(4 + widths.2) << 24 | UInt64(5 + widths.3) << 32
    }

    /// How many of the leading bits of `word` are ones, counting at most five: the class of the value
    /// there (5 for the 64-bit class). The bit set at position 58 caps the count without a comparison.
    @_transparent
    static func prefixOnes(_ word: UInt64) -> Int {
        (~word | 1 &<< 58).leadingZeroBitCount
    }

    /// Reads one value from `window`, decoding it from `current`, the window's bits before its latest
    /// ``BitWindow/refill()`` (which keeps the refill's load off the decoder's critical path). The prefix and
    /// payload of the bounded classes come from those bits without branching on the class.
    @_transparent  // @inline(__always) alone left it out of line in the decoders' loops
    func read(_ current: UInt64, from window: inout BitWindow) -> Int64 {
        let ones = Self.prefixOnes(current)
        if ones == 5 {
            // The rare 64-bit class, read out of line after its five-bit prefix.
            let code = window.bits(64, after: 5)
            window.skip(69)
            return zigZagDecode(code)
        }
        let (code, length) = bounded(current, ones: ones)
        window.consume(length)
        return zigZagDecode(code)
    }

    /// The ZigZag code and length in bits (prefix included) of the bounded-class value (`ones` < 5
    /// leading one bits) at the top of `word`, which must hold at least `5 + widths.3` valid bits (27 for integers, 25 for
    /// timestamps: within the 29 a ``BitWindow`` guarantees).
    @_transparent
    func bounded(_ word: UInt64, ones: Int) -> (code: UInt64, length: Int) {
        let width = Int(truncatingIfNeeded: (packedWidths &>> UInt64(ones &* 8)) & 0xff)
        let length = Int(truncatingIfNeeded: (packedLengths &>> UInt64(ones &* 8)) & 0xff)  // at most 27 bits
        return ((word &>> UInt64(truncatingIfNeeded: 64 &- length)) & ((1 &<< UInt64(truncatingIfNeeded: width)) &- 1), length)
    }
}
