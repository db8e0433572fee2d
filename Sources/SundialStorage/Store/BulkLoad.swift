/// Loads large amounts of data straight into blocks, bypassing the write-ahead log: samples are
/// buffered, sealed into blocks that no manifest names yet ("staged"), and made live all at once
/// by ``commit()``. A crash before the commit leaves the store exactly as it was (staged blocks are
/// removed on the next open); memory stays bounded by ``StoreOptions/headSampleLimit``.
///
/// This is what `sundial ingest` uses: it marks file boundaries with ``beginFile()``/``endFile()`` and
/// commits only at boundaries, so a file is stored whole or not at all.
///
/// ```swift
/// let load = try store.bulkLoad()
/// let ref = try store.reference(for: LabelSet(name: "service_requests"))
/// load.beginFile()
/// load.append(ref, timestampMs: 1_732_400_000_000, value: 1)
/// try load.endFile()
/// try load.commit()
/// ```
public final class BulkLoad {
    private let store: Store
    private var buffer = Head()
    private var localRefs: [UInt32] = []
    private var staged: [BlockSummary] = []
    /// Staged blocks holding part of the file in progress (only when one file outgrows the buffer).
    private var stagedInFile: [BlockSummary] = []
    private var fileNumber: UInt32 = 0
    private var fileStamps: [UInt32] = []
    private var fileJournal: [(ref: UInt32, count: Int)] = []
    private var fileSamples = 0
    private var isInFile = false
    /// Samples appended and not yet committed.
    public private(set) var pendingSamples = 0

    init(store: Store) {
        self.store = store
    }

    /// Starts a unit that ``abandonFile()`` can take back.
    public func beginFile() {
        fileNumber &+= 1
        fileJournal.removeAll(keepingCapacity: true)
        stagedInFile.removeAll()
        fileSamples = 0
        isInFile = true
    }

    /// Appends one sample for a series from ``Store/reference(for:)``.
    public func append(_ series: SeriesReference, timestampMs: Int64, value: Double) throws(StorageError) {
        let id = Int(series.id)
        while localRefs.count <= id { localRefs.append(.max) }
        var ref = localRefs[id]
        if ref == .max {
            let labels = store.writer.withLock { state in id < state.registry.labels.count ? state.registry.labels[id] : nil }
            guard let labels else { throw .invalidArgument("series reference \(id) was not issued by this store") }
            ref = buffer.reference(for: labels)
            localRefs[id] = ref
        }
        while fileStamps.count <= Int(ref) { fileStamps.append(0) }
        if isInFile && fileStamps[Int(ref)] != fileNumber {
            fileStamps[Int(ref)] = fileNumber
            fileJournal.append((ref, buffer.series[Int(ref)].count))
        }
        buffer.append(ref: ref, timestampMs: timestampMs, value: value)
        pendingSamples += 1
        fileSamples += 1
        if buffer.sampleCount >= store.options.headSampleLimit * 2 {
            let blocks = try stage()
            if isInFile { stagedInFile.append(contentsOf: blocks) }
        }
    }

    /// Records a metric family's metadata.
    public func setMetadata(_ record: MetricMetadata) {
        buffer.record(record)
    }

    /// Ends the unit begun by ``beginFile()``; seals the buffer into staged blocks when it is full.
    public func endFile() throws(StorageError) {
        isInFile = false
        if buffer.sampleCount >= store.options.headSampleLimit { _ = try stage() }
    }

    /// Takes back every sample appended since ``beginFile()``. When the file outgrew the buffer, the
    /// blocks staged meanwhile are removed too; with them go samples of earlier files not yet committed,
    /// so callers that may abandon files commit after every file.
    /// - Returns: the number of samples dropped.
    @discardableResult
    public func abandonFile() -> Int {
        defer { isInFile = false }
        if !stagedInFile.isEmpty {
            let names = Set(stagedInFile.map(\.name))
            for block in stagedInFile { try? FileSystem.remove(store.blocksDirectory + "/" + block.name) }
            let dropped = pendingSamples
            staged.removeAll { names.contains($0.name) }
            pendingSamples = staged.reduce(0) { $0 + $1.sampleCount }
            buffer = Head()
            localRefs.removeAll()
            fileStamps.removeAll()
            stagedInFile.removeAll()
            return dropped - pendingSamples
        }
        for (ref, count) in fileJournal { buffer.series[Int(ref)].truncate(to: count) }
        buffer.recount()
        pendingSamples -= fileSamples
        let dropped = fileSamples
        fileSamples = 0
        return dropped
    }

    private func stage() throws(StorageError) -> [BlockSummary] {
        guard !buffer.isEmpty else { return [] }
        let head = buffer
        let blocks = try store.writer.withLock { (state) throws(StorageError) in
            guard !state.isClosed else { throw StorageError.closed }
            return try store.writeBlocks(from: head, &state)
        }
        staged.append(contentsOf: blocks)
        let metadata = buffer.metadata
        buffer = Head()
        for record in metadata.values { buffer.record(record) }
        localRefs.removeAll(keepingCapacity: true)
        fileStamps.removeAll(keepingCapacity: true)
        return blocks
    }

    /// Makes everything appended so far live in one manifest change, then compacts as configured.
    /// - Returns: the number of samples committed.
    @discardableResult
    public func commit() throws(StorageError) -> Int {
        _ = try stage()
        let blocks = staged
        let committed = pendingSamples
        try store.writer.withLock { (state) throws(StorageError) in
            guard !state.isClosed else { throw StorageError.closed }
            if !blocks.isEmpty {
                try store.addBlocks(blocks, &state)
                try store.maintain(&state)
            }
        }
        staged.removeAll()
        pendingSamples = 0
        return committed
    }

    /// Drops everything not committed, staged blocks included.
    public func abort() {
        for block in staged { try? FileSystem.remove(store.blocksDirectory + "/" + block.name) }
        staged.removeAll()
        buffer = Head()
        localRefs.removeAll()
        fileStamps.removeAll()
        pendingSamples = 0
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
