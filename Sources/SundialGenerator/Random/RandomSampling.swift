/// Samplers for the distributions the corpus draws from, on any ``DeterministicRandomSource``.
///
/// Each uses only ``DeterministicMath`` and IEEE-exact arithmetic (`sqrt` included), so a seed fixes every
/// draw on every platform. Large-parameter Poisson and binomial draws use the normal approximation, which is
/// plenty for synthetic traffic and keeps each draw O(1).
///
/// ```swift
/// var rng = SplitMix64(seed: 7)
/// let requests = rng.nextPoisson(mean: 150)          // about 150
/// let slow = rng.nextBinomial(trials: requests, probability: 0.01)
/// let latency = rng.nextLognormal(mu: -5, sigma: 0.6) // seconds, median e^-5 ≈ 6.7 ms
/// ```
extension DeterministicRandomSource {
    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in `0..<bound` (Lemire's nearly-divisionless method, unbiased).
    /// - Parameter bound: the exclusive upper bound; `0` gives `0`.
    /// - Returns: the integer.
    public mutating func nextInt(below bound: UInt64) -> UInt64 {
        if bound == 0 { return 0 }
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// A standard normal draw (Marsaglia's polar method).
    public mutating func nextNormal() -> Double {
        while true {
            let u = 2 * nextUnitDouble() - 1
            let v = 2 * nextUnitDouble() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                return u * (-2 * DeterministicMath.log(s) / s).squareRoot()
            }
        }
    }

    /// A normal draw with the given mean and standard deviation.
    /// - Parameters:
    ///   - mean: the mean.
    ///   - standardDeviation: the standard deviation (not negative).
    /// - Returns: the draw.
    public mutating func nextNormal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * nextNormal()
    }

    /// A lognormal draw: `exp(mu + sigma * Z)`; its median is `exp(mu)`.
    /// - Parameters:
    ///   - mu: the mean of the logarithm.
    ///   - sigma: the standard deviation of the logarithm.
    /// - Returns: the draw, positive.
    public mutating func nextLognormal(mu: Double, sigma: Double) -> Double {
        DeterministicMath.exp(mu + sigma * nextNormal())
    }

    /// A Poisson draw: exact inversion below a mean of 30, normal approximation with continuity
    /// correction above.
    /// - Parameter mean: the mean λ (non-positive and NaN give 0).
    /// - Returns: the count.
    public mutating func nextPoisson(mean: Double) -> UInt64 {
        guard mean > 0 else { return 0 }
        if mean < 30 {
            // Inversion by sequential search from 0.
            let u = nextUnitDouble()
            var p = DeterministicMath.exp(-mean)
            var cumulative = p
            var k: UInt64 = 0
            while u >= cumulative && k < 1000 {
                k += 1
                p *= mean / Double(k)
                cumulative += p
                if p == 0 { break }
            }
            return k
        }
        let draw = (mean + mean.squareRoot() * nextNormal() + 0.5).rounded(.down)
        return draw <= 0 ? 0 : UInt64(min(draw, 9.0e15))
    }

    /// A binomial draw: the number of successes in `trials` independent trials of probability `probability`.
    ///
    /// Exact inversion when the expected count of the rarer outcome is below 20, normal approximation above.
    /// - Parameters:
    ///   - trials: the number of trials.
    ///   - probability: the success probability, clamped to [0, 1].
    /// - Returns: the count, in `0...trials`.
    public mutating func nextBinomial(trials: UInt64, probability: Double) -> UInt64 {
        if trials == 0 || !(probability > 0) { return 0 }
        if probability >= 1 { return trials }
        let flipped = probability > 0.5
        let p = flipped ? 1 - probability : probability
        let n = Double(trials)
        let mean = n * p
        var k: UInt64
        if mean < 20 {
            // Inversion: walk the pmf from 0 with the recurrence P(k+1) = P(k) (n-k)/(k+1) p/q.
            let q = 1 - p
            let ratio = p / q
            var pmf = DeterministicMath.exp(n * DeterministicMath.log(q))
            var cumulative = pmf
            let u = nextUnitDouble()
            k = 0
            while u >= cumulative && k < trials {
                pmf *= ratio * Double(trials - k) / Double(k + 1)
                k += 1
                cumulative += pmf
                if pmf == 0 && Double(k) > mean { break }
            }
        } else {
            let sd = (mean * (1 - p)).squareRoot()
            let draw = (mean + sd * nextNormal() + 0.5).rounded(.down)
            k = draw <= 0 ? 0 : min(trials, UInt64(min(draw, n)))
        }
        return flipped ? trials - k : k
    }
}
