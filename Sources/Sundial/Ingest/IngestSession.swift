/// The storing side of an ingest run: receives parsed files in order, adds staleness markers where a
/// series vanished since the previous scrape of the same target, and stores each file whole or not at
/// all through a ``BulkLoad``.
struct IngestSession {
    let load: BulkLoad
    let options: IngestOptions
    var report = IngestReport()
    private var uncommittedFiles = 0
    private var stamp: [UInt32] = []
    private var fileNumber: UInt32 = 0
    private var previousTarget: String?
    private var previousSeries: [UInt32] = []
    private var everSeen: [Bool] = []
    /// The block window of the last file begun (its time divided by the window length).
    private var previousWindow: Int64?
    /// Distinct series met in this run.
    private(set) var distinctSeries = 0

    init(load: BulkLoad, options: IngestOptions) {
        self.load = load
        self.options = options
    }

    /// Starts a file. When enough is pending and the file opens a new block window, commits first: a
    /// commit seals the windows it holds into blocks, so one made mid-window leaves that window in pieces
    /// that compaction must merge again later.
    mutating func beginFile(_ file: InputFile) throws(StorageError) {
        let window = file.timeMs.map { $0 / load.windowMs }
        if load.pendingSamples >= options.commitEverySamples, window != previousWindow { try commit(final: false) }
        previousWindow = window
        load.beginFile()
    }

    func add(_ batch: Batch) throws(StorageError) {
        try load.append(batch)
    }

    /// Finishes one file: staleness markers, the file boundary, and a commit when enough is pending.
    mutating func endFile(_ parsed: ParsedFile) throws(StorageError) {
        report.files += 1
        report.bytes += parsed.bytes
        report.rejectedLines += parsed.rejectedLines
        report.errors.append(contentsOf: parsed.errors.prefix(max(0, options.keptErrors - report.errors.count)))
        if parsed.rejectedInStrictMode {
            load.abandonFile()
            try load.commit(final: false)
            report.filesCommitted += uncommittedFiles
            uncommittedFiles = 0
            return
        }
        fileNumber &+= 1
        for id in parsed.series {
            if Int(id) >= everSeen.count { everSeen.append(contentsOf: repeatElement(false, count: Int(id) + 1 - everSeen.count)) }
            if !everSeen[Int(id)] {
                everSeen[Int(id)] = true
                distinctSeries += 1
            }
        }
        var markers = Batch()
        if options.staleMarkers, !parsed.hasTimestamps, let t = parsed.file.timeMs, parsed.file.path != "-" {
            if let highest = parsed.series.max(), Int(highest) >= stamp.count {
                stamp.append(contentsOf: repeatElement(0, count: Int(highest) + 1 - stamp.count))
            }
            for id in parsed.series { stamp[Int(id)] = fileNumber }
            if previousTarget == parsed.file.target {
                for id in previousSeries where Int(id) >= stamp.count || stamp[Int(id)] != fileNumber {
                    markers.append(SeriesReference(id: id), timestampMs: t, value: StaleMarker.value)
                }
            }
            previousTarget = parsed.file.target
            previousSeries = parsed.series
        } else {
            previousTarget = nil
            previousSeries = []
        }
        if markers.sampleCount > 0 { try load.append(markers) }
        try load.endFile()
        report.staleMarkers += markers.sampleCount
        report.samples += parsed.samples + markers.sampleCount
        uncommittedFiles += 1
        // Otherwise commits wait for a file that opens a new window (see beginFile), up to a bound.
        if options.strict || load.pendingSamples >= 4 * options.commitEverySamples { try commit(final: false) }
    }

    /// Commits what is pending, if anything is.
    mutating func commitPending() throws(StorageError) {
        if load.pendingSamples > 0 { try commit(final: false) }
    }

    /// Records metadata of the file begun last.
    func setMetadata(_ records: [MetricMetadata]) {
        for record in records { load.setMetadata(record) }
    }

    /// Takes back what was added of the file begun last (see ``BulkLoad/abandonFile()``).
    func abandonFile() {
        load.abandonFile()
    }

    /// Commits what is pending; the last commit of a run (`final`) also merges the open day's windows.
    mutating func commit(final: Bool) throws(StorageError) {
        try load.commit(final: final)
        report.filesCommitted += uncommittedFiles
        uncommittedFiles = 0
    }
}
