#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses the number syntax Prometheus accepts for values: Go's `strconv.ParseFloat` without hex floats and `_`.
///
/// Grammar: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, or `[+-]? (inf | infinity)`, or `nan`,
/// the words case-insensitive. Results are correctly rounded, so bit-identical to `strtod` and Go's `ParseFloat`:
/// a mantissa of at most 19 digits below 2^53 with a power of ten of at most 22 is converted exactly
/// (Clinger's fast path); everything else goes to `strtod` in the C locale.
enum DecimalFloat {
    /// The outcome of parsing one number token.
    enum Outcome {
        /// A number (NaN is `Double.nan`).
        case value(Double)
        /// Not in the grammar.
        case invalid
        /// A finite decimal whose magnitude rounds beyond `Double.greatestFiniteMagnitude`.
        case outOfRange
    }

    /// Exact powers of ten, 1e0...1e22.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses `p[start..<end]`.
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Outcome {
        var i = start
        guard i < end else { return .invalid }
        var negative = false
        var c = p[i]
        if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
            negative = c == UInt8(ascii: "-")
            i += 1
            guard i < end else { return .invalid }
            c = p[i]
        }
        guard ByteClass.isDigit(c) || c == UInt8(ascii: ".") else {
            return special(p, start, i, end)
        }

        var mantissa: UInt64 = 0
        var digitsTaken = 0
        var exponent = 0
        var truncated = false
        var sawDigits = false
        while i < end, ByteClass.isDigit(p[i]) {
            let d = UInt64(p[i] &- 0x30)
            sawDigits = true
            if mantissa != 0 || d != 0 {
                if digitsTaken < 19 {
                    mantissa = mantissa &* 10 &+ d
                    digitsTaken += 1
                } else {
                    truncated = truncated || d != 0
                    exponent += 1
                }
            }
            i += 1
        }
        if i < end, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, ByteClass.isDigit(p[i]) {
                let d = UInt64(p[i] &- 0x30)
                sawDigits = true
                if mantissa != 0 || d != 0 {
                    if digitsTaken < 19 {
                        mantissa = mantissa &* 10 &+ d
                        digitsTaken += 1
                        exponent -= 1
                    } else {
                        truncated = truncated || d != 0
                    }
                } else {
                    exponent -= 1
                }
                i += 1
            }
        }
        guard sawDigits else { return .invalid }
        if i < end, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            guard i < end else { return .invalid }
            var exponentNegative = false
            if p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") {
                exponentNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < end, ByteClass.isDigit(p[i]) else { return .invalid }
            var e = 0
            while i < end, ByteClass.isDigit(p[i]) {
                if e < 100_000 { e = e * 10 + Int(p[i] &- 0x30) }
                i += 1
            }
            exponent += exponentNegative ? -e : e
        }
        guard i == end else { return .invalid }

        if mantissa == 0 { return .value(negative ? -0.0 : 0.0) }
        if !truncated && mantissa <= 1 << 53 {
            let m = Double(mantissa)
            if exponent >= 0 && exponent <= 22 {
                let r = m * powersOfTen[exponent]
                return .value(negative ? -r : r)
            }
            if exponent < 0 && exponent >= -22 {
                let r = m / powersOfTen[-exponent]
                return .value(negative ? -r : r)
            }
        }
        return slowPath(p, start, end)
    }

    /// `inf`, `infinity` (optionally signed) and unsigned `nan`, case-insensitive, as Go's `special`.
    private static func special(_ p: UnsafePointer<UInt8>, _ start: Int, _ wordStart: Int, _ end: Int) -> Outcome {
        let n = end - wordStart
        @inline(__always) func lower(_ k: Int) -> UInt8 { p[wordStart + k] | 0x20 }
        func matches(_ word: StaticString) -> Bool {
            guard n == word.utf8CodeUnitCount else { return false }
            for k in 0..<n where lower(k) != word.utf8Start[k] { return false }
            return true
        }
        if matches("inf") || matches("infinity") {
            return .value(p[start] == UInt8(ascii: "-") ? -Double.infinity : Double.infinity)
        }
        if wordStart == start && matches("nan") { return .value(Double.nan) }
        return .invalid
    }

    /// `strtod` on a NUL-terminated copy, in the C locale so that the decimal point is always `.`.
    @inline(never)
    private static func slowPath(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Outcome {
        let count = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer -> Outcome in
            guard let text = buffer.baseAddress else { return .invalid }
            UnsafeMutableRawPointer(text).copyMemory(from: p + start, byteCount: count)
            text[count] = 0
            let previous = uselocale(CLocale.numeric)
            var stop: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(text, &stop)
            uselocale(previous)
            guard let stop, stop - text == count else { return .invalid }
            return value.isInfinite ? .outOfRange : .value(value)
        }
    }
}

/// The "C" locale, created once, for `strtod`.
enum CLocale {
    nonisolated(unsafe) static let numeric: locale_t? = newlocale(LC_NUMERIC_MASK, "C", nil)
}
