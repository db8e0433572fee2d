import Testing
@testable import SundialGenerator

/// `GoFloatFormat` against the exact text of Go's `strconv.FormatFloat(v, 'g', -1, 64)`.
@Suite struct GoFloatFormatTests {
    /// Expected strings follow Go's `formatDigits` ('g', shortest: %e when exp < -4 || exp >= 6).
    static let table: [(Double, String)] = [
        (0, "0"), (-0.0, "-0"), (1, "1"), (-1, "-1"), (100, "100"),
        (100_000, "100000"), (123_456, "123456"), (999_999, "999999"),
        (1_000_000, "1e+06"), (1_234_567, "1.234567e+06"), (15_000_000, "1.5e+07"),
        (1_048_576, "1.048576e+06"), (16_777_216, "1.6777216e+07"), (152_342_016, "1.52342016e+08"),
        (123_456_789_012, "1.23456789012e+11"), (1e15, "1e+15"), (9_007_199_254_740_992, "9.007199254740992e+15"),
        (18_446_744_073_709_551_616, "1.8446744073709552e+19"), (1e21, "1e+21"), (1e100, "1e+100"),
        (0.1, "0.1"), (0.001, "0.001"), (0.005, "0.005"), (0.0001, "0.0001"), (0.00012, "0.00012"),
        (0.000123456, "0.000123456"), (0.00001, "1e-05"), (0.000015, "1.5e-05"), (0.000025, "2.5e-05"),
        (1e-100, "1e-100"), (Double.leastNonzeroMagnitude, "5e-324"), (-0.5, "-0.5"), (13.771, "13.771"),
        (0.1 + 0.2, "0.30000000000000004"), (100.0 / 3.0, "33.333333333333336"),
        (123_456.789, "123456.789"), (1_234_567.5, "1.2345675e+06"), (999_999.5, "999999.5"),
        (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"),
        (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN"),
    ]

    @Test func matchesGoStrconvForTheReferenceTable() {
        for (value, expected) in Self.table {
            #expect(GoFloatFormat.string(value) == expected, "value \(value)")
        }
    }

    @Test func outputParsesBackToTheSameDouble() {
        var rng = SplitMix64(seed: 0x5EED_F10A7)
        for _ in 0..<20_000 {
            let value = Double(bitPattern: rng.next())
            guard value.isFinite else { continue }
            let text = GoFloatFormat.string(value)
            #expect(Double(text) == value, "bits \(value.bitPattern) printed as \(text)")
        }
    }

    @Test func integerFastPathAgreesWithTheGeneralPath() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<5_000 {
            let n = rng.next() >> (11 + rng.nextInt(below: 50))
            var fast: [UInt8] = []
            GoFloatFormat.appendInteger(n, to: &fast)
            var digits = DecimalDigits()
            digits.parse(Double(n).description)
            var general: [UInt8] = []
            GoFloatFormat.layout(digits, to: &general)
            #expect(fast == general, "n = \(n)")
        }
    }

    @Test func largeIntegersUseTheirExactDigits() {
        var out: [UInt8] = []
        GoFloatFormat.appendInteger(UInt64.max, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "1.8446744073709551615e+19")
    }
}
