/// The result of parsing one `{…}` label set.
struct LabelSetEnd {
    /// The offset just after the closing `}`.
    var end: Int
    /// How many labels were read.
    var count: Int
    /// Whether a label value holds non-ASCII bytes (columns then need counting).
    var sawNonASCII: Bool
}

extension ExpositionParser {
    /// Parses the label set that opens with `{` at `p[open]`, storing spans from index `firstSpan` on.
    ///
    /// Text format: blanks may surround every token and a trailing comma is allowed. OpenMetrics: no blanks, no
    /// trailing comma.
    /// - Parameter what: `label` or `exemplar label`, for messages.
    /// - Throws: A fault at the first problem: invalid name, missing `=` or value, unterminated quote, bad escape,
    ///   invalid UTF-8, duplicate name, missing `,` or `}`.
    @inline(__always)
    mutating func parseLabelSet(
        _ p: UnsafePointer<UInt8>, open: Int, end: Int, firstSpan: Int, what: String
    ) throws(LineFault) -> LabelSetEnd {
        let openMetrics = format == .openMetrics
        var i = open + 1
        var count = 0
        var sawNonASCII = false
        while true {
            if !openMetrics { while i < end && ByteClass.isBlank(p[i]) { i &+= 1 } }
            guard i < end else { throw LineFault(open, "\(what) set is not closed with }") }
            if p[i] == UInt8(ascii: "}") {
                if openMetrics && count > 0 {
                    throw LineFault(i - 1, "a trailing comma in a \(what) set is not allowed in OpenMetrics")
                }
                return LabelSetEnd(end: i + 1, count: count, sawNonASCII: sawNonASCII)
            }
            // The name.
            guard ByteClass.isLabelNameStart(p[i]) else {
                let shown = ByteText.shown(p[i])
                throw LineFault(i, "invalid \(what) name: it must start with a letter or _, not \(shown)")
            }
            let nameStart = i
            i = ByteClass.scanName(p, from: i + 1, to: end, colon: false, table: byteClasses)
            let nameEnd = i
            if !openMetrics { while i < end && ByteClass.isBlank(p[i]) { i &+= 1 } }
            guard i < end, p[i] == UInt8(ascii: "=") else {
                throw LineFault.missingEquals(p, i, end, nameStart, nameEnd, what: what)
            }
            i += 1
            if !openMetrics { while i < end && ByteClass.isBlank(p[i]) { i &+= 1 } }
            guard i < end, p[i] == UInt8(ascii: "\"") else {
                let name = ByteText.quoted(p, nameStart, nameEnd)
                if i >= end || p[i] == UInt8(ascii: ",") || p[i] == UInt8(ascii: "}") {
                    throw LineFault(i, "\(what) \(name) has no value")
                }
                throw LineFault(i, "the value of \(what) \(name) must be a double-quoted string")
            }
            // The value.
            let quote = i
            i += 1
            let valueStart = i
            var escaped = false
            while true {
                i = Self.skipPlainValueBytes(p, i, end)
                guard i < end else { throw .unterminated(p, quote, nameStart, nameEnd, what: what) }
                let c = p[i]
                if c == UInt8(ascii: "\"") { break }
                if c == UInt8(ascii: "\\") {
                    guard i + 1 < end else { throw .unterminated(p, quote, nameStart, nameEnd, what: what) }
                    guard Escapes.isValid(p[i + 1], .labelValue) else {
                        throw Escapes.badEscape(p, i, end, what: "\(what) value")
                    }
                    escaped = true
                    i += 2
                } else if c >= 0x80 {
                    let n = UTF8Check.sequenceLength(p, i, end)
                    guard n > 0 else { throw LineFault(i, "\(what) value is not valid UTF-8") }
                    sawNonASCII = true
                    i += n
                } else {
                    i += 1
                }
            }
            let valueEnd = i
            i += 1
            // Duplicates.
            let nameLength = nameEnd - nameStart
            for k in firstSpan..<(firstSpan + count) {
                let other = spans[k]
                if other.nameEnd - other.nameStart == nameLength
                    && ByteText.same(p + other.nameStart, p + nameStart, count: nameLength) {
                    let name = ByteText.quoted(p, nameStart, nameEnd)
                    throw LineFault(nameStart, "duplicate \(what) name \(name)")
                }
            }
            if firstSpan + count == spanCapacity { growSpans(keeping: firstSpan + count) }
            spans[firstSpan + count] = LabelSpan(
                nameStart: nameStart, nameEnd: nameEnd, valueStart: valueStart, valueEnd: valueEnd, escaped: escaped)
            count += 1
            // The separator.
            if !openMetrics { while i < end && ByteClass.isBlank(p[i]) { i &+= 1 } }
            guard i < end else { throw LineFault(open, "\(what) set is not closed with }") }
            if p[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if p[i] == UInt8(ascii: "}") {
                return LabelSetEnd(end: i + 1, count: count, sawNonASCII: sawNonASCII)
            }
            throw LineFault(i, "expected , or } after a \(what) value, found \(ByteText.shown(p[i]))")
        }
    }
}

extension ExpositionParser {
    /// The offset of the first byte at or after `i` that is `"`, `\\` or not ASCII, or `end`.
    ///
    /// Reads eight bytes at a time (SWAR: a byte equal to `v` makes `(w ^ v·0x01…) - 0x01…` borrow into its
    /// top bit; the lowest flagged byte is always a true match, since borrows only run upward).
    @inline(__always)
    static func skipPlainValueBytes(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var i = start
        while end - i >= 8 {
            let w = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            let quotes = w ^ (ones &* 0x22)
            let backslashes = w ^ (ones &* 0x5C)
            let found = ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes | w) & highs
            if found != 0 {
                return i + found.trailingZeroBitCount / 8
            }
            i += 8
        }
        while i < end {
            let c = p[i]
            if c == 0x22 || c == 0x5C || c >= 0x80 { return i }
            i += 1
        }
        return end
    }
}

extension LineFault {
    /// The fault for a quoted value that the line ends inside of, at its opening quote.
    static func unterminated(
        _ p: UnsafePointer<UInt8>, _ quote: Int, _ nameStart: Int, _ nameEnd: Int, what: String
    ) -> LineFault {
        LineFault(quote, "the quoted value of \(what) \(ByteText.quoted(p, nameStart, nameEnd)) is not terminated")
    }

    /// The fault for a label name not followed by `=`.
    static func missingEquals(
        _ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int, _ nameStart: Int, _ nameEnd: Int, what: String
    ) -> LineFault {
        let name = ByteText.quoted(p, nameStart, nameEnd)
        guard i < end else { return LineFault(i, "\(what) \(name) has no = and value") }
        let c = p[i]
        if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") {
            return LineFault(i, "\(what) \(name) has no = and value")
        }
        if c == UInt8(ascii: ":") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c >= 0x80 {
            return LineFault(i, "invalid character \(ByteText.shown(c)) in \(what) name \(name)")
        }
        return LineFault(i, "expected = after \(what) name \(name), found \(ByteText.shown(c))")
    }
}
