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
    /// Series texts the parser does not recognise although they were seen before (see ``add(_:)``).
    private var cache = SeriesTextCache(capacity: 8)
    private var pending = Batch()
    private(set) var current: ParsedFile
    private var fileNumber: UInt32 = 0
    private var fileName = ""
    private var seenStamp: [UInt32] = []
    private var lastTimestamp: [Int64] = []
    private var lastLine: [Int32] = []
    /// Per series id: later sightings the parser did not recognise (0, 1, or 2 for "keep its text").
    private var unrecognisedSightings: [UInt8] = []
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

    /// Distinct series this session met.
    private(set) var seriesSeen = 0
    /// Samples of the last file finished, to size the next batches by.
    private var previousFileSamples = Self.batchSize
    var stopsFile: Bool { failure != nil || (options.strict && current.rejectedLines > 0) }

    /// Chooses the token table of the parser about to be fed.
    mutating func useParser(for format: ExpositionFormat) {
        tokenTable = format == .openMetrics ? 1 : 0
    }

    mutating func beginFile(_ file: InputFile, displayName: String, isPiece: Bool = false) {
        fileNumber &+= 1
        fileName = displayName
        current = ParsedFile(file: file)
        if isPiece { current.piece = PieceFacts() }
    }

    /// Ends a piece of a cut file: what the storing side checks when it puts the pieces back together.
    mutating func endPiece(bytes: Int, parser: ExpositionParser, nextLineOpensFamily: Bool) {
        current.piece?.lines = parser.linesRead
        current.piece?.nextLineOpensFamily = nextLineOpensFamily
        current.piece?.familyNames = parser.familyNames
        current.piece?.metadataNames = parser.metadataFamilyNames
        current.piece?.lastTimestamps = current.series.map { lastTimestamp[Int($0)] }
        endFile(bytes: bytes)
    }

    /// Sends what is left of the file and its summary.
    mutating func endFile(bytes: Int) {
        previousFileSamples = current.samples
        sendPending()
        current.bytes = bytes
        current.rejectedInStrictMode = options.strict && current.rejectedLines > 0
        channel.send(.fileDone(current))
    }

    private mutating func sendPending() {
        guard pending.sampleCount > 0 || pending.hasMetadata else { return }
        if !channel.send(.samples(pending)) { failure = failure ?? .unreadable(path: fileName, reason: "ingest was stopped") }
        pending = Batch()
        // Queued batches are what parsing ahead costs: reserve what a file like the last one needs.
        pending.reserveCapacity(min(Self.batchSize, max(1_024, previousFileSamples)))
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
        let record = MetricMetadata(name: metadata.name, kind: kind, help: metadata.help ?? "", unit: metadata.unit ?? "")
        if current.piece != nil {
            // Held back: the storing side applies a piece's metadata only once the piece fits (see PieceAssembler).
            current.piece?.metadata.append(record)
        } else {
            pending.setMetadata(record)
        }
    }

    mutating func reject(_ error: ExpositionError) {
        reject(error, sameTimeAsLine: nil)
    }

    /// Counts a rejected line and keeps it in full while fewer than ``IngestOptions/keptErrors`` are kept.
    private mutating func reject(_ error: ExpositionError, sameTimeAsLine: Int?) {
        current.rejectedLines += 1
        if error.line == 1 { current.piece?.firstLineRejected = true }
        if keptErrors < options.keptErrors {
            if current.piece != nil {
                current.piece?.lineErrors.append(PieceLineError(error: error, sameTimeAsLine: sameTimeAsLine))
            } else {
                var shown = error
                if let earlier = sameTimeAsLine { shown.message += " \(earlier)" }
                current.errors.append(shown.description)
            }
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
        } else if cache.count > 0, let cached = cache.value(for: sample.seriesText) {
            id = cached
            if let token = sample.knownSeriesToken { remember(token, id) }
        } else {
            var labels = [Label(metricNameLabel, sample.metricNameString())]
            for (name, value) in sample.labels() { labels.append(Label(name, value)) }
            labels.append(contentsOf: options.extraLabels)
            id = try store.reference(for: LabelSet(labels)).id
            if let token = sample.knownSeriesToken {
                remember(token, id)
            } else if Int(id) < seenStamp.count && seenStamp[Int(id)] != 0 {
                // Seen before, yet the parser did not recognise it. It starts recognising a series from its
                // second document on; after that (its cache was full, the text has no labels or is very
                // long) keep the text here, so series the parser recognises never take this memory.
                unrecognisedSightings[Int(id)] &+= unrecognisedSightings[Int(id)] < 2 ? 1 : 0
                if unrecognisedSightings[Int(id)] >= 2 { cache.insert(sample.seriesText, value: id) }
            }
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
            unrecognisedSightings.append(contentsOf: repeatElement(0, count: grow - unrecognisedSightings.count))
        }
        if seenStamp[index] == fileNumber {
            if lastTimestamp[index] == t {
                reject(ExpositionError(file: fileName, line: sample.line, column: 1,
                                       message: "duplicate sample for \(sample.seriesTextString()) at the same time as line"),
                       sameTimeAsLine: Int(lastLine[index]))
                return
            }
        } else {
            if seenStamp[index] == 0 { seriesSeen += 1 }
            seenStamp[index] = fileNumber
            current.series.append(id)
            current.piece?.firstTimestamps.append(t)
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
            // Slots are the cache's record ordinals (one per series): grow by a quarter, not double.
            let count = tokenTables[tokenTable].ids.count
            tokenTables[tokenTable].ids.append(contentsOf: repeatElement(.max, count: max(slot + 1, count + count / 4) - count))
        }
        tokenTables[tokenTable].ids[slot] = id
    }
}
