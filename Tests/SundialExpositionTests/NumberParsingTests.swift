#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import SundialExposition
import Testing

/// Number parsing: Go `ParseFloat` syntax, results bit-identical to `strtod`.
@Suite struct NumberParsingTests {
    /// Parses with the parser's number reader.
    func read(_ text: String) -> DecimalFloat.Outcome {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return .invalid }
            return DecimalFloat.parse(base, 0, buffer.count)
        }
    }

    /// The C library's answer (the tests run in the C locale).
    func strtodValue(_ text: String) -> Double {
        text.withCString { strtod($0, nil) }
    }

    func bits(_ outcome: DecimalFloat.Outcome) -> UInt64? {
        if case .value(let v) = outcome { return v.bitPattern }
        return nil
    }

    @Test(arguments: [
        "0", "-0", "+0", "1", "-1", "17", "0.005", "1.048576e+06", "1e+06", "1.6777216e+07", "1234567", "0.038107612",
        "9007199254740992", "9007199254740993", "9007199254740991.5", "1e22", "1e23", "1e-22", "1e-23", "123456789e-30",
        "18446744073709551615", "18446744073709551616", "123456789012345678901234567890", "0.1", "0.3",
        "2.2250738585072011e-308", "2.2250738585072014e-308", "4.9e-324", "2.4703282292062328e-324",
        "2.4703282292062327e-324", "1e-400", "1.7976931348623157e308", "1.7976931348623158e308", "5.", ".5", "-.5e-1",
        "00000000000000000000000001.5", "0.00000000000000000000000000000000000001", "1E5", "1e+0", "1e-0",
        "3.14159265358979323846264338327950288419716939937510", "100000000000000000000000", "7e22", "9007199254740993e-5",
        "-0.0e5", "0e999999999",
    ])
    func decimalsMatchStrtodBitForBit(_ text: String) {
        let expected = strtodValue(text)
        #expect(bits(read(text)) == expected.bitPattern, "\(text)")
    }

    @Test func finiteNumbersTooLargeAreOutOfRange() {
        for text in ["1e309", "-1e400", "1.7976931348623159e308", "1e99999999999"] {
            guard case .outOfRange = read(text) else {
                Issue.record("\(text) should be out of range")
                continue
            }
        }
    }

    @Test(arguments: [
        ("Inf", Double.infinity), ("+Inf", .infinity), ("-Inf", -.infinity), ("inf", .infinity), ("INF", .infinity),
        ("infinity", .infinity), ("-Infinity", -.infinity), ("+iNfInItY", .infinity),
    ])
    func infinitiesInEveryCase(_ text: String, _ expected: Double) {
        #expect(bits(read(text)) == expected.bitPattern)
    }

    @Test func nanIsUnsignedAndCaseInsensitive() {
        for text in ["NaN", "nan", "NAN", "nAn"] {
            guard case .value(let v) = read(text) else {
                Issue.record("\(text) should be NaN")
                continue
            }
            #expect(v.isNaN)
        }
    }

    @Test(arguments: [
        "", "+", "-", ".", "e1", ".e1", "1e", "1e+", "1e-", "1.e", "1.2.3", "--1", "+-1", "0x10", "0x1p3", "1p3", "1_000",
        "+nan", "-nan", "nan1", "infin", "infinityy", "in", "i", " 1", "1 ", "1,5", "1e5.5", "١", "0b1", "1f", "nan(1)",
    ])
    func textsParseFloatRejectsAreInvalid(_ text: String) {
        guard case .invalid = read(text) else {
            Issue.record("\(text) should be invalid")
            return
        }
    }

    @Test func randomDecimalsMatchStrtod() {
        let seed = UInt64.random(in: 0...UInt64.max)
        var rng = SeededGenerator(seed: seed)
        var failures = 0
        for _ in 0..<50_000 {
            var text = ""
            if Bool.random(using: &rng) { text += Bool.random(using: &rng) ? "-" : "+" }
            let digits = Int.random(in: 1...25, using: &rng)
            let point = Int.random(in: -1...digits, using: &rng)
            for k in 0..<digits {
                if k == point { text += "." }
                text += String(Int.random(in: 0...9, using: &rng))
            }
            if Bool.random(using: &rng) {
                text += Bool.random(using: &rng) ? "e" : "E"
                let exponent = Int.random(in: -30...30, using: &rng) * (Bool.random(using: &rng) ? 1 : 11)
                text += exponent >= 0 && Bool.random(using: &rng) ? "+\(exponent)" : "\(exponent)"
            }
            let expected = strtodValue(text)
            let outcome = read(text)
            let ok: Bool
            if expected.isInfinite {
                if case .outOfRange = outcome { ok = true } else { ok = false }
            } else {
                ok = bits(outcome) == expected.bitPattern
            }
            if !ok {
                failures += 1
                Issue.record("seed \(seed): \(text) gave \(outcome), strtod \(expected)")
                if failures > 5 { break }
            }
        }
    }

    @Test func everyFiniteDoubleRoundTripsThroughItsShortestText() {
        let seed = UInt64.random(in: 0...UInt64.max)
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<50_000 {
            let value = Double(bitPattern: rng.next())
            guard value.isFinite else { continue }
            let text = "\(value)"
            #expect(bits(read(text)) == value.bitPattern, "seed \(seed): \(text)")
        }
    }
}
