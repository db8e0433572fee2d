/// A source of 64-bit pseudo-random words whose sequence is fixed by its seed on every platform.
///
/// The generator's samplers (`nextUnitDouble()`, `nextNormal()`, `nextPoisson(mean:)`, …) are defined on this
/// protocol, using only integer arithmetic and ``DeterministicMath``, so that the same seed gives the same
/// draws everywhere. Swift's own `RandomNumberGenerator` helpers are deliberately not used: their algorithms
/// are not part of a stable contract.
public protocol DeterministicRandomSource {
    /// Returns the next 64 random bits and advances the state.
    mutating func next() -> UInt64
}

/// SplitMix64 (Steele, Lea and Flood, 2014): one 64-bit word of state, one multiply-xorshift mix per draw.
///
/// Used to seed ``Xoshiro256StarStar`` and as the short-lived per-(series, scrape) generator of the corpus:
/// seeding is free, so a new generator per (stream, scrape) costs nothing.
///
/// ```swift
/// var rng = SplitMix64(seed: 42)
/// let word = rng.next()          // the same word on every platform
/// ```
public struct SplitMix64: DeterministicRandomSource, RandomNumberGenerator, Sendable {
    /// The current state; advanced by the golden-ratio increment on every draw.
    public private(set) var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    /// - Parameter seed: any 64-bit value, zero included.
    public init(seed: UInt64) {
        state = seed
    }

    /// Returns the next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 finaliser: a bijective avalanche of the 64 input bits. Handy as a hash of integers.
    /// - Parameter value: the word to mix.
    /// - Returns: the mixed word.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Combines a seed with further integers into one well-mixed seed (order matters).
    /// - Parameters:
    ///   - seed: the parent seed.
    ///   - parts: the integers that distinguish the child (a stream id, a scrape index, …).
    /// - Returns: a seed for a child generator.
    public static func derive(_ seed: UInt64, _ parts: UInt64...) -> UInt64 {
        var h = mix(seed ^ 0x6A09_E667_F3BC_C909)
        for part in parts {
            h = mix((h &+ 0x9E37_79B9_7F4A_7C15) ^ mix(part))
        }
        return h
    }
}

/// xoshiro256** (Blackman and Vigna, 2018): 256 bits of state, a long period, seeded through ``SplitMix64``.
///
/// Used where one long sequence is drawn, such as laying out the corpus catalogue and its schedules.
public struct Xoshiro256StarStar: DeterministicRandomSource, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator by expanding `seed` with ``SplitMix64``, as the authors recommend.
    /// - Parameter seed: any 64-bit value, zero included.
    public init(seed: UInt64) {
        var expander = SplitMix64(seed: seed)
        s0 = expander.next()
        s1 = expander.next()
        s2 = expander.next()
        s3 = expander.next()
    }

    /// Creates a generator from its four state words as given (all zero is invalid); for reference vectors.
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = state
    }

    /// Returns the next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
