/// The state of one ingest run: the series cache, per-file duplicate and staleness tracking, and
/// the report. ``IngestSink`` feeds it from the parser.
final class IngestSession {
    let store: Store
    let load: BulkLoad
    let options: IngestOptions
    var report = IngestReport()
    private var cache = SeriesTextCache()

    // Per file.
    private(set) var fileNumber: UInt32 = 0
    private var fileName = ""
    private var fileTimeMs: Int64?
    private(set) var fileFailed = false
    private var fileSamples = 0
    private var fileHasTimestamps = false
    private var seenStamp: [UInt32] = []
    private var lastTimestamp: [Int64] = []
    private var lastLine: [Int32] = []
    private var currentSeries: [UInt32] = []

    // Staleness, per target (directory).
    private var previousTarget: String?
    private var previousSeries: [UInt32] = []

    init(store: Store, load: BulkLoad, options: IngestOptions) {
        self.store = store
        self.load = load
        self.options = options
    }

    func beginFile(_ file: InputFile, displayName: String) {
        fileNumber &+= 1
        fileName = displayName
        fileTimeMs = file.timeMs
        fileFailed = false
        fileSamples = 0
        fileHasTimestamps = false
        currentSeries.removeAll(keepingCapacity: true)
        load.beginFile()
    }

    /// Ends the file: writes stale markers for series that vanished since the previous scrape of the
    /// same target, or takes the file back in strict mode when it had an error.
    func endFile(_ file: InputFile) throws(StorageError) {
        if fileFailed && options.strict {
            load.abandonFile()
            return
        }
        if options.staleMarkers, !fileHasTimestamps, let t = fileTimeMs, file.path != "-" {
            if previousTarget == file.target {
                for ref in previousSeries where seenStamp[Int(ref)] != fileNumber {
                    try load.append(SeriesReference(id: ref), timestampMs: t, value: StaleMarker.value)
                    report.staleMarkers += 1
                    report.samples += 1
                }
            }
            previousTarget = file.target
            swap(&previousSeries, &currentSeries)
        } else {
            previousTarget = nil
            previousSeries.removeAll()
        }
        try load.endFile()
        report.samples += fileSamples
    }

    func record(_ metadata: FamilyMetadata) {
        let kind: MetricKind
        switch metadata.type {
        case .counter: kind = .counter
        case .gauge: kind = .gauge
        case .histogram: kind = .histogram
        case .gaugeHistogram: kind = .gaugeHistogram
        case .summary: kind = .summary
        case .info: kind = .info
        case .stateset: kind = .stateset
        case .untyped, .unknown: kind = .untyped
        }
        load.setMetadata(MetricMetadata(name: metadata.name, kind: kind, help: metadata.help ?? "", unit: metadata.unit ?? ""))
    }

    func reject(_ error: ExpositionError) {
        report.rejectedLines += 1
        if report.errors.count < options.keptErrors { report.errors.append(error.description) }
        fileFailed = true
    }

    func add(_ sample: ParsedSample) throws(StorageError) {
        if options.strict && fileFailed { return }
        let id: UInt32
        if let cached = cache.value(for: sample.seriesText) {
            id = cached
        } else {
            var labels = [Label(metricNameLabel, sample.metricNameString())]
            for (name, value) in sample.labels() { labels.append(Label(name, value)) }
            labels.append(contentsOf: options.extraLabels)
            id = try store.reference(for: LabelSet(labels)).id
            cache.insert(sample.seriesText, value: id)
        }
        let t: Int64
        if let own = sample.timestampMs {
            t = own
            fileHasTimestamps = true
        } else if let fileTime = fileTimeMs {
            t = fileTime
        } else {
            reject(ExpositionError(file: fileName, line: sample.line, column: 1,
                                   message: "the sample has no timestamp and the file has no time; pass --time"))
            return
        }
        let index = Int(id)
        if index >= seenStamp.count {
            let grow = max(index + 1, seenStamp.count * 2)
            seenStamp.append(contentsOf: repeatElement(0, count: grow - seenStamp.count))
            lastTimestamp.append(contentsOf: repeatElement(0, count: grow - lastTimestamp.count))
            lastLine.append(contentsOf: repeatElement(0, count: grow - lastLine.count))
        }
        if seenStamp[index] == fileNumber {
            if lastTimestamp[index] == t {
                reject(ExpositionError(file: fileName, line: sample.line, column: 1,
                                       message: "duplicate sample for \(sample.seriesTextString()) at the same time as line \(lastLine[index])"))
                return
            }
        } else {
            seenStamp[index] = fileNumber
            currentSeries.append(id)
        }
        lastTimestamp[index] = t
        lastLine[index] = Int32(truncatingIfNeeded: sample.line)
        try load.append(SeriesReference(id: id), timestampMs: t, value: sample.value)
        fileSamples += 1
    }

    var cachedSeries: Int { cache.count }
}

/// Adapts the parser's callbacks to an ``IngestSession``.
struct IngestSink: ExpositionSink {
    let session: IngestSession
    /// The first storage failure; parsing stops being useful after it.
    var failure: StorageError?

    mutating func metadata(_ metadata: FamilyMetadata) { session.record(metadata) }

    mutating func sample(_ sample: ParsedSample) {
        guard failure == nil else { return }
        do throws(StorageError) { try session.add(sample) } catch { failure = error }
    }

    mutating func reject(_ error: ExpositionError) { session.reject(error) }
}
