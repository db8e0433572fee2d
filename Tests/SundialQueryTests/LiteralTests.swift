import Testing
@testable import SundialQuery

@Suite struct LiteralTests {
    @Test(arguments: [
        (1.0, "1"), (0.1, "0.1"), (-2.5, "-2.5"), (1e21, "1000000000000000000000"), (1e-7, "0.0000001"),
        (123456.789, "123456.789"), (0.0, "0"), (-0.0, "-0"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
        (Double.nan, "NaN"), (5e-324, "0." + String(repeating: "0", count: 323) + "5"), (1.7976931348623157e308, "17976931348623157" + String(repeating: "0", count: 292)),
    ])
    func floatsFormatLikeGosFormatFloatF(_ value: Double, _ text: String) {
        #expect(GoFloat.format(value) == text)
    }

    /// The byte-level formatter against the straightforward string version it replaced, and against
    /// round-tripping, on random bit patterns and on values near powers of ten.
    @Test func formatAgreesWithTheStringReferenceOnRandomValues() {
        var rng = SeededRandom(seed: 77)
        var values: [Double] = [0.04424000000000002, 1e15, 1e16, 1e-5, 123e-20, 9.999999999999999e22]
        for _ in 0..<20_000 { values.append(Double(bitPattern: rng.next())) }
        for e in -30...30 { values.append(1.5 * Double(sign: .plus, exponent: 0, significand: 1) * pow10(e)) }
        for value in values where value.isFinite {
            let text = GoFloat.format(value)
            #expect(text == Self.referenceFormat(value), "\(value)")
            #expect(!text.contains("e") && Double(text) == value, "\(value) → \(text)")
        }
    }

    private func pow10(_ e: Int) -> Double { (0..<abs(e)).reduce(1.0) { r, _ in e < 0 ? r / 10 : r * 10 } }

    /// The previous implementation, kept as the oracle: Character-level edits of `description`.
    private static func referenceFormat(_ value: Double) -> String {
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

    @Test func goMaxAndMinSpecialCases() {
        #expect(GoFloat.max(.nan, .infinity) == .infinity)
        #expect(GoFloat.max(.nan, 1).isNaN)
        #expect(GoFloat.min(.nan, -.infinity) == -.infinity)
        #expect(GoFloat.min(1, .nan).isNaN)
        #expect(GoFloat.max(-0.0, 0.0).sign == .plus)
        #expect(GoFloat.min(0.0, -0.0).sign == .minus)
    }

    @Test func labelValuesParseAsGoFloats() {
        #expect(GoFloat.parse("+Inf") == .infinity)
        #expect(GoFloat.parse("inf") == .infinity)
        #expect(GoFloat.parse("1.0") == 1)
        #expect(GoFloat.parse("1e-3") == 0.001)
        #expect(GoFloat.parse("1.048576e+06") == 1_048_576)
        #expect(GoFloat.parse("") == nil)
        #expect(GoFloat.parse("1s") == nil)
        #expect(GoFloat.parse(" 1") == nil)
    }

    @Test func durationsParseAndPrint() throws {
        for (text, ms) in [("5m", Int64(300_000)), ("1h30m", 5_400_000), ("250ms", 250), ("1w", 604_800_000), ("2y", 63_072_000_000)] {
            #expect(try Literals.duration(text).get() == ms)
        }
        #expect(Literals.formatDuration(5_400_000) == "1h30m")
        #expect(Literals.formatDuration(604_800_000) == "1w")
        #expect(Literals.formatDuration(90_061_001) == "1d1h1m1s1ms")
        #expect(Literals.formatDuration(-60_000) == "-1m")
        #expect(Literals.formatDuration(0) == "0s")
        for bad in ["5", "m", "5m1h", "1h1h", "5x", "1ms2s", "99999999999999999999s"] {
            #expect((try? Literals.duration(bad).get()) == nil, "\(bad)")
        }
    }

    @Test func numbersFollowGosParseIntThenParseFloat() {
        #expect(Literals.number("0x10") == 16)
        #expect(Literals.number("0755") == 493)
        #expect(Literals.number("09") == 9)  // not octal: falls back to the float parser
        #expect(Literals.number("1e3") == 1000)
        #expect(Literals.number("NaN")?.isNaN == true)
        #expect(Literals.number("1e400") == nil)
        #expect(Literals.number("1e") == nil)
    }

    @Test func stringEscapes() {
        #expect(Literals.unquote(#""a\tb\\c\"d""#) == "a\tb\\c\"d")
        #expect(Literals.unquote(#"'\x41\u00e9\U0001F600'"#) == "Aé😀")
        #expect(Literals.unquote("`a\\nb`") == "a\\nb")
        #expect(Literals.quote("a\"b\n") == #""a\"b\n""#)
    }
}
