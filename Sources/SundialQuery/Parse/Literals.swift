/// Number, duration and string literals with the rules Prometheus 2.42 applies to them.
enum Literals {
    // MARK: Numbers

    /// Parses a number token as Prometheus does: first as an integer with Go's base prefixes
    /// (`0x1f`, a leading `0` for octal), then as a float (`1.5e3`, `Inf`, `NaN`).
    /// - Returns: nil when the text is not a number (or overflows a float).
    static func number(_ text: String) -> Double? {
        if let integer = goParseInt(text) { return Double(integer) }
        let lower = text.lowercased()
        switch lower {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        guard !lower.hasPrefix("0x"), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Go's `strconv.ParseInt(text, 0, 64)`: nil on syntax error or overflow.
    private static func goParseInt(_ text: String) -> Int64? {
        var digits = Substring(text)
        var base: Int64 = 10
        let lower = text.lowercased()
        if lower.hasPrefix("0x") {
            base = 16
            digits = digits.dropFirst(2)
        } else if lower.hasPrefix("0o") {
            base = 8
            digits = digits.dropFirst(2)
        } else if lower.hasPrefix("0b") {
            base = 2
            digits = digits.dropFirst(2)
        } else if text.count > 1 && text.hasPrefix("0") {
            base = 8
            digits = digits.dropFirst(1)
        }
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in digits.utf8 {
            let d = Int64(hexValue(byte))
            guard d < base else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (s, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            value = s
        }
        return value
    }

    // MARK: Durations

    private static let units: [(suffix: String, ms: Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000),
        ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// Parses a duration such as `5m`, `1h30m` or `250ms` (units y w d h m s ms, each at most once,
    /// largest first), as Prometheus' `model.ParseDuration`.
    /// - Returns: the milliseconds, or an error message.
    static func duration(_ text: String) -> Result<Int64, DurationError> {
        if text == "0" { return .success(0) }
        let bytes = Array(text.utf8)
        var index = 0
        var nextUnit = 0
        var total: Int64 = 0
        guard !bytes.isEmpty else { return .failure(DurationError("not a valid duration string: \(goQuote(text))")) }
        while index < bytes.count {
            var number: Int64 = 0
            let digitsStart = index
            while index < bytes.count, isDigit(bytes[index]) {
                let (m, o1) = number.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
                if o1 || o2 { return .failure(DurationError("duration out of range")) }
                number = s
                index += 1
            }
            guard index > digitsStart, index < bytes.count else {
                return .failure(DurationError("not a valid duration string: \(goQuote(text))"))
            }
            var unitText = String(UnicodeScalar(bytes[index]))
            index += 1
            if unitText == "m", index < bytes.count, bytes[index] == UInt8(ascii: "s") {
                unitText = "ms"
                index += 1
            }
            guard let unit = units.indices.first(where: { units[$0].suffix == unitText }), unit >= nextUnit else {
                return .failure(DurationError("not a valid duration string: \(goQuote(text))"))
            }
            nextUnit = unit + 1
            let (m, o1) = number.multipliedReportingOverflow(by: units[unit].ms)
            let (s, o2) = total.addingReportingOverflow(m)
            if o1 || o2 { return .failure(DurationError("duration out of range")) }
            total = s
        }
        return .success(total)
    }

    /// Why a duration did not parse.
    struct DurationError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// Formats milliseconds as Prometheus prints a duration: `5m`, `1h30m`, `1w`, `0s`.
    static func formatDuration(_ ms: Int64) -> String {
        if ms == 0 { return "0s" }
        var rest = ms.magnitude
        var out = ms < 0 ? "-" : ""
        for unit in units {
            let size = UInt64(unit.ms)
            if rest >= size {
                out += "\(rest / size)\(unit.suffix)"
                rest %= size
            }
        }
        return out
    }

    // MARK: Strings

    /// The value of a string token (with its quotes): escapes resolved for `"…"` and `'…'`, raw for
    /// backquotes. The lexer has already validated the escapes.
    static func unquote(_ token: String) -> String {
        var bytes = Array(token.utf8)
        guard let quote = bytes.first, bytes.count >= 2 else { return token }
        bytes = Array(bytes[1..<(bytes.count - 1)])
        if quote == UInt8(ascii: "`") { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func appendScalar(_ value: UInt32) {
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        func number(_ count: Int, _ base: UInt32) -> UInt32 {
            var v: UInt32 = 0
            for _ in 0..<count where i < bytes.count {
                v = v &* base &+ min(hexValue(bytes[i]), base - 1)
                i += 1
            }
            return v
        }
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            guard b == UInt8(ascii: "\\"), i < bytes.count else {
                out.append(b)
                continue
            }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "a"): out.append(7)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "v"): out.append(11)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                i -= 1
                out.append(UInt8(truncatingIfNeeded: number(3, 8)))
            case UInt8(ascii: "x"): out.append(UInt8(truncatingIfNeeded: number(2, 16)))
            case UInt8(ascii: "u"): appendScalar(number(4, 16))
            case UInt8(ascii: "U"): appendScalar(number(8, 16))
            default: out.append(e)  // \\, \" or \'
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Quotes a string for printing PromQL: double quotes with Go-style escapes.
    static func quote(_ value: String) -> String { goQuote(value) }
}
