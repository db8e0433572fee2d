import Foundation
import Testing
@testable import SundialGenerator

/// `writeScrapeFiles` and `writeOpenMetrics` write what the iterator generates, named and shaped as documented.
@Suite struct FileWriterTests {
    static let corpus = TemporalCorpus(options: CorpusOptions(
        seed: 13, durationMs: 40 * 60_000, scale: .tiny, incidentsPerDay: 24, restartsPerDay: 72
    ))

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "sundial-generator-\(UInt64.random(in: 0 ..< .max))"
        return path
    }

    @Test func scrapeFilesAreNamedByTimestampAndHoldTheScrapeText() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let paths = try Self.corpus.writeScrapeFiles(to: directory)
        let scrapes = CorpusFixtures.scrapes(Self.corpus)
        #expect(Self.corpus.restarts.count >= 1)
        #expect(paths.count == scrapes.count)
        #expect(paths.count < Self.corpus.scrapeCount)
        for (path, scrape) in zip(paths, scrapes) {
            #expect(path == directory + "/scrape-\(scrape.timestampMs).prom")
            #expect(scrape.timestampMs == Self.corpus.scrapeTimestampMs(scrape.index))
        }
        let listed = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(listed == paths.map { ($0 as NSString).lastPathComponent }.sorted())
        for k in [0, scrapes.count / 2, scrapes.count - 1] {
            let data = try #require(FileManager.default.contents(atPath: paths[k]))
            #expect([UInt8](data) == scrapes[k].text)
        }
    }

    @Test func severalInstancesGetOneDirectoryEach() throws {
        let corpus = TemporalCorpus(options: CorpusOptions(
            seed: 2, durationMs: 5 * 60_000, scale: CorpusScale(namespaces: 2, serviceOperations: 3, persistenceOperations: 2, instances: 2)
        ))
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let paths = try corpus.writeScrapeFiles(to: directory)
        #expect(paths.count == 2 * corpus.scrapeCount)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["temporal-0", "temporal-1"])
        #expect(paths.filter { $0.hasPrefix(directory + "/temporal-1/scrape-") }.count == corpus.scrapeCount)
    }

    @Test func openMetricsFileHasTimestampsOnEverySampleAndEndsWithEOF() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/corpus.om"
        try Self.corpus.writeOpenMetrics(to: path)
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix("\n# EOF\n"))
        let parsed = ExpositionChecker.parse(bytes, openMetrics: true)
        #expect(parsed.problems.isEmpty, "\(parsed.problems.prefix(3))")
        // Metadata once per family; tally counters are `unknown` (their samples lack `_total`).
        let names = parsed.types.map(\.name)
        #expect(names.count == Set(names).count)
        #expect(parsed.types.contains { $0 == ("service_requests", "unknown") })
        #expect(parsed.types.contains { $0 == ("service_latency", "histogram") })
        // Every timestamp is a scrape time that Prometheus's `int64(seconds * 1000)` reads back exactly.
        let scrapes = CorpusFixtures.scrapes(Self.corpus)
        let times = Set(scrapes.map(\.timestampMs))
        var samplesByTime: [Int64: [String: Double]] = [:]
        for sample in parsed.samples {
            let seconds = try #require(sample.timestampText.flatMap(Double.init))
            let ms = Int64(seconds * 1000)
            #expect(times.contains(ms), "timestamp \(sample.timestampText ?? "")")
            samplesByTime[ms, default: [:]][sample.seriesKey] = sample.value
        }
        // At each time, exactly the samples of that scrape.
        #expect(samplesByTime.count == scrapes.count)
        for scrape in [scrapes[0], scrapes[scrapes.count - 1]] {
            #expect(samplesByTime[scrape.timestampMs] == ExpositionChecker.parse(scrape.text).valuesByKey)
        }
    }

    @Test func openMetricsTimestampsRoundTripThroughPrometheusTruncation() {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<200_000 {
            let ms = 1_500_000_000_000 + Int64(rng.nextInt(below: 400_000_000_000))
            let text = String(decoding: TemporalCorpus.openMetricsTimestamp(ms), as: UTF8.self)
            guard let seconds = Double(text) else {
                Issue.record("unparsable \(text)")
                continue
            }
            #expect(Int64(seconds * 1000) == ms, "\(ms) written as \(text)")
            #expect(Int64((seconds * 1000).rounded()) == ms)
            #expect(!text.contains("e"))
        }
        #expect(TemporalCorpus.openMetricsTimestamp(1_767_225_615_000) == Array("1767225615".utf8))
        #expect(TemporalCorpus.openMetricsTimestamp(1_767_225_615_020) == Array("1767225615.02".utf8))
    }

    @Test func unwritableTargetsThrowAnErrorNamingThePath() {
        #expect(throws: CorpusWriteError.self) {
            try Self.corpus.writeOpenMetrics(to: "/proc/sundial-cannot-write/corpus.om")
        }
        do {
            _ = try Self.corpus.writeScrapeFiles(to: "/proc/sundial-cannot-write")
            Issue.record("expected an error")
        } catch let error as CorpusWriteError {
            #expect(error.path.hasPrefix("/proc/sundial-cannot-write"))
            #expect(error.description.hasPrefix("could not write /proc/sundial-cannot-write"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
