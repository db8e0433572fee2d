/// Loads large amounts of data straight into blocks, bypassing the write-ahead log: samples are
/// buffered in an append-only log, sealed into blocks that no manifest names yet ("staged"), and made
/// live all at once by ``commit()``. A crash before the commit leaves the store exactly as it was (staged
/// blocks are removed on the next open); memory stays bounded by ``StoreOptions/bulkSampleLimit``.
///
/// This is what `sundial ingest` uses: it marks file boundaries with ``beginFile()``/``endFile()`` and
/// commits only at boundaries, so a file is stored whole or not at all.
///
/// ```swift
/// let load = try store.bulkLoad()
/// let ref = try store.reference(for: LabelSet(name: "service_requests"))
/// load.beginFile()
/// try load.append(ref, timestampMs: 1_732_400_000_000, value: 1)
/// try load.endFile()
/// try load.commit()
/// ```
public final class BulkLoad {
    private let store: Store
    private var log = Batch()
    private var metadata: [String: MetricMetadata] = [:]
    private var knownSeries = 0
    private var staged: [BlockSummary] = []
    /// Staged blocks holding part of the file in progress (only when one file outgrows the buffer).
    private var stagedInFile: [BlockSummary] = []
    private var fileStart = 0
    private var isInFile = false
    private var stagedSamples = 0
    private var samplesBeforeFile = 0

    init(store: Store) {
        self.store = store
    }

    /// Samples appended and not yet committed.
    public var pendingSamples: Int { stagedSamples + log.sampleCount }

    /// Starts a unit that ``abandonFile()`` can take back.
    public func beginFile() {
        stagedInFile.removeAll()
        fileStart = log.sampleCount
        samplesBeforeFile = pendingSamples
        isInFile = true
    }

    /// Appends one sample for a series from ``Store/reference(for:)``.
    public func append(_ series: SeriesReference, timestampMs: Int64, value: Double) throws(StorageError) {
        if Int(series.id) >= knownSeries { try refreshKnownSeries(series.id) }
        log.append(series, timestampMs: timestampMs, value: value)
        if log.sampleCount >= store.options.bulkSampleLimit { try stageWithinFile() }
    }

    /// Appends every sample of `batch` (its metadata too): the fast path for many samples at once.
    public func append(_ batch: Batch) throws(StorageError) {
        if let highest = batch.series.max(), Int(highest) >= knownSeries { try refreshKnownSeries(highest) }
        log.append(contentsOf: batch)
        for record in batch.metadata { setMetadata(record) }
        if log.sampleCount >= store.options.bulkSampleLimit { try stageWithinFile() }
    }

    private func refreshKnownSeries(_ id: UInt32) throws(StorageError) {
        knownSeries = store.writer.withLock { $0.registry.labels.count }
        guard Int(id) < knownSeries else { throw .invalidArgument("series reference \(id) was not issued by this store") }
    }

    /// Records a metric family's metadata.
    public func setMetadata(_ record: MetricMetadata) {
        metadata[record.name] = metadata[record.name].map { $0.merged(with: record) } ?? record
    }

    /// Ends the unit begun by ``beginFile()``; seals the buffer into staged blocks when it is half full.
    public func endFile() throws(StorageError) {
        isInFile = false
        if log.sampleCount >= store.options.bulkSampleLimit / 2 { _ = try stage() }
    }

    private func stageWithinFile() throws(StorageError) {
        let blocks = try stage()
        if isInFile { stagedInFile.append(contentsOf: blocks) }
        fileStart = 0
    }

    /// Takes back every sample appended since ``beginFile()``. When the file outgrew the buffer, the
    /// blocks staged meanwhile are removed too; with them go samples of earlier files not yet committed,
    /// so callers that may abandon files commit after every file.
    /// - Returns: the number of samples dropped.
    @discardableResult
    public func abandonFile() -> Int {
        defer { isInFile = false }
        let before = pendingSamples
        if !stagedInFile.isEmpty {
            let names = Set(stagedInFile.map(\.name))
            for block in stagedInFile { try? FileSystem.remove(store.blocksDirectory + "/" + block.name) }
            staged.removeAll { names.contains($0.name) }
            stagedSamples = staged.reduce(0) { $0 + $1.sampleCount }
            log.removeAll()
            stagedInFile.removeAll()
        } else {
            log.truncate(to: fileStart)
        }
        return before - pendingSamples
    }

