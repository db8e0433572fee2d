import Testing
@testable import SundialGenerator

@Suite struct RandomTests {
    @Test func splitMix64MatchesTheReferenceSequenceForSeedZero() {
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(rng.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func xoshiro256StarStarMatchesTheReferenceSequence() {
        var rng = Xoshiro256StarStar(state: (1, 2, 3, 4))
        #expect(rng.next() == 11520)
        #expect(rng.next() == 0)
        #expect(rng.next() == 1_509_978_240)
        #expect(rng.next() == 1_215_971_899_390_074_240)
    }

    @Test func derivedSeedsDependOnEveryPartAndItsOrder() {
        let a = SplitMix64.derive(1, 2, 3)
        #expect(a == SplitMix64.derive(1, 2, 3))
        #expect(a != SplitMix64.derive(1, 3, 2))
        #expect(a != SplitMix64.derive(2, 2, 3))
        #expect(a != SplitMix64.derive(1, 2))
    }

    @Test func boundedIntegersStayBelowTheBoundAndCoverIt() {
        var rng = SplitMix64(seed: 5)
        var seen = Set<UInt64>()
        for _ in 0..<2_000 {
            let v = rng.nextInt(below: 7)
            #expect(v < 7)
            seen.insert(v)
        }
        #expect(seen.count == 7)
    }

    @Test(arguments: [0.3, 4.0, 29.0, 31.0, 500.0])
    func poissonDrawsHaveTheRequestedMeanAndVariance(mean: Double) {
        var rng = Xoshiro256StarStar(seed: 11)
        let n = 20_000
        var sum = 0.0
        var sumSquares = 0.0
        for _ in 0..<n {
            let k = Double(rng.nextPoisson(mean: mean))
            sum += k
            sumSquares += k * k
        }
        let m = sum / Double(n)
        let variance = sumSquares / Double(n) - m * m
        #expect(abs(m - mean) < 4 * (mean / Double(n)).squareRoot() + 0.01, "mean \(m)")
        #expect(abs(variance / mean - 1) < 0.06, "variance \(variance)")
    }

    @Test(arguments: [(10 as UInt64, 0.3), (1_000, 0.001), (1_000, 0.5), (100_000, 0.02), (50, 0.97)])
    func binomialDrawsHaveTheRequestedMeanAndStayInRange(trials: UInt64, probability: Double) {
        var rng = Xoshiro256StarStar(seed: 12)
        let n = 10_000
        var sum = 0.0
        for _ in 0..<n {
            let k = rng.nextBinomial(trials: trials, probability: probability)
            #expect(k <= trials)
            sum += Double(k)
        }
        let expected = Double(trials) * probability
        let sd = (expected * (1 - probability) / Double(n)).squareRoot()
        #expect(abs(sum / Double(n) - expected) < 5 * sd + 0.01, "mean \(sum / Double(n))")
    }

    @Test func normalAndLognormalDrawsHaveTheRightMoments() {
        var rng = Xoshiro256StarStar(seed: 13)
        var draws: [Double] = []
        for _ in 0..<20_000 { draws.append(rng.nextNormal(mean: 3, standardDeviation: 2)) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)
        #expect(abs(mean - 3) < 0.06)
        #expect(abs(variance.squareRoot() - 2) < 0.05)
        var logs: [Double] = []
        for _ in 0..<20_000 { logs.append(rng.nextLognormal(mu: -5, sigma: 0.5)) }
        let median = logs.sorted()[logs.count / 2]
        #expect(abs(median / DeterministicMath.exp(-5) - 1) < 0.03)
    }

    @Test func sameSeedGivesTheSameDrawsAndAnotherSeedDoesNot() {
        func draws(_ seed: UInt64) -> [UInt64] {
            var rng = Xoshiro256StarStar(seed: seed)
            return (0..<50).map { _ in rng.nextPoisson(mean: 40) &+ rng.nextBinomial(trials: 90, probability: 0.2) }
        }
        #expect(draws(1) == draws(1))
        #expect(draws(1) != draws(2))
    }
}

@Suite struct DeterministicMathTests {
    @Test func expAndLogAgreeWithKnownValues() {
        #expect(DeterministicMath.exp(0) == 1)
        #expect(abs(DeterministicMath.exp(1) - 2.718281828459045) <= 4e-16 * 2.718281828459045)
        #expect(abs(DeterministicMath.exp(-20) / 2.061153622438558e-09 - 1) < 1e-15)
        #expect(abs(DeterministicMath.exp(700) / 1.0142320547350045e+304 - 1) < 1e-14)
        #expect(DeterministicMath.exp(-800) == 0)
        #expect(DeterministicMath.exp(800) == .infinity)
        #expect(DeterministicMath.log(1) == 0)
        #expect(abs(DeterministicMath.log(10) - 2.302585092994046) < 1e-15)
        #expect(abs(DeterministicMath.log(1e-300) - -690.7755278982137) < 1e-12)
        #expect(DeterministicMath.log(0) == -.infinity)
        #expect(DeterministicMath.log(-1).isNaN)
    }

    @Test func logInvertsExpOverAWideRange() {
        var x = -700.0
        while x < 700 {
            let roundTrip = DeterministicMath.log(DeterministicMath.exp(x))
            #expect(abs(roundTrip - x) <= 1e-13 * max(1, abs(x)), "x = \(x)")
            x += 3.37
        }
    }

    @Test func sineMatchesKnownValues() {
        #expect(DeterministicMath.sin(0) == 0)
        #expect(abs(DeterministicMath.sin(Double.pi / 6) - 0.5) < 1e-15)
        #expect(abs(DeterministicMath.sin(Double.pi / 2) - 1) < 1e-15)
        #expect(abs(DeterministicMath.sin(-2.5) - -0.5984721441039565) < 1e-15)
        #expect(abs(DeterministicMath.sin(12_345.678) - -0.7040813137533816) < 1e-11)
    }

    @Test func normalCDFMatchesKnownValues() {
        #expect(DeterministicMath.normalCDF(0) == 0.5)
        #expect(abs(DeterministicMath.normalCDF(1) - 0.8413447460685429) < 1e-14)
        #expect(abs(DeterministicMath.normalCDF(-1.96) - 0.024997895148220435) < 1e-14)
        #expect(abs(DeterministicMath.normalCDF(3) - 0.9986501019683699) < 1e-14)
        #expect(abs(DeterministicMath.normalCDF(-5) / 2.866515718791946e-07 - 1) < 1e-9)
        #expect(abs(DeterministicMath.normalCDF(-8) / 6.220960574271819e-16 - 1) < 1e-8)
        #expect(DeterministicMath.normalCDF(40) == 1)
    }
}
