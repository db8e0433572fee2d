#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte classes of the exposition grammar.
///
/// Single tests use bit masks (no memory load); the name-scanning loops use ``table``, one load and one branch
/// per byte.
enum ByteClass {
    /// Bit of ``table``: `[a-zA-Z0-9_:]`.
    static let metricNameBit: UInt8 = 1
    /// Bit of ``table``: `[a-zA-Z0-9_]`.
    static let labelNameBit: UInt8 = 2

    /// 256 entries of class bits, built once, never freed, never written after.
    nonisolated(unsafe) static let table: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for c in 0..<256 {
            let byte = UInt8(c)
            table[c] = (isMetricNameByte(byte) ? metricNameBit : 0) | (isLabelNameByte(byte) ? labelNameBit : 0)
        }
        return UnsafePointer(table)
    }()

    /// The end of the run of name bytes from `start`: `[a-zA-Z0-9_:]` when `colon`, else `[a-zA-Z0-9_]`.
    ///
    /// Eight bytes at a time while eight remain (SWAR range tests on 7-bit bytes, which cannot carry from one byte
    /// into the next), then one ``table`` load per byte.
    @inline(__always)
    static func scanName(
        _ p: UnsafePointer<UInt8>, from start: Int, to end: Int, colon: Bool, table: UnsafePointer<UInt8>
    ) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let digitHigh: UInt64 = colon ? 0x3A : 0x39
        var i = start
        while end - i >= 8 {
            let w = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            let w7 = w & lows
            let folded = w7 | (ones &* 0x20)
            let letters = (folded &+ ones &* (0x80 - 0x61)) & ~(folded &+ ones &* (0x7F - 0x7A))
            let digits = (w7 &+ ones &* (0x80 - 0x30)) & ~(w7 &+ ones &* (0x7F - digitHigh))
            let x = w7 ^ (ones &* 0x5F)
            let underscores = ~(((x & lows) &+ lows) | x)
            let stops = ~(letters | digits | underscores) & highs | (w & highs)
            if stops != 0 { return i &+ stops.trailingZeroBitCount / 8 }
            i &+= 8
        }
        let bit = colon ? metricNameBit : labelNameBit
        while i < end && table[Int(p[i])] & bit != 0 { i &+= 1 }
        return i
    }

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
        if count > 32 { return memcmp(a, b, count) == 0 }
        var k = 0
        while count - k >= 8 {
            if UnsafeRawPointer(a + k).loadUnaligned(as: UInt64.self)
                != UnsafeRawPointer(b + k).loadUnaligned(as: UInt64.self) { return false }
            k &+= 8
        }
        while k < count {
            if a[k] != b[k] { return false }
            k &+= 1
        }
        return true
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
