/// Reads bits, most significant first, from a byte buffer; the counterpart of ``BitWriter``.
///
/// The reader is only a bit position: ``peek()`` loads the eight bytes that hold it (one unaligned
/// load while eight bytes remain, a byte-by-byte tail otherwise) and shifts them into place, so there
/// is no window to refill and a decoder's loop carries just the position from one value to the next.
/// (A refilled window kept in the struct went through memory on every value; this layout made the
/// integer decoders about twice as fast, docs/PERFORMANCE.md "Storage (issue 2)".)
///
/// Bits past the end read as zero; decoders advance past them freely and check ``overrun`` once at
/// the end instead of on every read, which keeps the hot loops free of branches that input controls.
struct BitReader {
    private let base: UnsafeRawPointer?
    private let byteCount: Int
    /// The last byte offset from which eight bytes can be loaded at once (negative for short input).
    private let lastWholeWord: Int
    /// Bits consumed so far.
    private(set) var position = 0

    init(_ buffer: UnsafeRawBufferPointer) {
        base = buffer.baseAddress
        byteCount = buffer.count
        lastWholeWord = buffer.count - 8
    }

    /// True once more bits were consumed than the input holds.
    var overrun: Bool { overrun(at: position) }

    /// True when `position` bits are more than the input holds.
    func overrun(at position: Int) -> Bool { position > byteCount &* 8 }

    /// The next bits, left-aligned: at least the first 57 are input (or zero past its end).
    @inline(__always)
    func peek() -> UInt64 {
        word(atByte: position &>> 3) &<< UInt64(truncatingIfNeeded: position & 7)
    }

    /// The eight bytes from offset `byte` as a big-endian word, zeros standing in for bytes past the end.
    @inline(__always)
    func word(atByte byte: Int) -> UInt64 {
        if byte <= lastWholeWord {
            // In bounds: `byte + 8 <= byteCount`, so the buffer has at least eight bytes and a base address
            // (not checked again: the check cost a test and a branch per value in the decoders' loops).
            return UInt64(bigEndian: base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
        }
        return tailWord(byte)
    }

    /// The eight bytes from offset `byte` when fewer remain, zeros standing in for the missing ones: the
    /// input's last eight bytes shifted into place (every chunk's last values come here).
    @inline(never)
    private func tailWord(_ byte: Int) -> UInt64 {
        guard byte < byteCount, let base else { return 0 }
        if byteCount >= 8 {
            // `byte` is past `lastWholeWord`, so the shift is 8...56 bits.
            let last = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: byteCount &- 8, as: UInt64.self))
            return last &<< UInt64(8 &* (byte &- lastWholeWord))
        }
        var word: UInt64 = 0
        for offset in byte..<byteCount {
            word |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) &<< UInt64(56 &- 8 &* (offset &- byte))
        }
        return word
    }

    /// Consumes `count` bits, typically after a ``peek()``.
    @inline(__always)
    mutating func advance(_ count: Int) {
        position &+= count
    }

    /// Reads `count` bits (0...64) as the low bits of the result.
    @inline(__always)
    mutating func read(bits count: Int) -> UInt64 {
        let value = count <= 57 ? (count == 0 ? 0 : peek() &>> UInt64(truncatingIfNeeded: 64 &- count)) : bits(count, after: 0)
        position &+= count
        return value
    }

    /// `count` (1...64) bits starting `skip` bits past the position, as the low bits of the result,
    /// without consuming them. Out of line and non-mutating, so that calling it keeps a decoder's reader
    /// in registers.
    @inline(never)
    func bits(_ count: Int, after skip: Int) -> UInt64 {
        var ahead = self
        ahead.position &+= skip
        if count <= 57 { return ahead.peek() &>> UInt64(truncatingIfNeeded: 64 &- count) }
        let high = ahead.peek() &>> 32
        ahead.position &+= 32
        return high &<< UInt64(truncatingIfNeeded: count &- 32) | ahead.peek() &>> UInt64(truncatingIfNeeded: 96 &- count)
    }
}
