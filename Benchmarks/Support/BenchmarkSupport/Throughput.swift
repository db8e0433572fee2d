import Benchmark

/// Samples handled per second, measured around the loop alone (the benchmark's own wall clock also
/// covers its setup).
public let samplesPerSecond = BenchmarkMetric.custom("samples per second", polarity: .prefersLarger)

/// Input megabytes handled per second.
public let megabytesPerSecond = BenchmarkMetric.custom("MB per second", polarity: .prefersLarger)

/// Bytes on disk per sample, times 1000 (metrics are integers).
public let bytesPerSampleMilli = BenchmarkMetric.custom("bytes per sample x1000", polarity: .prefersSmaller)

/// Runs `body`, which handles `count` samples, and records ``samplesPerSecond`` for this iteration.
/// - Parameters:
///   - benchmark: The running benchmark.
///   - count: How many samples `body` handles.
///   - body: The measured work.
/// - Throws: What `body` throws.
public func measure(_ benchmark: Benchmark, _ count: Int, _ body: () throws -> Void) rethrows {
    try measure(benchmark) {
        try body()
        return count
    }
}

/// Runs `body`, which returns how many samples it handled, and records ``samplesPerSecond`` for this
/// iteration.
/// - Parameters:
///   - benchmark: The running benchmark.
///   - body: The measured work; returns its sample count.
/// - Returns: The seconds `body` took.
/// - Throws: What `body` throws.
@discardableResult
public func measure(_ benchmark: Benchmark, _ body: () throws -> Int) rethrows -> Double {
    let clock = ContinuousClock()
    let started = clock.now
    let count = try body()
    let elapsed = clock.now - started
    let seconds = max(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, 1e-9)
    benchmark.measurement(samplesPerSecond, Int(Double(count) / seconds))
    return seconds
}
