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

    /// The class widths packed one per byte, byte 0 being the zero class (no payload).
    private var packedWidths: UInt64 {
        UInt64(widths.0) << 8 | UInt64(widths.1) << 16 | UInt64(widths.2) << 24 | UInt64(widths.3) << 32
    }

    /// The rare 64-bit class, out of line so that ``read(from:)`` stays small enough to inline.
    @inline(never)
    private static func readEscaped(from reader: inout BitReader) -> Int64 {
        reader.consume(5)
        return zigZagDecode(reader.read(bits: 64))
    }

    /// Reads one value: the prefix and payload of the bounded classes come from one peek, without
    /// branching on the class.
    @_transparent  // @inline(__always) alone left it out of line in the decoders' loops
    func read(from reader: inout BitReader) -> Int64 {
        reader.ensure(32)
        return read(afterOnes: reader.leadingOnes(limit: 5), from: &reader)
    }

    /// Reads one value whose prefix starts with `ones` one bits (as ``BitReader/leadingOnes(limit:)``
    /// with limit 5 counted them, after ``BitReader/ensure(_:)`` of 32 bits).
    @_transparent
    func read(afterOnes ones: Int, from reader: inout BitReader) -> Int64 {
        if ones == 5 { return Self.readEscaped(from: &reader) }
        let width = Int(truncatingIfNeeded: (packedWidths >> UInt64(ones &* 8)) & 0xff)
        let total = ones &+ 1 &+ width  // at most 4 + 1 + 22 = 27 bits
        let code = reader.peek(total) & ((1 << UInt64(width)) &- 1)
        reader.consume(total)
        return zigZagDecode(code)
    }
}
