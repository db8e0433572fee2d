import Benchmark

/// How far a run may stray from the p90 values checked in under `Benchmarks/Thresholds/` before
/// `swift package benchmark thresholds check` (and `tools/benchmark-check`) calls it a regression.
///
/// The machine the thresholds were measured on is shared and noisy, so the tolerances only catch gross
/// regressions: time may grow 3× (200 %), throughput may fall to a third (67 %), allocations and peak
/// memory may double (100 %), bytes per sample (deterministic) may grow 10 %. A run that is much better
/// than the checked-in values is reported as an improvement (exit status 4), not as a failure.
public enum Tolerances {
    /// The tolerance of every metric the Sundial benchmarks record; a metric without one would be
    /// checked strictly (any deviation fails).
    public static var all: [BenchmarkMetric: BenchmarkThresholds] {
        [
            .wallClock: .init(relative: [.p90: 200]),
            .peakMemoryResident: .init(relative: [.p90: 100]),
            .mallocCountTotal: .init(relative: [.p90: 100]),
            samplesPerSecond: .init(relative: [.p90: 67]),
            megabytesPerSecond: .init(relative: [.p90: 67]),
            bytesPerSampleMilli: .init(relative: [.p90: 10]),
        ]
    }

    /// The configuration the Sundial benchmarks share: wall clock, peak memory, allocations and the
    /// custom metrics, at most `maxIterations` runs or `maxSeconds`, after one warm-up iteration.
    /// - Parameters:
    ///   - maxIterations: The most iterations per benchmark.
    ///   - maxSeconds: The longest a benchmark runs.
    ///   - timeUnits: The unit times are shown in.
    /// - Returns: A configuration with ``all`` as its thresholds.
    public static func configuration(maxIterations: Int = 10, maxSeconds: Int = 20,
                                     timeUnits: BenchmarkTimeUnits = .milliseconds) -> Benchmark.Configuration {
        .init(metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal, samplesPerSecond, megabytesPerSecond,
                        bytesPerSampleMilli],
              timeUnits: timeUnits, warmupIterations: 1, maxDuration: .seconds(maxSeconds), maxIterations: maxIterations,
              thresholds: all)
    }
}
