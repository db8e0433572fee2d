/// The cumulative state of one server instance, advanced scrape by scrape, and the renderer of its scrapes.
///
/// Counters are cumulative sums of per-interval draws, so the state is inherently sequential: scrape `i`
/// needs the sums of scrapes `0..<i`. The draws themselves are not: each (series, scrape) pair has its own
/// seed, so advancing without rendering is cheap and the output never depends on how it was reached.
struct ScrapeEngine: Sendable {
    let catalog: SeriesCatalog
    let schedule: InstanceSchedule
    let naming: TemporalNaming
    /// Cumulative counter values since the process started; 0 means "not exposed yet".
    var counters: [UInt64]
    /// Per histogram, per-bucket (not cumulative) observation counts, `+Inf` overflow last.
    var buckets: [UInt64]
    /// Per histogram, the sum of observations in seconds.
    var sums: [Double]
    var gaugeValues: [Double]
    /// Per stream, the incident its degraded tables were computed for (-1: none yet).
    var degradedIncident: [Int32]
    var degradedSplits: [Double]
    var degradedMeans: [Double]
    /// State covers traffic up to this time.
    var coveredUntilMs: Int64
    var processStartMs: Int64
    /// The next scrape index `step()` will process.
    private(set) var nextIndex = 0
    /// Per service, requests in flight during the last interval (feeds the pending-requests and goroutine gauges).
    var serviceLoad: [Double] = [0, 0, 0]
    var headerWritten: [Bool]

    init(catalog: SeriesCatalog, schedule: InstanceSchedule, naming: TemporalNaming) {
        self.catalog = catalog
        self.schedule = schedule
        self.naming = naming
        counters = Array(repeating: 0, count: catalog.counterCount)
        buckets = Array(repeating: 0, count: catalog.histogramCount * (catalog.bucketCount + 1))
        sums = Array(repeating: 0, count: catalog.histogramCount)
        gaugeValues = Array(repeating: 0, count: catalog.gaugeCount)
        degradedIncident = Array(repeating: -1, count: catalog.streams.count)
        degradedSplits = Array(repeating: 0, count: catalog.streams.count * (catalog.bucketCount + 1))
        degradedMeans = degradedSplits
        processStartMs = schedule.startMs - schedule.uptimeBeforeStartMs
        coveredUntilMs = processStartMs
        headerWritten = Array(repeating: false, count: catalog.layout.families.count)
        startProcess()
    }

    /// A fresh process: every series gone, `restarts` at 1 for each service.
    mutating func startProcess() {
        for i in counters.indices { counters[i] = 0 }
        for i in buckets.indices { buckets[i] = 0 }
        for i in sums.indices { sums[i] = 0 }
        for gauges in catalog.gauges { counters[Int(gauges.restartsCounter)] = 1 }
    }

    /// Processes scrape `nextIndex`: returns false if the server is down at that scrape (no file), otherwise
    /// advances the state to the scrape's timestamp and returns true.
    mutating func step() -> Bool {
        let index = nextIndex
        nextIndex += 1
        if schedule.isMissing(index) { return false }
        if let restart = schedule.restarts.first(where: { $0.firstScrapeAfter == index }) {
            startProcess()
            processStartMs = restart.processStartMs
            coveredUntilMs = processStartMs
        }
        let timestamp = schedule.timestampMs(index)
        accumulate(from: coveredUntilMs, to: timestamp, scrape: index)
        coveredUntilMs = timestamp
        return true
    }

    /// Draws the traffic of the interval (`fromMs`, `toMs`] into the cumulative state.
    mutating func accumulate(from fromMs: Int64, to toMs: Int64, scrape: Int) {
        let scrapeKey = SplitMix64.derive(schedule.seed, 0x5C_4A9E, UInt64(bitPattern: Int64(scrape)))
        let incidentIndex = schedule.incident(at: fromMs / 2 + toMs / 2)
        let incident = incidentIndex.map { schedule.incidents[$0] }
        let width = catalog.bucketCount + 1
        for s in serviceLoad.indices { serviceLoad[s] = 0 }
        for i in catalog.streams.indices {
            let stream = catalog.streams[i]
            let lo = max(fromMs, stream.birthMs), hi = min(toMs, stream.deathMs)
            guard hi > lo else { continue }
            let rate = stream.ratePerSecond * TrafficShape.factor(
                seed: stream.seed, amplitude: stream.diurnalAmplitude, phase: stream.diurnalPhase, atMs: lo / 2 + hi / 2
            )
            let effect = incident.map { IncidentEffect(incident: $0, stream: stream) } ?? .none
            if !stream.isPersistence {
                // Little's law: requests in flight = arrival rate × mean latency.
                serviceLoad[serviceSlot(stream.service)] += rate * stream.meanLatencySeconds * effect.latencyFactor
            }
            var rng = SplitMix64(seed: SplitMix64.mix(stream.seed ^ scrapeKey))
            let n = rng.nextPoisson(mean: rate * Double(hi - lo) / 1000)
            guard n > 0 else { continue }
            counters[Int(stream.requestsCounter)] += n
            // Split the requests over the buckets by a chain of binomial draws.
            let base = Int(stream.histogram) * width
            let tableBase = i * width
            if effect.latencyFactor != 1, let k = incidentIndex {
                if degradedIncident[i] != Int32(k) {
                    let tables = SeriesCatalog.bucketTables(
                        mu: stream.mu + DeterministicMath.log(effect.latencyFactor), sigma: stream.sigma,
                        bounds: catalog.boundsSeconds
                    )
                    for b in 0..<width {
                        degradedSplits[tableBase + b] = tables.splits[b]
                        degradedMeans[tableBase + b] = tables.means[b]
                    }
                    degradedIncident[i] = Int32(k)
                }
                split(n, splits: degradedSplits, means: degradedMeans, tableBase: tableBase, histogramBase: base, histogram: Int(stream.histogram), rng: &rng)
            } else {
                split(n, splits: catalog.normalSplits, means: catalog.normalMeans, tableBase: tableBase, histogramBase: base, histogram: Int(stream.histogram), rng: &rng)
            }
            // Errors by type; the unexpected ones also count in *_errors.
            var unexpected: UInt64 = 0
            for c in stream.channels {
                let channel = catalog.channels[c]
                let p = channel.probability + effect.extraErrorProbability(channel.kind)
                let k = rng.nextBinomial(trials: n, probability: p)
                guard k > 0 else { continue }
                counters[Int(channel.counter)] += k
                if channel.kind.isUnexpected { unexpected += k }
            }
            if unexpected > 0 { counters[Int(stream.unexpectedCounter)] += unexpected }
        }
        accumulateWorkflows(from: fromMs, to: toMs, scrapeKey: scrapeKey, incident: incident)
        updateGauges(atMs: toMs, scrapeKey: scrapeKey, incident: incident)
    }

