/// A deterministic corpus of Temporal server scrapes: what Prometheus would have fetched from a
/// self-hosted Temporal cluster's `/metrics` every `scrapeIntervalMs` for `durationMs`.
///
/// The model follows the server's own metric definitions (`service_requests`, `service_errors`,
/// `service_error_with_type`, `service_latency`, their `persistence_*` twins, the `workflow_*` completion
/// counters, runtime gauges and `restarts`), its real operation names, tally's naming, label sanitising and
/// number formatting, and what a real dev server shows: error counters that exist only after their first
/// increment, counters reset by restarts with failed scrapes between, series that come and go.
///
/// ```swift
/// let corpus = TemporalCorpus(options: CorpusOptions(seed: 42, durationMs: 3_600_000, scale: .tiny))
/// for scrape in corpus {                       // instance 0, answered scrapes in order
///     print(scrape.timestampMs, scrape.text.count)
/// }
/// try corpus.writeScrapeFiles(to: "/tmp/scrapes")      // scrape-<unix ms>.prom
/// try corpus.writeOpenMetrics(to: "/tmp/corpus.om")    // for promtool tsdb create-blocks-from openmetrics
/// ```
///
/// ## Determinism and access
/// The same options give byte-identical output on every platform: all randomness comes from seeded
/// ``SplitMix64``/``Xoshiro256StarStar`` generators and ``DeterministicMath``. Counters are cumulative, so
/// generation is sequential: iterate (``makeIterator()``) to go through a corpus; ``scrapeText(_:instance:)``
/// for a single index replays the state (without rendering) from the start, O(index).
///
/// ## Series churn
/// Error counters, rare operations and completion outcomes appear only once incremented. One namespace
/// starts half-way (``CorpusOptions/lateNamespace``). At a restart, all series vanish and come back as
/// traffic arrives; about 4 % of namespace series never come back, and new operations and workflow versions
/// appear.
///
/// ## OpenMetrics output
/// ``writeOpenMetrics(to:)`` writes scrape after scrape, each sample with its timestamp, each family's
/// metadata once, then `# EOF`. Families therefore interleave over time, which Prometheus's OpenMetrics parser
/// (and `promtool tsdb create-blocks-from openmetrics`) accepts. Tally counters have no `_total` suffix, which an
/// OpenMetrics `counter` requires, so they are typed `unknown` there; their series are identical to the scraped ones.
public struct TemporalCorpus: Sendable, Sequence {
    /// The options the corpus was made from.
    public let options: CorpusOptions
    /// Scrape timestamps per instance (`0 ..< scrapeCount`), including failed scrapes.
    public let scrapeCount: Int
    let schedules: [InstanceSchedule]
    let catalogs: [SeriesCatalog]

    /// Lays out the corpus: schedules, series and their traffic. Cheap; nothing is generated until asked.
    /// - Parameter options: the options; out-of-range values are clamped (interval at least 1 ms, jitter
    ///   below the interval, negative duration as zero).
    public init(options: CorpusOptions) {
        self.options = options
        let interval = options.effectiveIntervalMs
        let duration = Swift.max(0, options.durationMs)
        scrapeCount = Int((duration + interval - 1) / interval)
        let namespaces = NamespaceCatalog.namespaces(count: options.scale.namespaceCount, seed: options.seed)
        let count = scrapeCount
        let schedules = (0..<options.scale.instanceCount).map {
            InstanceSchedule(options: options, instance: $0, scrapeCount: count, namespaces: namespaces)
        }
        self.schedules = schedules
        catalogs = schedules.map { SeriesCatalog(options: options, schedule: $0) }
    }

    /// Server instances (all-in-one processes), each with its own scrapes.
    public var instanceCount: Int { schedules.count }

    /// The instance name used in directory names and in the OpenMetrics `instance` label of multi-instance
    /// corpora: `temporal-<k>:9090`-style, sanitised for paths as `temporal-<k>`.
    /// - Parameter instance: the instance (0-based).
    public func instanceName(_ instance: Int) -> String { "temporal-\(instance)" }

    /// Unix ms of scrape `index` of `instance` (jitter included), whether or not the scrape is answered.
    public func scrapeTimestampMs(_ index: Int, instance: Int = 0) -> Int64 {
        schedules[clamped(instance)].timestampMs(index)
    }

    /// Whether scrape `index` of `instance` fails because the server is restarting (no file is written).
    public func isScrapeMissing(_ index: Int, instance: Int = 0) -> Bool {
        schedules[clamped(instance)].isMissing(index)
    }

    /// The Prometheus text (0.0.4) body of scrape `index`, no timestamps, as the tally (or OpenTelemetry)
    /// exporter prints it; `nil` if the scrape failed or `index` is out of range.
    ///
    /// Replays the state from the first scrape (advancing without rendering), so it costs O(`index`); use
    /// ``makeIterator(instance:)`` to go through many scrapes.
    public func scrapeText(_ index: Int, instance: Int = 0) -> [UInt8]? {
        guard index >= 0 && index < scrapeCount, !isScrapeMissing(index, instance: instance) else { return nil }
        var iterator = makeIterator(instance: instance)
        iterator.skip(to: index)
        var text: [UInt8] = []
        return iterator.nextScrape(replacing: &text) != nil ? text : nil
    }

    /// An iterator over the answered scrapes of instance 0.
    public func makeIterator() -> TemporalScrapeIterator {
        makeIterator(instance: 0)
    }

    /// An iterator over the answered scrapes of `instance`.
    /// - Parameter instance: the instance (0-based; clamped to the valid range).
    public func makeIterator(instance: Int) -> TemporalScrapeIterator {
        let k = clamped(instance)
        return TemporalScrapeIterator(engine: engine(instance: k, catalog: catalogs[k]), scrapeCount: scrapeCount)
    }

    /// Expected number of sample lines in the last answered scrape, summed over instances: every series alive
    /// at the end, each weighted by the probability that it has been incremented since its process started.
    public var seriesCountEstimate: Int {
        Int(catalogs.reduce(0) { $0 + $1.expectedSeriesAtEnd }.rounded())
    }

    /// The incident windows of every instance, by start time.
    public var incidents: [IncidentWindow] {
        schedules.flatMap(\.incidents).sorted { ($0.startMs, $0.instance) < ($1.startMs, $1.instance) }
    }

    /// The restarts of every instance, by time.
    public var restarts: [RestartEvent] {
        schedules.flatMap(\.restarts).sorted { ($0.processStartMs, $0.instance) < ($1.processStartMs, $1.instance) }
    }

    func engine(instance: Int, catalog: SeriesCatalog) -> ScrapeEngine {
        ScrapeEngine(catalog: catalog, schedule: schedules[instance], naming: options.naming)
    }

    func clamped(_ instance: Int) -> Int {
        Swift.min(Swift.max(0, instance), schedules.count - 1)
    }
}
