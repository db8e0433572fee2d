/// `exp`, `log`, `sin` and the normal CDF written with `+ - * /` and exact power-of-two scaling only, so that
/// every platform computes the same bits.
///
/// The C library's transcendental functions may differ in the last place between glibc, Darwin and musl;
/// the corpus draws latencies, rates and bucket shares through these instead, which keeps its text
/// byte-identical across platforms for a given seed. Accuracy is a few ulps, far more than synthetic data needs.
public enum DeterministicMath {
    private static let ln2Hi = 6.93147180369123816490e-01
    private static let ln2Lo = 1.90821492927058770002e-10
    private static let ln2 = 0.693147180559945309417232121458

    /// e raised to `x`.
    /// - Parameter x: the exponent.
    /// - Returns: `e^x`; `0` below -745, `+infinity` above 709.78, NaN for NaN.
    public static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.782712893384 { return .infinity }
        if x < -745.2 { return 0 }
        // x = k ln2 + r, |r| <= ln2 / 2.
        let k = (x / ln2).rounded(.toNearestOrEven)
        let r = (x - k * ln2Hi) - k * ln2Lo
        // Taylor series to r^14 / 14!: relative error below 1e-17 on |r| <= 0.35.
        var p = 1.0 / 87_178_291_200.0
        p = p * r + 1.0 / 6_227_020_800.0
        p = p * r + 1.0 / 479_001_600.0
        p = p * r + 1.0 / 39_916_800.0
        p = p * r + 1.0 / 3_628_800.0
        p = p * r + 1.0 / 362_880.0
        p = p * r + 1.0 / 40_320.0
        p = p * r + 1.0 / 5_040.0
        p = p * r + 1.0 / 720.0
        p = p * r + 1.0 / 120.0
        p = p * r + 1.0 / 24.0
        p = p * r + 1.0 / 6.0
        p = p * r + 0.5
        p = p * r + 1.0
        p = p * r + 1.0
        return scale(p, byPowerOfTwo: Int(k))
    }

    /// The natural logarithm of `x`.
    /// - Parameter x: the argument.
    /// - Returns: `ln x`; `-infinity` for 0, NaN for negative numbers and NaN, `+infinity` for `+infinity`.
    public static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return x }
        // x = m 2^e with m in [1, 2); fold m into [sqrt(1/2), sqrt(2)).
        var e = Int(x.exponent)
        var m = x.significand
        if m > 1.4142135623730951 {
            m *= 0.5
            e += 1
        }
        // ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716; series to s^23.
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var p = 1.0 / 23.0
        p = p * s2 + 1.0 / 21.0
        p = p * s2 + 1.0 / 19.0
        p = p * s2 + 1.0 / 17.0
        p = p * s2 + 1.0 / 15.0
        p = p * s2 + 1.0 / 13.0
        p = p * s2 + 1.0 / 11.0
        p = p * s2 + 1.0 / 9.0
        p = p * s2 + 1.0 / 7.0
        p = p * s2 + 1.0 / 5.0
        p = p * s2 + 1.0 / 3.0
        p = p * s2 + 1.0
        let lnM = 2 * s * p
        return Double(e) * ln2Hi + (Double(e) * ln2Lo + lnM)
    }

    /// The sine of `x` radians.
    /// - Parameter x: an angle in radians; accurate for |x| up to about 1e9.
    /// - Returns: `sin x`, NaN for infinities and NaN.
    public static func sin(_ x: Double) -> Double {
        if !x.isFinite { return .nan }
        let twoPiHi = 6.28318530717958623200e+00
        let twoPiLo = 2.44929359829470635445e-16
        let turns = (x / twoPiHi).rounded(.toNearestOrEven)
        var r = (x - turns * twoPiHi) - turns * twoPiLo  // in [-pi, pi]
        let halfPi = 1.57079632679489661923
        let pi = 3.14159265358979323846
        if r > halfPi { r = pi - r } else if r < -halfPi { r = -pi - r }
        // Taylor series to r^23 / 23!: error below 1e-17 on |r| <= pi / 2.
        let r2 = r * r
        var p = -1.0 / 25_852_016_738_884_976_640_000.0
        p = p * r2 + 1.0 / 51_090_942_171_709_440_000.0
        p = p * r2 - 1.0 / 121_645_100_408_832_000.0
        p = p * r2 + 1.0 / 355_687_428_096_000.0
        p = p * r2 - 1.0 / 1_307_674_368_000.0
        p = p * r2 + 1.0 / 6_227_020_800.0
        p = p * r2 - 1.0 / 39_916_800.0
        p = p * r2 + 1.0 / 362_880.0
        p = p * r2 - 1.0 / 5_040.0
        p = p * r2 + 1.0 / 120.0
        p = p * r2 - 1.0 / 6.0
        p = p * r2 + 1.0
        return r * p
    }

    /// The standard normal cumulative distribution function Φ(x) (W. J. Cody's and Hart's double precision
    /// rational approximation as given by G. West, "Better approximations to cumulative normal functions", 2005).
    /// - Parameter x: the argument.
    /// - Returns: P(Z ≤ x) for a standard normal Z, to about 1e-14 absolute.
    public static func normalCDF(_ x: Double) -> Double {
        if x.isNaN { return x }
        let a = x.magnitude
        var tail: Double
        if a > 37 {
            tail = 0
        } else {
            let e = exp(-a * a / 2)
            if a < 7.07106781186547 {
                var n = 3.52624965998911e-02 * a + 0.700383064443688
                n = n * a + 6.37396220353165
                n = n * a + 33.912866078383
                n = n * a + 112.079291497871
                n = n * a + 221.213596169931
                n = n * a + 220.206867912376
                var d = 8.83883476483184e-02 * a + 1.75566716318264
                d = d * a + 16.064177579207
                d = d * a + 86.7807322029461
                d = d * a + 296.564248779674
                d = d * a + 637.333633378831
                d = d * a + 793.826512519948
                d = d * a + 440.413735824752
                tail = e * n / d
            } else {
                var b = a + 0.65
                b = a + 4 / b
                b = a + 3 / b
                b = a + 2 / b
                b = a + 1 / b
                tail = e / b / 2.506628274631
            }
        }
        return x > 0 ? 1 - tail : tail
    }

    /// Multiplies `value` by 2^`power` exactly (up to overflow and gradual underflow).
    static func scale(_ value: Double, byPowerOfTwo power: Int) -> Double {
        var v = value
        var k = power
        // Step in chunks that stay within the normal exponent range.
        while k > 1000 {
            v *= Double(sign: .plus, exponent: 1000, significand: 1)
            k -= 1000
        }
        while k < -1000 {
            v *= Double(sign: .plus, exponent: -1000, significand: 1)
            k += 1000
        }
        return v * Double(sign: .plus, exponent: k, significand: 1)
    }
}
