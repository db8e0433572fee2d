/// A left-aligned window of input bits, refilled without a branch, for decoders whose values are at
/// most 27 bits (the bounded delta-of-delta classes).
///
/// ``refill()`` ORs the next eight input bytes in below the valid bits and marks at least 56 bits valid
/// (Fabian Giesen's branch-free refill, "Reading bits in far too many ways", part 2, read most significant
/// bit first). A decoder takes the window's bits *before* refilling, decodes from them, and consumes the
/// value from the refilled window: the load then overlaps with decoding instead of sitting on the loop's
/// critical path, and there is no refill branch to mispredict.
struct BitWindow {
    private let source: BitReader
    /// The window: its first ``available`` bits are input (or zeros past its end).
    private(set) var bits: UInt64 = 0
    /// How many leading bits of ``bits`` are valid: at most 63.
    private(set) var available = 0
    /// The first byte not yet wholly in the window.
    private var nextByte = 0

    init(_ buffer: UnsafeRawBufferPointer) {
        source = BitReader(buffer)
        refill()
    }

    /// Bits consumed so far.
    var position: Int { nextByte &* 8 &- available }

    /// True once more bits were consumed than the input holds.
    var overrun: Bool { source.overrun(at: position) }

    /// Tops the window up to at least 56 valid bits.
    @inline(__always)
    mutating func refill() {
        bits |= source.word(atByte: nextByte) &>> UInt64(truncatingIfNeeded: available)
        nextByte &+= (63 &- available) &>> 3
        available |= 56
    }

    /// Drops `count` (≤ ``available``) bits.
    @inline(__always)
    mutating func consume(_ count: Int) {
        bits = bits &<< UInt64(truncatingIfNeeded: count)
        available &-= count
    }

    /// `count` (1...64) bits starting `skip` bits past the position, without consuming them; out of line.
    func bits(_ count: Int, after skip: Int) -> UInt64 {
        source.bits(count, after: position &+ skip)
    }

    /// Consumes `count` bits, any number: the window is reloaded from the new position. Inlined: a call
    /// that takes the window's address, even on a rare path, kept the decoders' windows in memory instead
    /// of registers.
    @inline(__always)
    mutating func skip(_ count: Int) {
        let target = position &+ count
        nextByte = target &>> 3
        bits = 0
        available = 0
        refill()
        consume(target & 7)
    }
}