    /// Sorts the log by series (a stable counting sort), resolves out-of-order and repeated samples
    /// (the later append wins), and writes blocks that no manifest names yet.
    private func stage() throws(StorageError) -> [BlockSummary] {
        guard log.sampleCount > 0 else { return [] }
        let labels = store.writer.withLock { $0.registry.labels }
        var counts = [Int](repeating: 0, count: labels.count + 1)
        for id in log.series { counts[Int(id) + 1] += 1 }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        var starts = counts
        var timestamps = [Int64](repeating: 0, count: log.sampleCount)
        var values = [Double](repeating: 0, count: log.sampleCount)
        for i in 0..<log.sampleCount {
            let id = Int(log.series[i])
            timestamps[starts[id]] = log.timestamps[i]
            values[starts[id]] = log.values[i]
            starts[id] += 1
        }
        log.removeAll()
        var seriesLabels: [LabelSet] = []
        var runs: [(timestamps: [Int64], values: [Double])] = []
        for id in 0..<labels.count where counts[id + 1] > counts[id] {
            seriesLabels.append(labels[id])
            runs.append(Self.sortedRun(timestamps[counts[id]..<counts[id + 1]], values[counts[id]..<counts[id + 1]]))
        }
        // The runs are copies: let the sorted columns go before encoding, so peak memory holds one set.
        timestamps = []
        values = []
        let records = Array(metadata.values)
        let blocks = try store.writer.withLock { (state) throws(StorageError) in
            guard !state.isClosed else { throw StorageError.closed }
            return try store.writeBlocks(labels: seriesLabels, runs: runs, metadata: records, &state)
        }
        staged.append(contentsOf: blocks)
        stagedSamples += blocks.reduce(0) { $0 + $1.sampleCount }
        return blocks
    }

    /// A series' samples in append order, sorted by time with repeats resolved (the later append wins).
    static func sortedRun(_ ts: ArraySlice<Int64>, _ vs: ArraySlice<Double>) -> (timestamps: [Int64], values: [Double]) {
        var increasing = true
        var i = ts.startIndex + 1
        while i < ts.endIndex {
            if ts[i] <= ts[i - 1] {
                increasing = false
                break
            }
            i += 1
        }
        if increasing { return (Array(ts), Array(vs)) }
        let base = ts.startIndex
        var order = Array(0..<ts.count)
        order.sort { ts[base + $0] != ts[base + $1] ? ts[base + $0] < ts[base + $1] : $0 < $1 }
        var outT: [Int64] = []
        var outV: [Double] = []
        outT.reserveCapacity(ts.count)
        outV.reserveCapacity(ts.count)
        for i in order {
            let t = ts[base + i]
            if outT.last == t {
                outV[outV.count - 1] = vs[base + i]
            } else {
                outT.append(t)
                outV.append(vs[base + i])
            }
        }
        return (outT, outV)
    }

    /// Makes everything appended so far live in one manifest change, then compacts as configured.
    /// - Parameter final: false for a commit with more to come: the open day's 2 h windows are then
    ///   merged only by the final commit, instead of being rewritten at every commit of a long load.
    /// - Returns: the number of samples committed.
    @discardableResult
    public func commit(final: Bool = true) throws(StorageError) -> Int {
        _ = try stage()
        let blocks = staged
        let committed = stagedSamples
        try store.writer.withLock { (state) throws(StorageError) in
            guard !state.isClosed else { throw StorageError.closed }
            if !blocks.isEmpty {
                try store.addBlocks(blocks, &state)
                // Live now: a failure of the compaction below must not let abort() remove them.
                forgetStaged()
                try store.maintain(&state, openWindows: final)
            }
        }
        forgetStaged()
        return committed
    }

    private func forgetStaged() {
        staged.removeAll()
        stagedInFile.removeAll()
        stagedSamples = 0
    }

    /// Drops everything not committed, staged blocks included.
    public func abort() {
        for block in staged { try? FileSystem.remove(store.blocksDirectory + "/" + block.name) }
        staged.removeAll()
        stagedInFile.removeAll()
        stagedSamples = 0
        log.removeAll()
    }
}

extension Store {
    /// Starts a bulk load (see ``BulkLoad``).
    /// - Throws: ``StorageError/readOnly(store:)`` on a read-only store.
    public func bulkLoad() throws(StorageError) -> BulkLoad {
        guard !options.readOnly else { throw .readOnly(store: directory) }
        return BulkLoad(store: self)
    }
}
