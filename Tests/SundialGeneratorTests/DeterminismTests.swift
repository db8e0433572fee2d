import Testing
@testable import SundialGenerator

/// Same options, same bytes; a different seed, different bytes; random access agrees with iteration.
@Suite struct DeterminismTests {
    static let options = CorpusOptions(seed: 11, durationMs: 30 * 60_000, scale: .tiny, incidentsPerDay: 48, restartsPerDay: 48)

    @Test(arguments: TemporalNaming.allCases)
    func sameOptionsGiveByteIdenticalScrapes(naming: TemporalNaming) {
        var options = Self.options
        options.naming = naming
        let a = CorpusFixtures.scrapes(TemporalCorpus(options: options))
        let b = CorpusFixtures.scrapes(TemporalCorpus(options: options))
        #expect(a.count == b.count && a.count > 100)
        for (x, y) in zip(a, b) {
            #expect(x.index == y.index && x.timestampMs == y.timestampMs)
            #expect(x.text == y.text, "scrape \(x.index) differs")
        }
    }

    @Test func anotherSeedGivesOtherValuesAndTimes() {
        var other = Self.options
        other.seed = 12
        let a = CorpusFixtures.scrapes(TemporalCorpus(options: Self.options))
        let b = CorpusFixtures.scrapes(TemporalCorpus(options: other))
        let differing = zip(a, b).filter { $0.text != $1.text }.count
        #expect(differing == min(a.count, b.count))
        #expect(zip(a, b).contains { $0.timestampMs != $1.timestampMs })
    }

    @Test func scrapeTextAtAnIndexEqualsTheIteratedScrape() {
        let corpus = TemporalCorpus(options: Self.options)
        let scrapes = CorpusFixtures.scrapes(corpus)
        for scrape in [scrapes[0], scrapes[1], scrapes[scrapes.count / 2], scrapes[scrapes.count - 1]] {
            #expect(corpus.scrapeText(scrape.index) == scrape.text)
        }
        #expect(corpus.scrapeText(-1) == nil && corpus.scrapeText(corpus.scrapeCount) == nil)
        var iterator = corpus.makeIterator()
        let target = scrapes[scrapes.count / 3]
        iterator.skip(to: target.index)
        #expect(iterator.next()?.text == target.text)
    }

    @Test func aSeriesBehavesTheSameWhateverTheScale() {
        // Draws are seeded by series identity, so `tiny`'s series are generated identically inside `small`
        // (same namespaces and options otherwise): the request counters agree.
        func requests(_ scale: CorpusScale) -> [String: Double] {
            let corpus = TemporalCorpus(options: CorpusOptions(seed: 9, durationMs: 10 * 60_000, scale: scale, incidents: false, restarts: false, lateNamespace: false))
            let parsed = ExpositionChecker.parse(CorpusFixtures.scrapes(corpus).last?.text ?? [])
            return parsed.valuesByKey.filter { $0.key.hasPrefix("service_requests{") }
        }
        let tiny = requests(CorpusScale(namespaces: 2, serviceOperations: 6, persistenceOperations: 2))
        let bigger = requests(CorpusScale(namespaces: 2, serviceOperations: 20, persistenceOperations: 10))
        #expect(tiny.count == 12)
        for (key, value) in tiny {
            #expect(bigger[key] == value, "\(key)")
        }
    }
}
