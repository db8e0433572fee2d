/// The parsing side of an ingest run: turns parsed samples into series references and batches,
/// catching duplicates within a file, and sends them down an ``IngestChannel``.
///
/// A value type on purpose: the parser calls ``sample(_:)`` for every sample, and a struct's fields are
/// reached without the dynamic exclusivity checks a class's fields need.
struct ScrapeParseSession: ExpositionSink {
    let store: Store
    let options: IngestOptions
    let channel: IngestChannel
    /// The first failure; parsing the file stops being useful after it.
    var failure: IngestError?
    private var cache = SeriesTextCache()
    private var pending = Batch()
    private(set) var current: ParsedFile
    private var fileNumber: UInt32 = 0
    private var fileName = ""
    private var seenStamp: [UInt32] = []
    private var lastTimestamp: [Int64] = []
    private var lastLine: [Int32] = []
    private var keptErrors = 0
    /// Per format (each has its own parser): series ids by the parser's known-series token.
    private var tokenTables: [TokenTable] = [TokenTable(), TokenTable()]
    private var tokenTable = 0

    /// Series ids indexed by the low half of a parser's known-series token, valid for one value of the high half.
    struct TokenTable {
        var generation: UInt32 = .max
        var ids: [UInt32] = []
    }

    static let batchSize = 65_536

    init(store: Store, options: IngestOptions, channel: IngestChannel) {
        self.store = store
        self.options = options
        self.channel = channel
        self.current = ParsedFile(file: InputFile(path: "", timeMs: nil, bytes: 0, target: ""))
        pending.reserveCapacity(Self.batchSize)
    }

    var seriesSeen: Int { cache.count }
    var stopsFile: Bool { failure != nil || (options.strict && current.rejectedLines > 0) }

    /// Chooses the token table of the parser about to be fed.
    mutating func useParser(for format: ExpositionFormat) {
        tokenTable = format == .openMetrics ? 1 : 0
    }

    mutating func beginFile(_ file: InputFile, displayName: String) {
        fileNumber &+= 1
        fileName = displayName
        current = ParsedFile(file: file)
    }

    /// Sends what is left of the file and its summary.
    mutating func endFile(bytes: Int) {
        sendPending()
        current.bytes = bytes
        current.rejectedInStrictMode = options.strict && current.rejectedLines > 0
        channel.send(.fileDone(current))
    }

    private mutating func sendPending() {
        guard pending.sampleCount > 0 || pending.hasMetadata else { return }
        if !channel.send(.samples(pending)) { failure = failure ?? .unreadable(path: fileName, reason: "ingest was stopped") }
        pending = Batch()
        pending.reserveCapacity(Self.batchSize)
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
        current.rejectedLines += 1
        if keptErrors < options.keptErrors {
            current.errors.append(error.description)
            keptErrors += 1
        }
    }

    mutating func sample(_ sample: ParsedSample) {
        guard !stopsFile else { return }
        do throws(StorageError) { try add(sample) } catch { failure = .storage(error) }
    }

    private mutating func add(_ sample: ParsedSample) throws(StorageError) {
        let id: UInt32
        if let token = sample.knownSeriesToken, let known = knownID(token) {
            id = known
        } else if let cached = cache.value(for: sample.seriesText) {
            id = cached
            if let token = sample.knownSeriesToken { remember(token, id) }
        } else {
            var labels = [Label(metricNameLabel, sample.metricNameString())]
            for (name, value) in sample.labels() { labels.append(Label(name, value)) }
            labels.append(contentsOf: options.extraLabels)
            id = try store.reference(for: LabelSet(labels)).id
            cache.insert(sample.seriesText, value: id)
            if let token = sample.knownSeriesToken { remember(token, id) }
        }
        let t: Int64
        if let own = sample.timestampMs {
            t = own
            current.hasTimestamps = true
        } else if let fileTime = current.file.timeMs {
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
            current.series.append(id)
        }
        lastTimestamp[index] = t
        lastLine[index] = Int32(truncatingIfNeeded: sample.line)
        pending.append(SeriesReference(id: id), timestampMs: t, value: sample.value)
        current.samples += 1
        if pending.sampleCount >= Self.batchSize { sendPending() }
    }

    @inline(__always)
    private func knownID(_ token: UInt64) -> UInt32? {
        let table = tokenTables[tokenTable]
        let slot = Int(truncatingIfNeeded: token & 0xFFFF_FFFF)
        guard UInt32(truncatingIfNeeded: token >> 32) == table.generation, slot < table.ids.count else { return nil }
        let id = table.ids[slot]
        return id == .max ? nil : id
    }

    private mutating func remember(_ token: UInt64, _ id: UInt32) {
        let generation = UInt32(truncatingIfNeeded: token >> 32)
        let slot = Int(truncatingIfNeeded: token & 0xFFFF_FFFF)
        if tokenTables[tokenTable].generation != generation {
            tokenTables[tokenTable] = TokenTable(generation: generation, ids: [])
        }
        if slot >= tokenTables[tokenTable].ids.count {
            tokenTables[tokenTable].ids.append(contentsOf: repeatElement(.max, count: max(slot + 1, tokenTables[tokenTable].ids.count * 2) - tokenTables[tokenTable].ids.count))
        }
        tokenTables[tokenTable].ids[slot] = id
    }
}
