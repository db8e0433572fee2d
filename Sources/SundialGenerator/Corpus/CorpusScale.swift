/// How big a generated corpus is: namespaces, operations, histogram buckets, server instances.
///
/// Series per scrape grow with `namespaceCount × serviceOperationCount` (one request counter and one latency
/// histogram per pair, plus error series once errors happen), with the persistence operations of each
/// service in ``persistenceServices``, and with `latencyBucketsSeconds.count + 3` lines per histogram.
/// Use a preset or the custom initialiser; ``TemporalCorpus/seriesCountEstimate`` tells what comes out.
///
/// | preset | namespaces | service ops | persistence ops | buckets | series per scrape |
/// |---|---|---|---|---|---|
/// | ``tiny`` | 2 | 6 | 6 (history) | 13 | ~300 |
/// | ``small`` | 3 | 12 | 12 × 2 | 13 | ~1,100 |
/// | ``standard`` | 5 | 25 | 30 × 2 | 13 | ~3,400 |
/// | ``large`` | 14 | all (~100) | all × 3, by namespace | 19 | ~40,000 |
public struct CorpusScale: Sendable, Hashable {
    /// Namespaces, taken in order from `default`, `orders`, `payments`, `search-indexing`, `temporal-system`,
    /// `billing`, `notifications`, … (then `tenant-11`, `tenant-12`, …).
    public var namespaceCount: Int
    /// (service, operation) pairs taken in order from an importance-ranked list of real frontend, history and
    /// matching RPCs (StartWorkflowExecution, RecordWorkflowTaskStarted, AddWorkflowTask, …). A pair gets a
    /// series per namespace, or only `_unknown_` for the few namespace-less calls such as `GetSystemInfo`.
    public var serviceOperationCount: Int
    /// Persistence operations per service in ``persistenceServices``, from each service's importance-ranked list.
    public var persistenceOperationCount: Int
    /// The services whose persistence client is modelled (each calls its own set of operations).
    public var persistenceServices: [TemporalService]
    /// How many namespaces appear as the persistence `namespace` (caller) label of namespace-scoped
    /// operations; shard-level operations use `system` or `_unknown_`, as the server does.
    public var persistenceCallerNamespaceCount: Int
    /// Finite histogram bucket bounds in seconds, ascending; `+Inf` is implied.
    public var latencyBucketsSeconds: [Double]
    /// Workflow types (each with its task queue) per namespace, for the `workflow_*` completion counters.
    public var workflowTypesPerNamespace: Int
    /// Server processes. Each is an all-in-one server (frontend, history and matching in one process, like the
    /// dev server) with its own scrapes, restarts and share of the traffic.
    public var instanceCount: Int

    /// The 19 bounds of Temporal's default timer histogram (1 ms … 1000 s), as tally exposes them in seconds.
    public static let temporalTimerBucketsSeconds: [Double] = [
        0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000,
    ]
    /// The first 13 of those (1 ms … 10 s): the reference corpus's histograms.
    public static let referenceBucketsSeconds: [Double] = Array(temporalTimerBucketsSeconds.prefix(13))

    /// A few hundred series: for tests and the README demo.
    public static let tiny = CorpusScale(
        namespaces: 2, serviceOperations: 6, persistenceOperations: 6, latencyBucketsSeconds: referenceBucketsSeconds,
        persistenceServices: [.history], persistenceCallerNamespaces: 1, workflowTypesPerNamespace: 2
    )
    /// About a thousand series.
    public static let small = CorpusScale(
        namespaces: 3, serviceOperations: 12, persistenceOperations: 12, latencyBucketsSeconds: referenceBucketsSeconds,
        persistenceServices: [.history, .matching], persistenceCallerNamespaces: 1, workflowTypesPerNamespace: 2
    )
    /// About 3,400 series: 30 persistence operations × 2 services, 25 service operations × 5 namespaces,
    /// 13-bucket latency histograms and workflow counters, the shape of the reference corpus measured against
    /// Prometheus and VictoriaMetrics.
    public static let standard = CorpusScale(
        namespaces: 5, serviceOperations: 25, persistenceOperations: 30, latencyBucketsSeconds: referenceBucketsSeconds,
        persistenceServices: [.history, .matching], persistenceCallerNamespaces: 1, workflowTypesPerNamespace: 3
    )
    /// About 40,000 series, the size of one real dev server's scrape after 20 minutes of load: every modelled
    /// operation, persistence broken down by calling namespace, Temporal's full 19-bucket timers.
    public static let large = CorpusScale(
        namespaces: 14, serviceOperations: .max, persistenceOperations: .max,
        latencyBucketsSeconds: temporalTimerBucketsSeconds, persistenceServices: [.history, .matching, .frontend],
        workflowTypesPerNamespace: 4
    )

    /// Creates a custom scale. Counts are clamped to what the catalogue holds (`.max` means "all").
    /// - Parameters:
    ///   - namespaces: number of namespaces (at least 1).
    ///   - serviceOperations: (service, operation) pairs of RPC metrics (at least 1).
    ///   - persistenceOperations: persistence operations per persistence service (0 for none).
    ///   - latencyBucketsSeconds: finite histogram bounds in seconds, ascending.
    ///   - instances: server processes (at least 1).
    ///   - persistenceServices: services with persistence metrics.
    ///   - persistenceCallerNamespaces: namespaces that appear as persistence callers; `nil` means all.
    ///   - workflowTypesPerNamespace: workflow types per namespace for completion counters.
    public init(
        namespaces: Int,
        serviceOperations: Int,
        persistenceOperations: Int,
        latencyBucketsSeconds: [Double] = CorpusScale.temporalTimerBucketsSeconds,
        instances: Int = 1,
        persistenceServices: [TemporalService] = [.history, .matching],
        persistenceCallerNamespaces: Int? = nil,
        workflowTypesPerNamespace: Int = 3
    ) {
        namespaceCount = max(1, namespaces)
        serviceOperationCount = max(1, serviceOperations)
        persistenceOperationCount = max(0, persistenceOperations)
        let bounds = latencyBucketsSeconds.filter { $0.isFinite && $0 > 0 }.sorted()
        self.latencyBucketsSeconds = bounds.isEmpty ? CorpusScale.referenceBucketsSeconds : bounds
        instanceCount = max(1, instances)
        self.persistenceServices = persistenceServices
        persistenceCallerNamespaceCount = max(0, persistenceCallerNamespaces ?? Int.max)
        self.workflowTypesPerNamespace = max(0, workflowTypesPerNamespace)
    }
}
