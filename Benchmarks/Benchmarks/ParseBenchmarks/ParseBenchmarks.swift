import Benchmark
import BenchmarkSupport
import Sundial

// The exposition parser over generated Temporal scrapes (Prometheus text), one reused parser as
// `sundial ingest` uses it. Run: tools/benchmark-check, or
// cd Benchmarks && swift package benchmark --target ParseBenchmarks

/// One hour of standard-scale scrapes (240 documents of ~3,400 series), held in memory.
let scrapes: [[UInt8]] = {
    var options = CorpusOptions()
    options.scale = .standard
    options.durationMs = 3_600_000
    return TemporalCorpus(options: options).map(\.text)
}()

/// The bytes of ``scrapes``.
let scrapeBytes = scrapes.reduce(0) { $0 + $1.count }

/// Counts what the parser reports; the sum of values keeps the optimiser honest.
struct CountingSink: ExpositionSink {
    var samples = 0
    var rejected = 0
    var valueSum = 0.0

    mutating func metadata(_ metadata: FamilyMetadata) {}
    mutating func sample(_ sample: ParsedSample) {
        samples += 1
        valueSum += sample.value
    }
    mutating func reject(_ error: ExpositionError) { rejected += 1 }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = Tolerances.configuration()

    // Every scrape through one parser, fed in 64 KiB pieces as a file reader would.
    Benchmark("Parse-prometheus-text-1h") { benchmark in
        var sink = CountingSink()
        var parser = ExpositionParser(format: .prometheusText, fileName: "scrape-0.prom")
        let seconds = measure(benchmark) {
            for (i, text) in scrapes.enumerated() {
                parser.startDocument(fileName: "scrape-\(i).prom")
                text.withUnsafeBytes { all in
                    var offset = 0
                    while offset < all.count {
                        let end = min(offset + 65_536, all.count)
                        parser.feed(UnsafeRawBufferPointer(rebasing: all[offset..<end]), into: &sink)
                        offset = end
                    }
                }
                parser.finish(into: &sink)
            }
            return sink.samples
        }
        benchmark.measurement(megabytesPerSecond, Int(Double(scrapeBytes) / seconds / 1e6))
        precondition(sink.rejected == 0 && sink.samples > 0, "the generated scrapes must parse cleanly")
        blackHole(sink.valueSum)
    }
}
