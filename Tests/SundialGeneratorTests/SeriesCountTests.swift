import Testing
@testable import SundialGenerator

/// Presets are the size they claim, and `seriesCountEstimate` predicts what a scrape holds.
@Suite struct SeriesCountTests {
    @Test(arguments: [
        ("tiny", CorpusScale.tiny, 3_600_000 as Int64),
        ("small", .small, 3_600_000),
        ("standard", .standard, 30 * 60_000),
        ("large", .large, 10 * 60_000),
    ])
    func lastScrapeHoldsTheEstimatedSeriesCount(name: String, scale: CorpusScale, durationMs: Int64) {
        let corpus = TemporalCorpus(options: CorpusOptions(seed: 31, durationMs: durationMs, scale: scale))
        var iterator = corpus.makeIterator()
        var last: [UInt8] = []
        var buffer: [UInt8] = []
        while iterator.nextScrape(replacing: &buffer) != nil { swap(&last, &buffer) }
        let lines = last.split(separator: 0x0A).filter { $0.first != 0x23 }.count
        let estimate = corpus.seriesCountEstimate
        #expect(abs(Double(lines) / Double(estimate) - 1) < 0.10, "\(name): \(lines) lines, estimate \(estimate)")
    }

    @Test func presetsHaveTheirAdvertisedSizes() {
        func estimate(_ scale: CorpusScale) -> Int {
            TemporalCorpus(options: CorpusOptions(seed: 1, durationMs: 3_600_000, scale: scale)).seriesCountEstimate
        }
        let tiny = estimate(.tiny), small = estimate(.small), standard = estimate(.standard), large = estimate(.large)
        #expect((200..<700).contains(tiny), "tiny \(tiny)")
        #expect((800..<1_500).contains(small), "small \(small)")
        // The reference corpus of the Prometheus / VictoriaMetrics comparison has 3,355 series.
        #expect(abs(Double(standard) / 3_355 - 1) < 0.10, "standard \(standard)")
        #expect((36_000..<46_000).contains(large), "large \(large)")
    }

    @Test func instancesMultiplyTheSeries() {
        let one = TemporalCorpus(options: CorpusOptions(seed: 4, scale: CorpusScale(namespaces: 3, serviceOperations: 10, persistenceOperations: 5)))
        let three = TemporalCorpus(options: CorpusOptions(seed: 4, scale: CorpusScale(namespaces: 3, serviceOperations: 10, persistenceOperations: 5, instances: 3)))
        #expect(three.instanceCount == 3)
        let ratio = Double(three.seriesCountEstimate) / Double(one.seriesCountEstimate)
        #expect(ratio > 2.6 && ratio < 3.1, "ratio \(ratio)")
        // Instances are scraped separately and differ.
        #expect(three.scrapeText(3, instance: 0) != three.scrapeText(3, instance: 1))
    }
}
