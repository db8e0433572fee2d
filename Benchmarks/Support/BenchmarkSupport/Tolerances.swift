import Benchmark

/// How far a run may stray from the p90 values checked in under `Benchmarks/Thresholds/` before
/// `swift package benchmark thresholds check` (and `tools/benchmark-check`) calls it a regression.
///
/// The machine the thresholds were measured on is shared and noisy, so the tolerances only catch gross
/// regressions: wall-clock time may grow 3× (200 %), allocations and peak memory may double (100 %),
/// bytes per sample (deterministic) may grow 10 %. Wall clock carries the speed check. Throughput
/// (samples or MB per second) fails only below a tenth of the checked-in value (90 %): package-benchmark
/// 1.38.1 writes a larger-is-better metric's threshold as the 90th percentile of its raw values (a fast
/// iteration) but checks the run's 90th percentile counted from the slow end (a slow iteration), so on a
/// noisy machine the two differ by several times without any regression. A run much better than the
/// checked-in values is reported as an improvement, not as a failure.
public enum Tolerances {
    /// The tolerance of every metric the Sundial benchmarks record; a metric without one would be
    /// checked strictly (any deviation fails).
    public static var all: [BenchmarkMetric: BenchmarkThresholds] {
        [
            .wallClock: .init(relative: [.p90: 200]),
            .peakMemoryResident: .init(relative: [.p90: 100]),
            .mallocCountTotal: .init(relative: [.p90: 100]),
            samplesPerSecond: .init(relative: [.p90: 90]),
            megabytesPerSecond: .init(relative: [.p90: 90]),
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
