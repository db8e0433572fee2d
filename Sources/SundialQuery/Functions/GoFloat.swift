#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Float behaviour of Go's standard library that PromQL results depend on, reproduced exactly.
enum GoFloat {
    /// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits that round-trip, written
    /// without an exponent (`1e+20` → `100000000000000000000`, `1.0` → `1`), `+Inf`, `-Inf`, `NaN`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        var text = "\(value)"
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = parts.first.map(String.init) ?? ""
        let fractionPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = Array(integerPart + fractionPart)
        var point = integerPart.count + exponent
        while digits.count > 1, digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        var out = negative ? "-" : ""
        if point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + String(digits)
        } else if point >= digits.count {
            out += String(digits) + String(repeating: "0", count: point - digits.count)
        } else {
            out += String(digits[..<point]) + "." + String(digits[point...])
        }
        return out
    }

    /// A float as Go's `%v` prints it in messages, near enough: `NaN`, `+Inf`, `5`, `1e+19`.
    static func goValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        let text = "\(value)"
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// Go's `strconv.ParseFloat(text, 64)` as far as label values need it: decimal and hex
    /// floats, `Inf`/`+Inf`/`-Inf`/`Infinity`/`NaN` in any case; nil for anything else, including
    /// values out of range (Go reports those as errors).
    static func parse(_ text: String) -> Double? {
        switch text.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        guard let first = text.utf8.first, first != UInt8(ascii: " "), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Go's `%f`: six decimals (falls back to ``format(_:)`` beyond 1e15).
    static func fixed6(_ value: Double) -> String {
        guard value.isFinite, Swift.abs(value) < 1e15 else { return format(value) }
        let micros = Int64((Swift.abs(value) * 1e6).rounded())
        let fraction = String(micros % 1_000_000).leftPadded(to: 6)
        return (value < 0 ? "-" : "") + "\(micros / 1_000_000).\(fraction)"
    }

    /// Go's `math.Max`: +Inf wins over NaN, NaN over everything else, +0 over -0.
    @inline(__always) static func max(_ x: Double, _ y: Double) -> Double {
        if x == .infinity || y == .infinity { return .infinity }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 && y == 0 { return x.sign == .minus ? y : x }
        return x > y ? x : y
    }

    /// Go's `math.Min`: -Inf wins over NaN, NaN over everything else, -0 over +0.
    @inline(__always) static func min(_ x: Double, _ y: Double) -> Double {
        if x == -.infinity || y == -.infinity { return -.infinity }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 && y == 0 { return x.sign == .minus ? x : y }
        return x < y ? x : y
    }

    /// Go's `math.Mod` (C's `fmod`): the result has the sign of `x`.
    @inline(__always) static func mod(_ x: Double, _ y: Double) -> Double { fmod(x, y) }

    /// Go's `math.Pow`, which agrees with C's `pow` on every special case PromQL can reach.
    @inline(__always) static func pow(_ x: Double, _ y: Double) -> Double { cPow(x, y) }

    /// Go's `math.Round`: half away from zero.
    @inline(__always) static func round(_ x: Double) -> Double { x.rounded(.toNearestOrAwayFromZero) }
}

@inline(__always) private func cPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }

/// Neumaier-compensated summation, one increment at a time (Prometheus' `kahanSumInc`).
@inline(__always) func kahanSumInc(_ increment: Double, _ sum: Double, _ compensation: Double) -> (sum: Double, compensation: Double) {
    let t = sum + increment
    var c = compensation
    if Swift.abs(sum) >= Swift.abs(increment) {
        c += (sum - t) + increment
    } else {
        c += (increment - t) + sum
    }
    return (t, c)
}
