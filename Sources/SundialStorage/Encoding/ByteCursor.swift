/// A malformed byte sequence found while decoding; wrapped into ``StorageError`` with the file
/// and offset by the caller that knows them.
struct FormatError: Error, Sendable, CustomStringConvertible {
    /// What was wrong, as a sentence fragment.
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Reads fixed-width and varint integers and strings from a byte buffer, checking every bound.
struct ByteCursor {
    private let base: UnsafeRawBufferPointer
    /// The offset of the next unread byte.
    private(set) var offset: Int

    init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.base = buffer
        self.offset = offset
    }

    /// Bytes not yet read.
    var remaining: UnsafeRawBufferPointer {
        @inline(__always) get { UnsafeRawBufferPointer(rebasing: base[offset...]) }
    }

    /// How many bytes are not yet read.
    var remainingCount: Int {
        @inline(__always) get { base.count &- offset }
    }
    /// True when every byte was read.
    var isAtEnd: Bool { offset >= base.count }

    mutating func readByte() throws(FormatError) -> UInt8 {
        guard offset < base.count else { throw FormatError("unexpected end of data at byte \(offset)") }
        defer { offset += 1 }
        return base[offset]
    }

    /// Reads an unsigned LEB128 varint. One that ends within the next 8 bytes (every value below 2^56) is
    /// taken from one 8-byte load; the rest, and every malformed one, byte by byte. Seek tables are read for
    /// every chunk a query decodes: a call per varint took 9 % of an instant latency query's instructions.
    @inline(__always)
    mutating func readVarint() throws(FormatError) -> UInt64 {
        if offset &+ 8 <= base.count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            // A byte without its high bit ends the varint.
            let ends = ~word & 0x8080_8080_8080_8080
            if ends != 0 {
                let length = (ends.trailingZeroBitCount &+ 1) &>> 3
                var result = word & 0x7f
                var k = 1
                while k < length {
                    result |= ((word &>> UInt64(truncatingIfNeeded: k &* 8)) & 0x7f) &<< UInt64(truncatingIfNeeded: k &* 7)
                    k &+= 1
                }
                offset &+= length
                return result
            }
        }
        return try readVarintByteByByte()
    }

    /// ``readVarint()`` one byte at a time, checking every bound.
    private mutating func readVarintByteByByte() throws(FormatError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < base.count else { throw FormatError("varint runs past the end at byte \(offset)") }
            let byte = base[offset]
            offset += 1
            if shift == 63 && byte > 1 { throw FormatError("varint overflows 64 bits at byte \(offset - 1)") }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw FormatError("varint longer than 10 bytes at byte \(offset - 1)") }
        }
    }

    @inline(__always)
    /// Moves past `count` varints without reading their values: counts the bytes that end one (high bit
    /// clear), eight at a time. A decoder skips the seek points after the one it starts from this way. It
    /// does not check their length (a varint of more than 10 bytes passes): the caller reads nothing it skips.
    mutating func skipVarints(_ count: Int) throws(FormatError) {
        var left = count
        while left > 0 {
            if offset &+ 8 <= base.count {
                let ends = ~UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) & 0x8080_8080_8080_8080
                let found = ends.nonzeroBitCount
                if found < left {
                    left &-= found
                    offset &+= 8
                    continue
                }
                // The `left`-th end in this word: clear the ends before it.
                var last = ends
                for _ in 1..<left { last &= last &- 1 }
                offset &+= (last.trailingZeroBitCount &+ 1) &>> 3
                return
            }
            guard offset < base.count else { throw FormatError("varint runs past the end at byte \(offset)") }
            if base[offset] & 0x80 == 0 { left &-= 1 }
            offset &+= 1
        }
    }

    /// A cursor over the next `count` bytes, which this one moves past.
    @inline(__always)
    mutating func take(_ count: Int) throws(FormatError) -> ByteCursor {
        guard count >= 0, count <= base.count &- offset else { throw FormatError("unexpected end of data at byte \(offset)") }
        defer { offset &+= count }
        return ByteCursor(UnsafeRawBufferPointer(rebasing: base[offset..<(offset &+ count)]))
    }

    /// Moves past `count` bytes.
    mutating func skip(_ count: Int) throws(FormatError) {
        guard count >= 0, count <= base.count &- offset else { throw FormatError("unexpected end of data at byte \(offset)") }
        offset &+= count
    }

    @inline(__always)
    mutating func readSignedVarint() throws(FormatError) -> Int64 {
        zigZagDecode(try readVarint())
    }

    /// Reads a varint used as a count or length, refusing values that cannot fit the buffer or an Int.
    /// A negative `limit` (an index into an empty table) refuses every value.
    mutating func readCount(limit: Int = Int(Int32.max)) throws(FormatError) -> Int {
        let value = try readVarint()
        guard limit >= 0, value <= UInt64(limit) else { throw FormatError("count \(value) exceeds the limit \(limit) at byte \(offset)") }
        return Int(value)
    }

    mutating func readLittleEndian<T: FixedWidthInteger>(_: T.Type) throws(FormatError) -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= base.count else { throw FormatError("unexpected end of data at byte \(offset)") }
        defer { offset += size }
        return T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    mutating func readBytes(_ count: Int) throws(FormatError) -> UnsafeRawBufferPointer {
        guard count >= 0, offset + count <= base.count else {
            throw FormatError("\(count) bytes announced at byte \(offset) but only \(base.count - offset) remain")
        }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: base[offset..<(offset + count)])
    }

    mutating func readString() throws(FormatError) -> String {
        let length = try readCount()
        let bytes = try readBytes(length)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Runs `body` over the bytes of `array`, keeping `body`'s typed error (the standard library's
/// `withUnsafeBytes` erases it to `any Error`).
func withBytes<R, E: Error>(_ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
    var result: Result<R, E>?
    array.withUnsafeBytes { raw in
        do throws(E) { result = .success(try body(raw)) } catch { result = .failure(error) }
    }
    // The closure always runs exactly once, so `result` is set.
    guard let result else { preconditionFailure("withUnsafeBytes did not call its closure") }
    return try result.get()
}
