@testable import SundialGenerator

/// Corpora shared by the tests, small enough for debug builds, with restarts and incidents made frequent
/// so that every code path shows up.
enum CorpusFixtures {
    /// Tiny scale, 3 h at 30 s, several restarts and incidents.
    static let eventful = TemporalCorpus(options: CorpusOptions(
        seed: 2024, durationMs: 3 * 3_600_000, scrapeIntervalMs: 30_000, scale: .tiny,
        incidentsPerDay: 24, restartsPerDay: 24
    ))

    /// The answered scrapes of ``eventful`` and their parses, computed once for all suites.
    static let eventfulScrapes = scrapes(eventful)
    static let eventfulParsed = eventfulScrapes.map { ExpositionChecker.parse($0.text) }

    /// All answered scrapes of a corpus's instance, in order.
    static func scrapes(_ corpus: TemporalCorpus, instance: Int = 0) -> [TemporalScrape] {
        var iterator = corpus.makeIterator(instance: instance)
        var result: [TemporalScrape] = []
        while let scrape = iterator.next() { result.append(scrape) }
        return result
    }

    /// Restart that happened between two answered scrapes, if any.
    static func restart(between a: Int, and b: Int, in corpus: TemporalCorpus, instance: Int = 0) -> RestartEvent? {
        corpus.restarts.first { $0.instance == instance && $0.firstScrapeAfter > a && $0.firstScrapeAfter <= b }
    }

    /// Every family the generator may write, by tally name.
    static let tallyFamilies: Set<String> = [
        "memory_heap", "num_goroutines", "service_pending_requests", "restarts", "service_requests", "service_errors",
        "service_error_with_type", "service_latency", "persistence_requests", "persistence_errors",
        "persistence_error_with_type", "persistence_latency", "workflow_success", "workflow_failed",
        "workflow_timeout", "workflow_terminate", "workflow_cancel",
    ]

    /// Samples of cumulative series: counters, buckets, `_count` and `_sum`.
    static func isCumulative(_ sample: ParsedSample, types: [String: String]) -> Bool {
        if let type = types[sample.name] { return type == "counter" }
        return sample.name.hasSuffix("_bucket") || sample.name.hasSuffix("_count") || sample.name.hasSuffix("_sum")
    }
}
