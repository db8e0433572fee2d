/// What goes wrong during an incident window.
public enum IncidentKind: String, Sendable, Hashable {
    /// The database slows down: persistence latency rises several-fold on a subset of operations, with
    /// timeouts and `Unavailable` errors; history and frontend RPCs slow down and fail with `Unavailable` and
    /// `DeadlineExceeded` (both counted in `service_errors`); more workflows time out.
    case persistenceSlowdown
    /// One namespace hits its rate limit: its frontend RPCs fail with `ResourceExhausted` (an expected error:
    /// only `service_error_with_type` counts it).
    case namespaceRateLimited
}

/// A seeded incident: an error spike and a latency spike on a subset of operations of one instance.
public struct IncidentWindow: Sendable, Hashable {
    /// The server instance affected (0-based).
    public let instance: Int
    /// Unix ms of the start, inclusive.
    public let startMs: Int64
    /// Unix ms of the end, exclusive (5 to 30 minutes after the start).
    public let endMs: Int64
    /// What goes wrong.
    public let kind: IncidentKind
    /// The namespace (raw name) of a ``IncidentKind/namespaceRateLimited`` incident.
    public let namespace: String?
    /// Severity in [0.3, 1]: scales error probabilities and latency factors.
    public let severity: Double
    /// Picks the affected streams and their factors.
    let seed: UInt64
    /// The namespace index of a rate-limit incident, else -1.
    let namespaceIndex: Int

    /// Whether `timeMs` falls in the window.
    /// - Parameter timeMs: Unix ms.
    /// - Returns: `startMs <= timeMs < endMs`.
    public func contains(_ timeMs: Int64) -> Bool {
        timeMs >= startMs && timeMs < endMs
    }
}

/// A seeded server restart: the process dies after a successful scrape, one or two scrapes fail (no file for
/// those timestamps), then a fresh process with all counters at zero answers again.
public struct RestartEvent: Sendable, Hashable {
    /// The server instance that restarts (0-based).
    public let instance: Int
    /// Index of the first scrape that fails.
    public let firstMissingScrape: Int
    /// How many consecutive scrapes fail (1 or 2).
    public let missingScrapeCount: Int
    /// Unix ms at which the new process starts counting (between the last failed scrape and the next one).
    public let processStartMs: Int64

    /// The index of the first scrape answered by the new process.
    public var firstScrapeAfter: Int { firstMissingScrape + missingScrapeCount }
}

/// The per-instance timeline: scrape timestamps, failed scrapes, incidents and restarts.
struct InstanceSchedule: Sendable {
    let instance: Int
    let seed: UInt64
    let startMs: Int64
    let intervalMs: Int64
    let jitterMs: Int64
    let scrapeCount: Int
    /// How long the process had been up when the corpus starts (its counters carry that history).
    let uptimeBeforeStartMs: Int64
    let incidents: [IncidentWindow]
    let restarts: [RestartEvent]

    init(options: CorpusOptions, instance: Int, scrapeCount: Int, namespaces: [NamespaceProfile]) {
        self.instance = instance
        seed = SplitMix64.derive(options.seed, 0x1_057A_4CE, UInt64(instance))
        startMs = options.startMs
        intervalMs = options.effectiveIntervalMs
        jitterMs = options.effectiveJitterMs
        self.scrapeCount = scrapeCount
        var rng = Xoshiro256StarStar(seed: SplitMix64.derive(seed, 0x5C4E_D01E))
        uptimeBeforeStartMs = Int64(2 * 3_600_000 + rng.nextUnitDouble() * 46 * 3_600_000)
        let days = Double(max(0, options.durationMs)) / 86_400_000

        var incidents: [IncidentWindow] = []
        if options.incidents && options.incidentsPerDay > 0 && options.durationMs > 0 {
            let count = Int(rng.nextPoisson(mean: options.incidentsPerDay * days))
            let userNamespaces = namespaces.indices.filter { !namespaces[$0].isSystem }
            for k in 0..<count {
                let start = options.startMs + Int64(rng.nextUnitDouble() * Double(options.durationMs))
                let length = Int64(5 * 60_000 + rng.nextUnitDouble() * 25 * 60_000)
                let rateLimited = rng.nextUnitDouble() < 0.3 && !userNamespaces.isEmpty
                let namespaceIndex = rateLimited
                    ? userNamespaces[Int(rng.nextInt(below: UInt64(userNamespaces.count)))] : -1
                incidents.append(IncidentWindow(
                    instance: instance, startMs: start, endMs: start + length,
                    kind: rateLimited ? .namespaceRateLimited : .persistenceSlowdown,
                    namespace: rateLimited ? namespaces[namespaceIndex].name : nil,
                    severity: 0.3 + 0.7 * rng.nextUnitDouble(),
                    seed: SplitMix64.derive(seed, 0x1C1D, UInt64(k)), namespaceIndex: namespaceIndex
                ))
            }
            incidents.sort { $0.startMs < $1.startMs }
        }
        self.incidents = incidents

        var restarts: [RestartEvent] = []
        if options.restarts && options.restartsPerDay > 0 && scrapeCount > 3 {
            let count = Int(rng.nextPoisson(mean: options.restartsPerDay * days))
            var picks: [(Int, Int, Double)] = []
            for _ in 0..<count {
                let first = 2 + Int(rng.nextInt(below: UInt64(scrapeCount - 2)))
                picks.append((first, rng.nextUnitDouble() < 0.5 ? 1 : 2, rng.nextUnitDouble()))
            }
            picks.sort { $0.0 < $1.0 }
            var nextFree = 0
            for (first, missing, u) in picks where first >= nextFree {
                let resume = first + missing
                let resumeMs = options.startMs + Int64(resume) * intervalMs
                restarts.append(RestartEvent(
                    instance: instance, firstMissingScrape: first, missingScrapeCount: missing,
                    processStartMs: resumeMs - Int64((0.2 + 0.6 * u) * Double(intervalMs))
                ))
                nextFree = resume + 2
            }
        }
        self.restarts = restarts
    }

    /// The Unix ms timestamp of scrape `index`: the nominal time plus a seeded 0…jitter ms.
    func timestampMs(_ index: Int) -> Int64 {
        let nominal = startMs + Int64(index) * intervalMs
        guard jitterMs > 0 else { return nominal }
        return nominal + Int64(SplitMix64.derive(seed, 0x7177_E4, UInt64(bitPattern: Int64(index))) % UInt64(jitterMs + 1))
    }

    /// The restart whose failed scrapes include `index`, if any.
    func restartCovering(_ index: Int) -> RestartEvent? {
        restarts.first { index >= $0.firstMissingScrape && index < $0.firstScrapeAfter }
    }

    /// Whether scrape `index` fails because the server is down.
    func isMissing(_ index: Int) -> Bool {
        restartCovering(index) != nil
    }

    /// The start of the process that answers scrape `index` (before the corpus for the first process).
    func processStartMs(forScrape index: Int) -> Int64 {
        var start = startMs - uptimeBeforeStartMs
        for restart in restarts where restart.firstScrapeAfter <= index {
            start = restart.processStartMs
        }
        return start
    }

    /// The incident in force at `timeMs` (the latest started, if several overlap).
    func incident(at timeMs: Int64) -> Int? {
        var found: Int?
        for (k, incident) in incidents.enumerated() {
            if incident.startMs > timeMs { break }
            if incident.contains(timeMs) { found = k }
        }
        return found
    }
}
