/// The backslash escapes of label values and help texts.
enum Escapes {
    /// Which escapes a piece of text may use.
    enum Kind {
        /// Label values in both formats and help text in OpenMetrics: `\\`, `\"`, `\n`.
        case labelValue
        /// Help text in the text format: `\\`, `\n`.
        case textHelp
    }

    /// Whether `c` may follow a backslash.
    @inline(__always)
    static func isValid(_ c: UInt8, _ kind: Kind) -> Bool {
        c == UInt8(ascii: "\\") || c == UInt8(ascii: "n") || (kind == .labelValue && c == UInt8(ascii: "\""))
    }

    /// Checks the escapes of `p[start..<end]` and that it is valid UTF-8.
    /// - Throws: A fault at the first bad escape or invalid byte.
    static func validate(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, kind: Kind, what: String
    ) throws(LineFault) {
        var i = start
        while i < end {
            let c = p[i]
            if c == UInt8(ascii: "\\") {
                guard i + 1 < end else { throw LineFault(i, "unfinished escape sequence at the end of \(what)") }
                guard isValid(p[i + 1], kind) else { throw badEscape(p, i, end, what: what) }
                i += 2
            } else if c >= 0x80 {
                let n = UTF8Check.sequenceLength(p, i, end)
                guard n > 0 else { throw LineFault(i, "\(what) is not valid UTF-8") }
                i += n
            } else {
                i += 1
            }
        }
    }

    /// The fault for the backslash at `p[i]`, showing the escape as written.
    static func badEscape(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int, what: String) -> LineFault {
        let next = p[i + 1]
        let shown: String
        if next >= 0x80 {
            let n = max(UTF8Check.sequenceLength(p, i + 1, end), 1)
            shown = String(decoding: UnsafeBufferPointer(start: p + i + 1, count: n), as: UTF8.self)
        } else {
            shown = ByteText.shown(next)
        }
        return LineFault(i, "invalid escape sequence \\\(shown) in \(what)")
    }

    /// Decodes already validated text.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        guard bytes.contains(UInt8(ascii: "\\")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\\"), i + 1 < bytes.count {
                let next = bytes[i + 1]
                out.append(next == UInt8(ascii: "n") ? 0x0A : next)
                i += 2
            } else {
                out.append(c)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
