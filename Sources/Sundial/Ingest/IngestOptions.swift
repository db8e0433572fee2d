/// How `sundial ingest` (and ``Ingestor``) reads its inputs.
public struct IngestOptions: Sendable {
    /// The time of every sample without its own timestamp; overrides file names and modification times.
    public var timeMs: Int64?
    /// Labels added to every series (`--label cluster=prod`); they replace labels of the same name.
    public var extraLabels: [Label] = []
    /// Stop a file at its first bad line and store nothing of it.
    public var strict = false
    /// Force a format instead of detecting it per file.
    public var format: ExpositionFormat?
    /// Write Prometheus staleness markers when a series present in one scrape file is absent from the
    /// next scrape file of the same directory (as Prometheus does between scrapes).
    public var staleMarkers = true
    /// Commit (make visible) after this many samples, at the first file that opens a new block window
    /// (so that windows are not cut into pieces to merge again), and at the latest after four times as many.
    public var commitEverySamples = 8_000_000
    /// Threads that parse files in parallel (each takes every n-th file); nil for one per core.
    public var parsingThreads: Int?
    /// A plain file (not standard input, not `.gz`) of at least this many bytes is cut into pieces of about
    /// ``pieceBytes`` at family boundaries, which the parsing threads parse at the same time; the file is still
    /// stored whole or not at all, with the same samples, rejected lines and line numbers as when read in one
    /// piece. 0 turns cutting off.
    public var splitFileBytes = 64 << 20
    /// The size pieces of a cut file aim at (see ``splitFileBytes``).
    public var pieceBytes = 16 << 20
    /// How many rejected lines to keep in full in the report (all are counted).
    public var keptErrors = 20

    /// The defaults.
    public init() {}
}

/// What an ingest run did.
public struct IngestReport: Sendable {
    /// Files read (including those with rejected lines).
    public var files = 0
    /// Files stored (strict mode drops files with errors).
    public var filesCommitted = 0
    /// Samples stored, stale markers included.
    public var samples = 0
    /// Stale markers written.
    public var staleMarkers = 0
    /// Series seen in this run.
    public var seriesSeen = 0
    /// Series the store had never seen before this run.
    public var newSeries = 0
    /// Series in the store after the run.
    public var totalSeries = 0
    /// Lines rejected, counted.
    public var rejectedLines = 0
    /// The first rejected lines, in full.
    public var errors: [String] = []
    /// Input bytes read.
    public var bytes = 0
    /// Pieces of large files parsed at the same time by the parsing threads (see ``IngestOptions/splitFileBytes``).
    public var piecesParsed = 0
    /// Cut files whose pieces did not fit together (see ``IngestOptions/splitFileBytes``) and that were
    /// parsed again in one piece.
    public var filesParsedAgain = 0
    /// Wall-clock seconds.
    public var seconds = 0.0
    /// Samples per second.
    public var samplesPerSecond: Double { seconds > 0 ? Double(samples) / seconds : 0 }
}
