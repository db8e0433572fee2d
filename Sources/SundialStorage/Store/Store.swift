/// A Sundial store: a directory of immutable blocks, a write-ahead log and a manifest, with one
/// writer (enforced by a file lock) and any number of readers, each on a consistent ``Snapshot``.
///
/// ```swift
/// let store = try Store.open(at: "./sundial-data")
/// let requests = try store.reference(for: LabelSet(name: "service_requests", ["operation": "StartWorkflowExecution"]))
/// var batch = store.makeBatch()
/// batch.append(requests, timestampMs: 1_732_400_000_000, value: 10)
/// try store.commit(batch)
///
/// let snapshot = store.snapshot()
/// for series in try snapshot.select([.equal("__name__", "service_requests")]) {
///     try series.forEachSample { sample in print(series.labels, sample) }
/// }
/// ```
public final class Store: Sendable {
    /// The store directory.
    public let directory: String
    /// The options it was opened with.
    public let options: StoreOptions
    let lock: WriterLock?
    let writer: Locked<WriterState>
    let published: Locked<PublishedState>

    var blocksDirectory: String { directory + "/blocks" }
    var walDirectory: String { directory + "/" + WriteAheadLog.directoryName }
    var manifestPath: String { directory + "/" + Manifest.fileName }

    init(directory: String, options: StoreOptions, lock: WriterLock?, writer: sending WriterState, published: sending PublishedState) {
        self.directory = directory
        self.options = options
        self.lock = lock
        self.writer = Locked(writer)
        self.published = Locked(published)
    }

    /// A new, empty batch for ``commit(_:)``.
    public func makeBatch() -> Batch { Batch() }

    /// The reference of the series with `labels`, registering it when new. References stay valid
    /// for this store handle's lifetime; registering alone stores nothing.
    /// - Throws: ``StorageError/readOnly(store:)`` on a read-only store; ``StorageError/invalidArgument(_:)``
    ///   for a label set without a metric name.
    public func reference(for labels: LabelSet) throws(StorageError) -> SeriesReference {
        guard !options.readOnly else { throw .readOnly(store: directory) }
        guard !labels.metricName.isEmpty else {
            throw .invalidArgument("a series needs a metric name (the __name__ label): \(labels)")
        }
        return writer.withLock { $0.registry.reference(for: labels) }
    }

    /// Closes the store: the write-ahead log is closed and the lock released. Data committed is
    /// already durable; the head is not sealed (it is replayed on the next open). Use ``flush()``
    /// first to seal it.
    public func close() {
        writer.withLock { state in
            // A head frozen at its limit is published first; should that fail, the log still holds it.
            _ = try? finishSeal(&state)
            state.wal?.close()
            state.wal = nil
            state.isClosed = true
        }
        lock?.release()
    }
}

/// Maps label sets to store-wide series ids for the writer.
struct SeriesRegistry {
    private(set) var labels: [LabelSet] = []
    private var ids: [LabelSet: UInt32] = [:]
    /// Per store-wide id: its reference in the current head, or `UInt32.max` when it has none yet.
    var headRefs: [UInt32] = []

    mutating func reference(for set: LabelSet) -> SeriesReference {
        if let id = ids[set] { return SeriesReference(id: id) }
        let id = UInt32(labels.count)
        labels.append(set)
        ids[set] = id
        headRefs.append(.max)
        return SeriesReference(id: id)
    }

    /// Forgets every head reference (after the head was sealed and replaced).
    mutating func resetHeadReferences() {
        for i in headRefs.indices { headRefs[i] = .max }
    }
}

/// What only the writer touches.
struct WriterState {
    var manifest: Manifest
    var wal: WriteAheadLog?
    var registry = SeriesRegistry()
    var isClosed = false
    /// What the writer's open cut from write-ahead segments; ``Store/check(repair:)`` reports it.
    var writeAheadCuts: [WriteAheadCut] = []
    /// The head frozen at its limit whose blocks are not yet in the manifest (at most one).
    var frozen: FrozenHead?
    /// False keeps commits from publishing a frozen head's finished blocks (only a freeze, ``Store/flush()``,
    /// ``Store/close()`` and the other writers of blocks do): a seam for tests that need a frozen head to
    /// stay unpublished.
    var commitsPublishFrozenHeads = true
}

/// What readers see: the live blocks and the head, swapped together under one lock.
struct PublishedState {
    var blocks: [BlockReader]
    var head: Head
    /// A head frozen at its limit while its blocks are written: readable until they replace it.
    var frozen: Head? = nil
    /// Blocks listed in the manifest that failed to open, with why.
    var damagedBlocks: [(name: String, error: StorageError)]
}
