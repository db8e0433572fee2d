/// One way a request can fail, with its `*_error_with_type` counter.
struct ErrorChannel: Sendable {
    let counter: Int32
    let kind: ErrorKind
    /// Share of requests failing this way in normal operation.
    let probability: Double
}

/// The traffic of one (service, operation, namespace): a request counter, a latency histogram, an
/// unexpected-error counter and one counter per error type.
struct RequestStream: Sendable {
    let seed: UInt64
    let isPersistence: Bool
    let service: TemporalService
    /// Index into the corpus's namespaces; -1 for `system` and `_unknown_`.
    let namespaceIndex: Int
    let requestsCounter: Int32
    let unexpectedCounter: Int32
    let histogram: Int32
    let channels: Range<Int>
    let ratePerSecond: Double
    let diurnalAmplitude: Double
    let diurnalPhase: Double
    /// Latency: lognormal with median `e^mu` seconds.
    let mu: Double
    let sigma: Double
    /// The mean of that lognormal, `e^(mu + sigma²/2)`.
    let meanLatencySeconds: Double
    /// First and last moment the stream is called (`Int64.min` / `.max` for "always").
    let birthMs: Int64
    var deathMs: Int64
}

/// The completions of one (namespace, task queue, workflow type): five outcome counters.
struct WorkflowGroup: Sendable {
    let seed: UInt64
    let namespaceIndex: Int
    /// Counters in ``MetricFamily/workflowOutcomes`` order.
    let counters: [Int32]
    let outcomeProbabilities: [Double]
    let ratePerSecond: Double
    let diurnalAmplitude: Double
    let diurnalPhase: Double
    let birthMs: Int64
    var deathMs: Int64
}

/// The per-service process series: runtime gauges and the `restarts` counter.
struct ProcessGauges: Sendable {
    let service: TemporalService
    let goroutines: Int32
    let heap: Int32
    let pending: Int32
    let restartsCounter: Int32
    let baseGoroutines: Double
    let baseHeapBytes: Double
}

/// Every series one instance can ever expose, how its traffic behaves, and the rendered line prefixes.
/// Built once per corpus and instance; immutable afterwards.
struct SeriesCatalog: Sendable {
    var layout = SeriesLayout()
    var boundsSeconds: [Double] = []
    var streams: [RequestStream] = []
    var channels: [ErrorChannel] = []
    var groups: [WorkflowGroup] = []
    var gauges: [ProcessGauges] = []
    /// Per stream, `bucketCount + 1` conditional split probabilities of the normal latency distribution.
    var normalSplits: [Double] = []
    /// Per stream, `bucketCount + 1` mean latencies (seconds) of observations falling in each bucket.
    var normalMeans: [Double] = []
    var counterCount = 0
    var gaugeCount = 0
    var histogramCount = 0
    var namespaces: [NamespaceProfile] = []
    /// Expected number of sample lines in the last scrape.
    var expectedSeriesAtEnd = 0.0

    /// Finite buckets per histogram.
    var bucketCount: Int { boundsSeconds.count }
    /// Lines per histogram: finite buckets, `+Inf`, `_sum`, `_count`.
    var linesPerHistogram: Int { boundsSeconds.count + 3 }

    /// Multiplies every modelled rate: a busy small cluster, where hot operations see hundreds of calls per second.
    static let trafficFactor = 5.0

    /// Bucket split and mean tables of a lognormal latency (median `e^mu` seconds) over the bounds.
    ///
    /// `splits[b]` is P(bucket b | not below b), so a count splits into buckets by a chain of binomial draws;
    /// `means[b]` is E[X | X in bucket b], so `_sum` grows by Σ countᵦ × meanᵦ.
    static func bucketTables(mu: Double, sigma: Double, bounds: [Double]) -> (splits: [Double], means: [Double]) {
        let count = bounds.count + 1
        var splits = [Double](repeating: 1, count: count)
        var means = [Double](repeating: 0, count: count)
        let mean = DeterministicMath.exp(mu + sigma * sigma / 2)
        var lowerCDF = 0.0, lowerTail = 1.0, lowerPartial = 0.0
        var lowerBound = 0.0
        for b in 0..<count {
            let upperCDF: Double, upperTail: Double, upperPartial: Double
            if b < bounds.count {
                let z = (DeterministicMath.log(bounds[b]) - mu) / sigma
                upperCDF = DeterministicMath.normalCDF(z)
                upperTail = DeterministicMath.normalCDF(-z)
                upperPartial = DeterministicMath.normalCDF(z - sigma)
            } else {
                upperCDF = 1
                upperTail = 0
                upperPartial = 1
            }
            let p = upperCDF < 0.5 ? upperCDF - lowerCDF : lowerTail - upperTail
            splits[b] = b == count - 1 || lowerTail <= 1e-300 ? 1 : min(1, max(0, p / lowerTail))
            let upperBound = b < bounds.count ? bounds[b] : Double.infinity
            var m = p > 1e-300 ? mean * (upperPartial - lowerPartial) / p : .nan
            if !m.isFinite { m = upperBound.isFinite ? (lowerBound + upperBound) / 2 : lowerBound * 1.5 }
            means[b] = min(max(m, lowerBound), upperBound)
            lowerCDF = upperCDF
            lowerTail = upperTail
            lowerPartial = upperPartial
            lowerBound = upperBound
        }
        return (splits, means)
    }

    /// FNV-1a of a string: the stable identity of a series, independent of scale and of its position.
    static func identity(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
