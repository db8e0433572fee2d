import Testing
@testable import SundialGenerator

/// Counters are cumulative sums that only a restart resets; restarts leave gaps and churn the series.
@Suite struct RestartAndCounterTests {
    @Test func countersNeverDecreaseExceptAcrossARestart() {
        let corpus = CorpusFixtures.eventful
        var previous: (index: Int, values: [String: Double])?
        var resetsSeen = 0
        for (scrape, parsed) in zip(CorpusFixtures.eventfulScrapes, CorpusFixtures.eventfulParsed) {
            let types = Dictionary(parsed.types.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
            var values: [String: Double] = [:]
            for sample in parsed.samples where CorpusFixtures.isCumulative(sample, types: types) {
                values[sample.seriesKey] = sample.value
            }
            if let (index, before) = previous {
                if CorpusFixtures.restart(between: index, and: scrape.index, in: corpus) != nil {
                    resetsSeen += 1
                    let dropped = before.filter { key, value in (values[key] ?? 0) < value }.count
                    #expect(dropped > before.count / 2, "restart before scrape \(scrape.index) reset only \(dropped)")
                } else {
                    for (key, value) in before {
                        guard let now = values[key] else {
                            Issue.record("\(key) vanished at scrape \(scrape.index) without a restart")
                            continue
                        }
                        #expect(now >= value, "\(key) went from \(value) to \(now) at scrape \(scrape.index)")
                    }
                }
            }
            previous = (scrape.index, values)
        }
        #expect(resetsSeen >= 2)
    }

    @Test func failedScrapesAreExactlyTheRestartGaps() {
        let corpus = CorpusFixtures.eventful
        #expect(corpus.restarts.count >= 2)
        var expectedMissing = Set<Int>()
        for restart in corpus.restarts {
            #expect((1...2).contains(restart.missingScrapeCount))
            #expect(restart.processStartMs > corpus.scrapeTimestampMs(restart.firstScrapeAfter - 1))
            #expect(restart.processStartMs < corpus.scrapeTimestampMs(restart.firstScrapeAfter))
            for i in restart.firstMissingScrape..<restart.firstScrapeAfter { expectedMissing.insert(i) }
        }
        let answered = Set(CorpusFixtures.eventfulScrapes.map(\.index))
        #expect(answered.count + expectedMissing.count == corpus.scrapeCount)
        #expect(answered.isDisjoint(with: expectedMissing))
        for i in expectedMissing {
            #expect(corpus.isScrapeMissing(i))
            #expect(corpus.scrapeText(i) == nil)
        }
    }

    @Test func aRestartRetiresSomeSeriesForGoodAndIntroducesNewOnes() throws {
        let corpus = TemporalCorpus(options: CorpusOptions(
            seed: 77, durationMs: 2 * 3_600_000, scrapeIntervalMs: 60_000, scale: .standard,
            incidents: false, restartsPerDay: 36
        ))
        let restart = try #require(corpus.restarts.first)
        var before = Set<String>(), after = Set<String>()
        var lastBefore = Set<String>()
        for scrape in CorpusFixtures.scrapes(corpus) {
            let keys = ExpositionChecker.seriesKeys(scrape.text)
            if scrape.index < restart.firstMissingScrape {
                before.formUnion(keys)
                lastBefore = keys
            } else {
                after.formUnion(keys)
            }
        }
        let neverBack = lastBefore.subtracting(after)
        let brandNew = after.subtracting(before)
        #expect(neverBack.count >= 17, "only \(neverBack.count) series retired")
        #expect(brandNew.count >= 17, "only \(brandNew.count) series appeared")
    }

    @Test func theLateNamespaceAppearsOnlyInTheSecondHalf() {
        let corpus = TemporalCorpus(options: CorpusOptions(
            seed: 5, durationMs: 3_600_000, scrapeIntervalMs: 60_000, scale: .standard, incidents: false, restarts: false
        ))
        let half = corpus.options.startMs + corpus.options.durationMs / 2
        var seenAfter = 0
        for scrape in CorpusFixtures.scrapes(corpus) {
            let late = ExpositionChecker.seriesKeys(scrape.text).filter { $0.contains("namespace=\"search_indexing\"") }
            if scrape.timestampMs <= half {
                #expect(late.isEmpty, "search_indexing present at \(scrape.timestampMs)")
            } else {
                seenAfter = max(seenAfter, late.count)
            }
        }
        #expect(seenAfter > 100)
    }

    @Test func scrapeTimestampsJitterWithinTheLimit() {
        let options = CorpusOptions(seed: 3, durationMs: 3_600_000, scrapeIntervalMs: 15_000, scrapeJitterMs: 40, scale: .tiny)
        let corpus = TemporalCorpus(options: options)
        #expect(corpus.scrapeCount == 240)
        var offsets = Set<Int64>()
        for i in 0..<corpus.scrapeCount {
            let offset = corpus.scrapeTimestampMs(i) - (options.startMs + Int64(i) * 15_000)
            #expect(offset >= 0 && offset <= 40)
            offsets.insert(offset)
        }
        #expect(offsets.count > 10)
        var exact = options
        exact.scrapeJitterMs = 0
        let aligned = TemporalCorpus(options: exact)
        #expect((0..<aligned.scrapeCount).allSatisfy { aligned.scrapeTimestampMs($0) == options.startMs + Int64($0) * 15_000 })
    }
}