    private func serviceSlot(_ service: TemporalService) -> Int {
        switch service {
        case .frontend: 0
        case .history: 1
        case .matching: 2
        }
    }

    private mutating func split(
        _ n: UInt64, splits: [Double], means: [Double], tableBase: Int, histogramBase: Int, histogram: Int,
        rng: inout SplitMix64
    ) {
        var remaining = n
        var sum = 0.0
        let width = catalog.bucketCount + 1
        for b in 0..<width where remaining > 0 {
            let q = splits[tableBase + b]
            let k = b == width - 1 ? remaining : rng.nextBinomial(trials: remaining, probability: q)
            if k > 0 {
                buckets[histogramBase + b] += k
                sum += Double(k) * means[tableBase + b]
                remaining -= k
            }
        }
        sums[histogram] += sum
    }

    private mutating func accumulateWorkflows(from fromMs: Int64, to toMs: Int64, scrapeKey: UInt64, incident: IncidentWindow?) {
        let slowdown = incident.flatMap { $0.kind == .persistenceSlowdown ? $0.severity : nil }
        for group in catalog.groups {
            let lo = max(fromMs, group.birthMs), hi = min(toMs, group.deathMs)
            guard hi > lo else { continue }
            let rate = group.ratePerSecond * TrafficShape.factor(
                seed: group.seed, amplitude: group.diurnalAmplitude, phase: group.diurnalPhase, atMs: lo / 2 + hi / 2
            )
            var rng = SplitMix64(seed: SplitMix64.mix(group.seed ^ scrapeKey))
            var remaining = rng.nextPoisson(mean: rate * Double(hi - lo) / 1000)
            guard remaining > 0 else { continue }
            var weights = group.outcomeProbabilities
            if let severity = slowdown {
                weights[1] *= 1 + 2 * severity
                weights[2] *= 1 + 6 * severity
            }
            var left = weights.reduce(0, +)
            for k in 0..<weights.count where remaining > 0 {
                let taken = k == weights.count - 1
                    ? remaining : rng.nextBinomial(trials: remaining, probability: weights[k] / left)
                counters[Int(group.counters[k])] += taken
                remaining -= taken
                left -= weights[k]
            }
        }
    }

    private mutating func updateGauges(atMs: Int64, scrapeKey: UInt64, incident: IncidentWindow?) {
        let slowdown = incident.flatMap { $0.kind == .persistenceSlowdown ? $0.severity : nil } ?? 0
        let upSeconds = Double(max(0, atMs - processStartMs)) / 1000
        for gauges in catalog.gauges {
            var rng = SplitMix64(seed: SplitMix64.mix(scrapeKey ^ UInt64(gauges.goroutines + 1) &* 0x9E37_79B9))
            let inFlight = serviceLoad[serviceSlot(gauges.service)]
            let goroutines = gauges.baseGoroutines + inFlight + 12 * rng.nextNormal() + 300 * slowdown
            gaugeValues[Int(gauges.goroutines)] = max(20, goroutines.rounded())
            // The heap grows between collections (every ~40 s) and drops back.
            let phase = upSeconds / 40 - (upSeconds / 40).rounded(.down)
            let heap = gauges.baseHeapBytes * (1 + 0.3 * phase) + 2e6 * rng.nextNormal()
            gaugeValues[Int(gauges.heap)] = max(8192, (heap / 8192).rounded() * 8192)
            gaugeValues[Int(gauges.pending)] = Double(rng.nextPoisson(mean: inFlight))
        }
    }
}

/// How traffic varies over time: a daily sine per namespace and a slow ±15 % wander per series
/// (linear between seeded knots every ten minutes).
enum TrafficShape {
    static let dayMs = 86_400_000.0
    static let knotMs: Int64 = 600_000

    static func factor(seed: UInt64, amplitude: Double, phase: Double, atMs: Int64) -> Double {
        let day = 1 + amplitude * DeterministicMath.sin(2 * Double.pi * Double(atMs) / dayMs + phase)
        let knot = atMs >= 0 ? atMs / knotMs : (atMs - knotMs + 1) / knotMs
        let t = Double(atMs - knot * knotMs) / Double(knotMs)
        let a = knotValue(seed, knot), b = knotValue(seed, knot + 1)
        return max(0.05, day * (1 + 0.15 * (a + (b - a) * t)))
    }

    private static func knotValue(_ seed: UInt64, _ knot: Int64) -> Double {
        let bits = SplitMix64.mix(seed ^ SplitMix64.mix(UInt64(bitPattern: knot)))
        return Double(bits >> 11) * 0x1p-52 - 1
    }
}
