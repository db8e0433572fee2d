/// Loads large amounts of data straight into blocks, bypassing the write-ahead log: samples are
/// buffered as compact per-series streams (``SeriesStreams``), sealed into blocks that no manifest
/// names yet ("staged"), one per ``StoreOptions/blockRangeMs`` window, and made live all at once by
/// ``commit(final:)``. A crash before the commit leaves the store exactly as it was (staged blocks are
/// removed on the next open); memory stays bounded by ``StoreOptions/bulkBufferBytes`` and
/// ``StoreOptions/bulkSampleLimit``.
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
    /// The samples of the file in progress, as appended (so that ``abandonFile()`` can take them back).
    private var log = Batch()
    /// Samples of finished files (and of a file that outgrew ``log``), not yet in blocks.
    private var buffer: SeriesStreams
    private var metadata: [String: MetricMetadata] = [:]
    private var knownSeries = 0
    private var staged: [BlockSummary] = []
    /// True when part of the file in progress left ``log`` (the file outgrew it).
    private var fileSpilled = false
    private var isInFile = false
    private var stagedSamples = 0
    /// Per store-wide series id, its rank in label order (for ``knownSeries`` ids).
    private var labelOrder: [UInt32] = []

    init(store: Store) {
        self.store = store
        self.buffer = SeriesStreams(windowMs: store.options.blockRangeMs)
    }

    /// The length of the aligned windows blocks are cut by (``StoreOptions/blockRangeMs``): a caller
    /// that commits as a window begins keeps each window in one block.
    public var windowMs: Int64 { store.options.blockRangeMs }

    /// Samples appended and not yet committed.
    public var pendingSamples: Int { stagedSamples + buffer.sampleCount + log.sampleCount }

    /// Starts a unit that ``abandonFile()`` can take back.
    public func beginFile() {
        if log.sampleCount > 0 { buffer.append(contentsOf: log) }
        log.removeAll()
        fileSpilled = false
        isInFile = true
    }

    /// Appends one sample for a series from ``Store/reference(for:)``.
    public func append(_ series: SeriesReference, timestampMs: Int64, value: Double) throws(StorageError) {
        if Int(series.id) >= knownSeries { try refreshKnownSeries(series.id) }
        log.append(series, timestampMs: timestampMs, value: value)
        if log.sampleCount >= store.options.bulkSampleLimit { try spill() }
    }

    /// Appends every sample of `batch` (its metadata too): the fast path for many samples at once.
    public func append(_ batch: Batch) throws(StorageError) {
        if let highest = batch.series.max(), Int(highest) >= knownSeries { try refreshKnownSeries(highest) }
        log.append(contentsOf: batch)
        for record in batch.metadata { setMetadata(record) }
        if log.sampleCount >= store.options.bulkSampleLimit { try spill() }
    }

    private func refreshKnownSeries(_ id: UInt32) throws(StorageError) {
        knownSeries = store.writer.withLock { $0.registry.labels.count }
        guard Int(id) < knownSeries else { throw .invalidArgument("series reference \(id) was not issued by this store") }
    }

    /// Records a metric family's metadata.
    public func setMetadata(_ record: MetricMetadata) {
        metadata[record.name] = metadata[record.name].map { $0.merged(with: record) } ?? record
    }

    /// Ends the unit begun by ``beginFile()``; seals the buffer into staged blocks when it is full.
    public func endFile() throws(StorageError) {
        isInFile = false
        buffer.append(contentsOf: log)
        log.removeAll()
        if buffer.bytes >= store.options.bulkBufferBytes { _ = try stage() }
    }

    /// Moves the file in progress into the buffer (it outgrew ``StoreOptions/bulkSampleLimit``).
    private func spill() throws(StorageError) {
        if isInFile { fileSpilled = true }
        buffer.append(contentsOf: log)
        log.removeAll()
        if buffer.bytes >= store.options.bulkBufferBytes { _ = try stage() }
    }

    /// Takes back every sample appended since ``beginFile()``. When the file outgrew the buffer for the
    /// file in progress, everything not yet committed goes (earlier files' samples and staged blocks
    /// too), so callers that may abandon files commit after every file.
    /// - Returns: the number of samples dropped.
    @discardableResult
    public func abandonFile() -> Int {
        defer { isInFile = false }
        let before = pendingSamples
        if fileSpilled {
            abort()
            fileSpilled = false
        } else {
            log.removeAll()
        }
        return before - pendingSamples
    }

    /// Writes the buffer into blocks that no manifest names yet, one per window it touches.
    private func stage() throws(StorageError) -> [BlockSummary] {
        guard !buffer.isEmpty else { return [] }
        let labels = store.writer.withLock { $0.registry.labels }
        if labelOrder.count != labels.count {
            var ranked = [UInt32](repeating: 0, count: labels.count)
            for (rank, id) in labels.indices.sorted(by: { labels[$0] < labels[$1] }).enumerated() {
                ranked[id] = UInt32(rank)
            }
            labelOrder = ranked
        }
        let records = Array(metadata.values)
        let blocks = try store.writer.withLock { (state) throws(StorageError) in
            guard !state.isClosed else { throw StorageError.closed }
            // A head frozen by earlier commits goes first, so its blocks rank below these by name.
            try store.finishSeal(&state)
            return try store.writeBlocks(from: buffer, labels: labels, order: labelOrder, metadata: records, &state)
        }
        buffer.removeAll()
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
        buffer.append(contentsOf: log)
        log.removeAll()
        _ = try stage()
        let blocks = staged
        let committed = stagedSamples
        try store.writer.withLock { (state) throws(StorageError) in
            guard !state.isClosed else { throw StorageError.closed }
            try store.finishSeal(&state)
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
        stagedSamples = 0
    }

    /// Drops everything not committed, staged blocks included.
    public func abort() {
        for block in staged { try? FileSystem.remove(store.blocksDirectory + "/" + block.name) }
        staged.removeAll()
        stagedSamples = 0
        log.removeAll()
        buffer.removeAll()
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
