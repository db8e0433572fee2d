import Foundation
import Testing
@testable import SundialGenerator

/// Generation speed, measured in release builds only:
/// `SUNDIAL_GENERATOR_SPEED=1 swift test -c release --filter GenerationSpeedTests`.
/// Prints MB/s, samples/s and bytes per sample, and fails if a `.large` scrape takes 100 ms or more.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SUNDIAL_GENERATOR_SPEED"] != nil))
struct GenerationSpeedTests {
    struct Measurement {
        var scrapes = 0
        var bytes = 0
        var samples = 0
        var seconds = 0.0
        var slowestScrapeSeconds = 0.0
    }

    static func measure(_ options: CorpusOptions) -> Measurement {
        let corpus = TemporalCorpus(options: options)
        var iterator = corpus.makeIterator()
        var buffer: [UInt8] = []
        var result = Measurement()
        let clock = ContinuousClock()
        while true {
            let start = clock.now
            guard iterator.nextScrape(replacing: &buffer) != nil else { break }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            result.seconds += seconds
            result.slowestScrapeSeconds = max(result.slowestScrapeSeconds, seconds)
            result.scrapes += 1
            result.bytes += buffer.count
            var lines = 0
            for byte in buffer where byte == 0x0A { lines += 1 }
            var comments = 0
            var atLineStart = true
            for byte in buffer {
                if atLineStart && byte == 0x23 { comments += 1 }
                atLineStart = byte == 0x0A
            }
            result.samples += lines - comments
        }
        return result
    }

    static func report(_ name: String, _ m: Measurement) {
        let line = String(
            format: "%@: %d scrapes, %.0f samples/scrape, %.1f ms/scrape (slowest %.1f), %.1f MB/s, %.2f M samples/s, %.1f bytes/sample",
            name, m.scrapes, Double(m.samples) / Double(m.scrapes), 1000 * m.seconds / Double(m.scrapes),
            1000 * m.slowestScrapeSeconds, Double(m.bytes) / m.seconds / 1e6, Double(m.samples) / m.seconds / 1e6,
            Double(m.bytes) / Double(m.samples)
        )
        print("generation speed — " + line)
    }

    @Test func largeScrapesTakeWellUnder100Milliseconds() {
        let m = Self.measure(CorpusOptions(seed: 1, durationMs: 30 * 60_000, scale: .large))
        Self.report("large, 30 min at 15 s", m)
        #expect(m.scrapes == 120)
        #expect(m.slowestScrapeSeconds < 0.1)
        #expect(m.seconds / Double(m.scrapes) < 0.05)
    }

    @Test func standardDayGeneratesQuickly() throws {
        let m = Self.measure(CorpusOptions(seed: 1, durationMs: 24 * 3_600_000, scale: .standard))
        Self.report("standard, 24 h at 15 s", m)
        #expect(m.scrapes > 5_700)
        #expect(m.seconds < 60)
        let directory = NSTemporaryDirectory() + "sundial-speed-\(UInt64.random(in: 0 ..< .max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let corpus = TemporalCorpus(options: CorpusOptions(seed: 1, durationMs: 24 * 3_600_000, scale: .standard))
        let clock = ContinuousClock()
        let start = clock.now
        try corpus.writeOpenMetrics(to: directory + "/standard.om")
        let elapsed = clock.now - start
        let size = (try FileManager.default.attributesOfItem(atPath: directory + "/standard.om")[.size] as? Int) ?? 0
        print("generation speed — standard 24 h OpenMetrics file: \(size / 1_000_000) MB in \(elapsed), \(String(format: "%.1f", Double(size) / Double(m.samples))) bytes/sample")
        #expect(size > 0)
    }
}
