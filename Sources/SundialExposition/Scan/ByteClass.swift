#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte classes of the exposition grammar, as bit masks so that a test costs no memory load.
enum ByteClass {
    // Bits 0...63 and 64...127 of the ASCII table.
    private static let digitsLow: UInt64 = 0x03FF_0000_0000_0000            // '0'...'9'
    private static let colonLow: UInt64 = 1 << 58                          // ':'
    private static let lettersHigh: UInt64 = 0x07FF_FFFE_07FF_FFFE         // 'A'...'Z', 'a'...'z'
    private static let underscoreHigh: UInt64 = 1 << (95 - 64)             // '_'

    /// `[a-zA-Z0-9_:]`
    @inline(__always)
    static func isMetricNameByte(_ c: UInt8) -> Bool {
        if c < 64 { return (digitsLow | colonLow) >> UInt64(c) & 1 != 0 }
        if c < 128 { return (lettersHigh | underscoreHigh) >> UInt64(c &- 64) & 1 != 0 }
        return false
    }

    /// `[a-zA-Z_:]`
    @inline(__always)
    static func isMetricNameStart(_ c: UInt8) -> Bool {
        if c < 64 { return c == UInt8(ascii: ":") }
        if c < 128 { return (lettersHigh | underscoreHigh) >> UInt64(c &- 64) & 1 != 0 }
        return false
    }

    /// `[a-zA-Z0-9_]`
    @inline(__always)
    static func isLabelNameByte(_ c: UInt8) -> Bool {
        if c < 64 { return digitsLow >> UInt64(c) & 1 != 0 }
        if c < 128 { return (lettersHigh | underscoreHigh) >> UInt64(c &- 64) & 1 != 0 }
        return false
    }

    /// `[a-zA-Z_]`
    @inline(__always)
    static func isLabelNameStart(_ c: UInt8) -> Bool {
        c >= 64 && c < 128 && (lettersHigh | underscoreHigh) >> UInt64(c &- 64) & 1 != 0
    }

    /// Space or tab.
    @inline(__always)
    static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

    /// `0`...`9`
    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
}

/// Small byte-level helpers shared by the line parsers.
enum ByteText {
    /// Whether `p[start..<end]` holds exactly the ASCII text `word`.
    @inline(__always)
    static func equals(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ word: StaticString) -> Bool {
        guard end - start == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0..<(end - start) where p[start + k] != w[k] { return false }
        return true
    }

    /// Whether `p[start..<end]` begins with the ASCII text `word`.
    @inline(__always)
    static func hasPrefix(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ word: StaticString) -> Bool {
        guard end - start >= word.utf8CodeUnitCount else { return false }
        return equals(p, start, start + word.utf8CodeUnitCount, word)
    }

    /// Whether two byte ranges hold the same bytes.
    @inline(__always)
    static func same(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        count == 0 || memcmp(a, b, count) == 0
    }

    /// The 1-based column of byte `offset` of a line: the number of characters before it plus one.
    static func column(_ p: UnsafePointer<UInt8>, count: Int, offset: Int) -> Int {
        var column = 1
        for k in 0..<min(max(offset, 0), count) where p[k] & 0xC0 != 0x80 { column += 1 }
        return column
    }

    /// The number of characters (Unicode scalars, for valid UTF-8) in `p[start..<end]`.
    static func characterCount(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var n = 0
        for k in start..<end where p[k] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// `p[start..<end]` as a string for a message: invalid UTF-8 repaired, cut to `limit` characters.
    static func quoted(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, limit: Int = 40) -> String {
        let text = String(decoding: UnsafeBufferPointer(start: p + start, count: max(end - start, 0)), as: UTF8.self)
        if text.count <= limit { return "\"\(text)\"" }
        return "\"\(text.prefix(limit))…\""
    }

    /// One byte shown in a message: the character if printable ASCII, otherwise its hex code.
    static func shown(_ c: UInt8) -> String {
        if c > 0x20 && c < 0x7F { return String(UnicodeScalar(c)) }
        if c == 0x20 { return "space" }
        if c == 0x09 { return "tab" }
        let hex = String(c, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count < 2 ? "0" + hex : hex)
    }
}

/// UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
enum UTF8Check {
    /// The offset of the first byte of `p[start..<end]` that starts an invalid sequence, or `nil` if all is valid.
    static func firstInvalid(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var i = start
        while i < end {
            let c = p[i]
            if c < 0x80 { i += 1; continue }
            let n = sequenceLength(p, i, end)
            if n == 0 { return i }
            i += n
        }
        return nil
    }

    /// The length of the valid multi-byte sequence starting at `p[i]` (a byte ≥ 0x80), or 0 if invalid.
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        let c = p[i]
        @inline(__always) func cont(_ k: Int) -> Bool { i + k < end && p[i + k] & 0xC0 == 0x80 }
        switch c {
        case 0xC2...0xDF:
            return cont(1) ? 2 : 0
        case 0xE0:
            return cont(1) && p[i + 1] >= 0xA0 && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return cont(1) && cont(2) ? 3 : 0
        case 0xED:
            return cont(1) && p[i + 1] < 0xA0 && cont(2) ? 3 : 0
        case 0xF0:
            return cont(1) && p[i + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3:
            return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4:
            return cont(1) && p[i + 1] < 0x90 && cont(2) && cont(3) ? 4 : 0
        default:
            return 0
        }
    }
}
