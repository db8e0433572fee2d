/// Formats numbers exactly as Go's `strconv.FormatFloat(v, 'g', -1, 64)`, which is what the Prometheus Go
/// client (and so the Temporal server) writes for every sample value and `le` bound.
///
/// The rule, from Go's `strconv/ftoa.go` (`formatDigits`, case `'g'` with shortest precision):
/// take the shortest decimal digits d₁…dₙ that parse back to the same float, with decimal exponent
/// `x = dp - 1` (the value is 0.d₁…dₙ × 10^dp). If `x < -4 || x >= 6` (for shortest output Go fixes the
/// "precision" used in this test at 6, whatever n is) print `%e` form: `d₁.d₂…dₙe±XX`, at least two exponent
/// digits; otherwise print plain `%f` form with exactly the digits needed. Infinities are `+Inf` and `-Inf`,
/// NaN is `NaN`, negative zero is `-0`.
///
/// | value | text |
/// |---|---|
/// | 123456 | `123456` |
/// | 1234567 | `1.234567e+06` |
/// | 1000000 | `1e+06` |
/// | 0.0001 | `0.0001` |
/// | 0.00001 | `1e-05` |
/// | 15000000 | `1.5e+07` |
///
/// ```swift
/// var line: [UInt8] = []
/// GoFloatFormat.append(1_234_567, to: &line)   // "1.234567e+06"
/// GoFloatFormat.string(0.005)                  // "0.005"
/// ```
public enum GoFloatFormat {
    /// Returns `value` formatted as Go's `strconv.FormatFloat(value, 'g', -1, 64)`.
    /// - Parameter value: any double.
    /// - Returns: the text.
    public static func string(_ value: Double) -> String {
        var bytes: [UInt8] = []
        append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` formatted as Go's `strconv.FormatFloat(value, 'g', -1, 64)` to `out`.
    ///
    /// Whole numbers below 2⁵³ take an integer fast path with no allocation; other values get their shortest
    /// round-trip digits from Swift's `description` (shortest and closest, as Go's Ryū) and are laid out by
    /// Go's rule.
    /// - Parameters:
    ///   - value: any double.
    ///   - out: the buffer to append to.
    public static func append(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN {
            out.append(contentsOf: [0x4E, 0x61, 0x4E])  // NaN
            return
        }
        if value.isInfinite {
            out.append(value < 0 ? 0x2D : 0x2B)
            out.append(contentsOf: [0x49, 0x6E, 0x66])  // Inf
            return
        }
        let magnitude = value.magnitude
        if magnitude < 0x1p53 && magnitude == magnitude.rounded(.towardZero) {
            appendInteger(UInt64(magnitude), negative: value.sign == .minus, to: &out)
            return
        }
        var digits = DecimalDigits()
        digits.parse(magnitude.description)
        if value.sign == .minus { out.append(0x2D) }
        layout(digits, to: &out)
    }

    /// Appends the whole number `magnitude` (with a minus sign if `negative`) in Go's shortest `'g'` form:
    /// plain digits below 10⁶, exponent form (trailing zeros dropped) from 10⁶ on.
    ///
    /// Exact for every integer a double holds exactly (below 2⁵³), since then the integer's own digits are
    /// the shortest that round-trip.
    /// - Parameters:
    ///   - magnitude: the absolute value; `0` prints `0`.
    ///   - negative: whether to print a leading `-` (Go prints `-0` for negative zero).
    ///   - out: the buffer to append to.
    public static func appendInteger(_ magnitude: UInt64, negative: Bool = false, to out: inout [UInt8]) {
        if negative { out.append(0x2D) }
        if magnitude < 1_000_000 {
            appendDecimal(magnitude, to: &out)
            return
        }
        // Split into digits (at most 20, in a 24-byte scratch), most significant first, then drop trailing zeros.
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        var n = magnitude
        withUnsafeMutableBytes(of: &scratch) { raw in
            while n > 0 {
                raw[23 - count] = UInt8(truncatingIfNeeded: n % 10)
                n /= 10
                count += 1
            }
            let first = 24 - count
            var last = 23
            while last > first && raw[last] == 0 { last -= 1 }
            out.append(0x30 + raw[first])
            if last > first {
                out.append(0x2E)
                for i in (first + 1)...last { out.append(0x30 + raw[i]) }
            }
        }
        appendExponent(count - 1, to: &out)
    }

    /// Appends the decimal digits of `value` with no formatting.
    static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(0x30 + UInt8(truncatingIfNeeded: value))
            return
        }
        var divisor: UInt64 = 10
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(0x30 + UInt8(truncatingIfNeeded: rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Appends `e+XX` / `e-XX` with at least two exponent digits, as Go's `fmtE`.
    static func appendExponent(_ exponent: Int, to out: inout [UInt8]) {
        out.append(0x65)
        out.append(exponent < 0 ? 0x2D : 0x2B)
        let e = exponent.magnitude
        if e < 10 { out.append(0x30) }
        appendDecimal(UInt64(e), to: &out)
    }

    /// Lays out shortest digits by Go's `'g'` rule (see the type's documentation).
    static func layout(_ d: DecimalDigits, to out: inout [UInt8]) {
        if d.count == 0 {
            out.append(0x30)
            return
        }
        let exponent = d.pointPosition - 1
        if exponent < -4 || exponent >= 6 {
            out.append(0x30 + d.digits[0])
            if d.count > 1 {
                out.append(0x2E)
                for i in 1..<d.count { out.append(0x30 + d.digits[i]) }
            }
            appendExponent(exponent, to: &out)
            return
        }
        if d.pointPosition > 0 {
            for i in 0..<d.pointPosition { out.append(i < d.count ? 0x30 + d.digits[i] : 0x30) }
        } else {
            out.append(0x30)
        }
        let fraction = d.count - d.pointPosition
        if fraction > 0 {
            out.append(0x2E)
            for i in 0..<fraction {
                let j = d.pointPosition + i
                out.append(j >= 0 && j < d.count ? 0x30 + d.digits[j] : 0x30)
            }
        }
    }
}

/// Significant decimal digits and the position of the decimal point: the value is 0.d₁d₂…dₙ × 10^pointPosition.
struct DecimalDigits {
    /// Digit values 0…9, most significant first, no leading or trailing zeros.
    var digits: [UInt8] = []
    /// Where the decimal point falls relative to the first digit (Go's `dp`).
    var pointPosition = 0
    var count: Int { digits.count }

    /// Reads a non-negative finite number as Swift prints it (`123.45`, `1e-05`, `1.5e+20`, `5e-324`).
    mutating func parse(_ text: String) {
        digits.removeAll(keepingCapacity: true)
        var integerDigits = 0
        var seenPoint = false
        var exponent = 0
        var exponentSign = 1
        var inExponent = false
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39 where inExponent:
                exponent = exponent * 10 + Int(byte - 0x30)
            case 0x30...0x39:
                digits.append(byte - 0x30)
                if !seenPoint { integerDigits += 1 }
            case 0x2E:
                seenPoint = true
            case 0x65, 0x45:
                inExponent = true
            case 0x2D where inExponent:
                exponentSign = -1
            default:
                break
            }
        }
        pointPosition = integerDigits + exponentSign * exponent
        var leading = 0
        while leading < digits.count && digits[leading] == 0 { leading += 1 }
        if leading == digits.count {
            digits.removeAll(keepingCapacity: true)
            pointPosition = 0
            return
        }
        if leading > 0 {
            digits.removeFirst(leading)
            pointPosition -= leading
        }
        while let last = digits.last, last == 0 { digits.removeLast() }
    }
}
