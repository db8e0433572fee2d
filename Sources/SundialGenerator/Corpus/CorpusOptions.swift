/// Everything that determines a generated corpus. The same options always give byte-identical output.
///
/// ```swift
/// var options = CorpusOptions(seed: 7, durationMs: 24 * 3_600_000, scale: .standard)
/// options.naming = .openTelemetry
/// let corpus = TemporalCorpus(options: options)
/// ```
public struct CorpusOptions: Sendable, Hashable {
    /// Fixes every random choice: rates, latencies, incident and restart times, jitter.
    public var seed: UInt64
    /// Unix milliseconds of the first scrape (before jitter).
    public var startMs: Int64
    /// Length of the corpus; scrapes fall at `startMs + k * scrapeIntervalMs` (plus jitter) before
    /// `startMs + durationMs`.
    public var durationMs: Int64
    /// Milliseconds between scrapes (Temporal's Helm chart uses 30 s, docker-compose 10 s); at least 1.
    public var scrapeIntervalMs: Int64
    /// Each scrape's timestamp is late by a seeded 0…`scrapeJitterMs` ms, as real scrapes are. Clamped below
    /// the interval; 0 gives exact multiples.
    public var scrapeJitterMs: Int64
    /// Tally (the server's default) or OpenTelemetry metric names.
    public var naming: TemporalNaming
    /// How many namespaces, operations, buckets and instances.
    public var scale: CorpusScale
    /// Whether seeded incident windows happen (5–30 minutes of error and latency spikes on a subset of
    /// operations).
    public var incidents: Bool
    /// Expected incidents per day and instance when ``incidents`` is on.
    public var incidentsPerDay: Double
    /// Whether seeded server restarts happen (counters restart from zero, one or two scrapes fail, some
    /// series never return and new ones appear).
    public var restarts: Bool
    /// Expected restarts per day and instance when ``restarts`` is on.
    public var restartsPerDay: Double
    /// Whether one namespace is onboarded half-way through (its series appear only then); needs at least
    /// three namespaces.
    public var lateNamespace: Bool

    /// Creates options; every parameter has a default.
    /// - Parameters:
    ///   - seed: the seed (default 1).
    ///   - startMs: first scrape, Unix ms (default 2026-01-01T00:00:00Z).
    ///   - durationMs: corpus length (default one hour).
    ///   - scrapeIntervalMs: scrape interval (default 15 s).
    ///   - scrapeJitterMs: maximal scrape lateness (default 50 ms).
    ///   - naming: metric naming (default tally).
    ///   - scale: corpus size (default ``CorpusScale/standard``).
    ///   - incidents: whether incidents happen (default true).
    ///   - incidentsPerDay: expected incidents per day (default 1.5).
    ///   - restarts: whether restarts happen (default true).
    ///   - restartsPerDay: expected restarts per day (default 1).
    ///   - lateNamespace: whether a namespace starts half-way (default true).
    public init(
        seed: UInt64 = 1,
        startMs: Int64 = 1_767_225_600_000,
        durationMs: Int64 = 3_600_000,
        scrapeIntervalMs: Int64 = 15_000,
        scrapeJitterMs: Int64 = 50,
        naming: TemporalNaming = .tally,
        scale: CorpusScale = .standard,
        incidents: Bool = true,
        incidentsPerDay: Double = 1.5,
        restarts: Bool = true,
        restartsPerDay: Double = 1,
        lateNamespace: Bool = true
    ) {
        self.seed = seed
        self.startMs = startMs
        self.durationMs = durationMs
        self.scrapeIntervalMs = scrapeIntervalMs
        self.scrapeJitterMs = scrapeJitterMs
        self.naming = naming
        self.scale = scale
        self.incidents = incidents
        self.incidentsPerDay = incidentsPerDay
        self.restarts = restarts
        self.restartsPerDay = restartsPerDay
        self.lateNamespace = lateNamespace
    }

    /// The interval actually used: at least 1 ms.
    var effectiveIntervalMs: Int64 { max(1, scrapeIntervalMs) }
    /// The jitter actually used: in `0 ..< interval`.
    var effectiveJitterMs: Int64 { min(max(0, scrapeJitterMs), effectiveIntervalMs - 1) }
}
