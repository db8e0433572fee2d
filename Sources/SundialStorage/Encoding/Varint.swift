/// LEB128 variable-length unsigned integers, as Protocol Buffers and Prometheus' index use them.
extension Array where Element == UInt8 {
    /// Appends `value` as an unsigned LEB128 varint (1–10 bytes).
    @inline(__always)
    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        append(UInt8(v))
    }

    /// Appends a signed value as a ZigZag varint.
    @inline(__always)
    mutating func appendSignedVarint(_ value: Int64) {
        appendVarint(zigZagEncode(value))
    }

    /// Appends a fixed-width little-endian integer.
    @inline(__always)
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        var v = value.littleEndian
        Swift.withUnsafeBytes(of: &v) { append(contentsOf: $0) }
    }

    /// Appends a length-prefixed UTF-8 string.
    mutating func appendString(_ string: String) {
        var s = string
        s.withUTF8 { utf8 in
            appendVarint(UInt64(utf8.count))
            append(contentsOf: utf8)
        }
    }
}
