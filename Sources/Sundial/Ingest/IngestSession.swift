/// The state of one ingest run, fed by the parser: the series cache, the samples of the file in
/// progress, per-file duplicate and staleness tracking, and the report.
///
/// A value type on purpose: the parser calls ``sample(_:)`` for every sample, and a struct's fields are
/// reached without the dynamic exclusivity checks a class's fields need.
struct IngestSession: ExpositionSink {
    let store: Store
    let load: BulkLoad
    let options: IngestOptions
    var report = IngestReport()
    /// The first storage failure; parsing stops being useful after it.
    var failure: StorageError?
    private var cache = SeriesTextCache()
    private var pending = Batch()

    // Per file.
    private var fileNumber: UInt32 = 0
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

    static let flushEvery = 65_536

    init(store: Store, load: BulkLoad, options: IngestOptions) {
        self.store = store
        self.load = load
        self.options = options
        pending.reserveCapacity(Self.flushEvery)
    }

    var cachedSeries: Int { cache.count }

    mutating func beginFile(_ file: InputFile, displayName: String) {
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
    mutating func endFile(_ file: InputFile) throws(StorageError) {
        if fileFailed && options.strict {
            pending.removeAll()
            load.abandonFile()
            return
        }
        if options.staleMarkers, !fileHasTimestamps, let t = fileTimeMs, file.path != "-" {
            if previousTarget == file.target {
                for ref in previousSeries where seenStamp[Int(ref)] != fileNumber {
                    pending.append(SeriesReference(id: ref), timestampMs: t, value: StaleMarker.value)
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
        try flush()
        try load.endFile()
        report.samples += fileSamples
    }

    /// Hands the samples gathered so far to the bulk load.
    mutating func flush() throws(StorageError) {
        guard pending.sampleCount > 0 else { return }
        try load.append(pending)
        pending.removeAll()
    }

    mutating func metadata(_ metadata: FamilyMetadata) {
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
        pending.setMetadata(MetricMetadata(name: metadata.name, kind: kind, help: metadata.help ?? "", unit: metadata.unit ?? ""))
    }

    mutating func reject(_ error: ExpositionError) {
        report.rejectedLines += 1
        if report.errors.count < options.keptErrors { report.errors.append(error.description) }
        fileFailed = true
    }

    mutating func sample(_ sample: ParsedSample) {
        guard failure == nil, !(options.strict && fileFailed) else { return }
        do throws(StorageError) { try add(sample) } catch { failure = error }
    }

    private mutating func add(_ sample: ParsedSample) throws(StorageError) {
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
        pending.append(SeriesReference(id: id), timestampMs: t, value: sample.value)
        fileSamples += 1
        if pending.sampleCount >= Self.flushEvery { try flush() }
    }
}
