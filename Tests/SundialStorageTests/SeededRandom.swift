import SundialGenerator

/// The project's seedable SplitMix64, so a failing random case can be replayed from its printed seed.
typealias SeededRandom = SplitMix64
