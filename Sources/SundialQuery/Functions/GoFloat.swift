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
        var out = ""
        append(value, to: &out)
        return out
    }

    /// ``format(_:)`` appended to `out`, without intermediate strings: the shortest round-trip digits
    /// (Swift's `description`, the same digits as Go's shortest form) re-laid without an exponent.
    static func append(_ value: Double, to out: inout String) {
        if value.isNaN { return out += "NaN" }
        if value == .infinity { return out += "+Inf" }
        if value == -.infinity { return out += "-Inf" }
        if value == 0 { return out += value.sign == .minus ? "-0" : "0" }
        // At most 17 significant digits, a sign, a point and an exponent: 32 bytes hold the description.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
            var count = 0
            var integerDigits = -1
            var exponent = 0
            var negative = false
            var exponentNegative = false
            var inExponent = false
            var description = value.description
            description.withUTF8 { text in
                for byte in text {
                    switch byte {
                    case UInt8(ascii: "-"):
                        if inExponent { exponentNegative = true } else { negative = true }
                    case UInt8(ascii: "+"):
                        break
                    case UInt8(ascii: "."):
                        integerDigits = count
                    case UInt8(ascii: "e"), UInt8(ascii: "E"):
                        if integerDigits < 0 { integerDigits = count }
                        inExponent = true
                    default:
                        if inExponent {
                            exponent = exponent * 10 + Int(byte &- UInt8(ascii: "0"))
                        } else if count < digits.count {
                            digits[count] = byte
                            count += 1
                        }
                    }
                }
            }
            if integerDigits < 0 { integerDigits = count }
            var point = integerDigits + (exponentNegative ? -exponent : exponent)
            var first = 0
            while count - first > 1 && digits[first] == UInt8(ascii: "0") {
                first += 1
                point -= 1
            }
            while count - first > 1 && digits[count - 1] == UInt8(ascii: "0") { count -= 1 }
            let significant = count - first
            var text: [UInt8] = []
            text.reserveCapacity(significant + Swift.max(0, -point) + Swift.max(0, point - significant) + 3)
            if negative { text.append(UInt8(ascii: "-")) }
            if point <= 0 {
                text.append(UInt8(ascii: "0"))
                text.append(UInt8(ascii: "."))
                for _ in 0..<(-point) { text.append(UInt8(ascii: "0")) }
                for i in first..<count { text.append(digits[i]) }
            } else if point >= significant {
                for i in first..<count { text.append(digits[i]) }
                for _ in 0..<(point - significant) { text.append(UInt8(ascii: "0")) }
            } else {
                for i in first..<(first + point) { text.append(digits[i]) }
                text.append(UInt8(ascii: "."))
                for i in (first + point)..<count { text.append(digits[i]) }
            }
            out += String(decoding: text, as: UTF8.self)
        }
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
        // The everyday label value (`0.005`, `1e+06`) starts with a digit or a point: straight to the number.
        if let first = text.utf8.first, (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) || first == UInt8(ascii: ".") {
            guard let value = Double(text), value.isFinite else { return nil }
            return value
        }
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
