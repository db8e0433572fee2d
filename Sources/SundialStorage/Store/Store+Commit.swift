/// What a commit did.
public struct CommitSummary: Sendable, Equatable {
    /// Samples written.
    public var samples: Int
    /// Series seen for the first time since the head was last sealed.
    public var newSeries: Int
    /// Blocks published by this commit: those of a head frozen at its limit earlier, whose blocks are
    /// written in the background and published by a later commit (or ``Store/flush()``, or ``Store/close()``).
    public var sealedBlocks: Int
}

extension Store {
    /// Makes every sample and metadata record of `batch` durable (one write-ahead frame, fsynced
    /// when ``StoreOptions/syncOnCommit``) and then visible to new snapshots, all at once.
    ///
    /// Samples may arrive in any order and may repeat: a repeated (series, timestamp) keeps one
    /// sample, the value committed last.
    /// - Throws: ``StorageError/readOnly(store:)``, ``StorageError/closed``, I/O errors (then nothing of
    ///   the batch is stored).
    @discardableResult
    public func commit(_ batch: Batch) throws(StorageError) -> CommitSummary {
        guard !options.readOnly else { throw .readOnly(store: directory) }
        return try writer.withLock { (state) throws(StorageError) -> CommitSummary in
            guard !state.isClosed, let wal = state.wal else { throw StorageError.closed }
            let head = published.withLock { $0.head }
            var record = WriteAheadBatch()
            record.metadata = batch.metadata
            record.refs.reserveCapacity(batch.series.count)
            var created: [(UInt32, LabelSet)] = []
            var assignedIDs: [UInt32] = []
            for id in batch.series {
                guard Int(id) < state.registry.headRefs.count else {
                    throw StorageError.invalidArgument("series reference \(id) was not issued by this store")
                }
                var ref = state.registry.headRefs[Int(id)]
                if ref == .max {
                    ref = UInt32(head.series.count + created.count)
                    created.append((ref, state.registry.labels[Int(id)]))
                    state.registry.headRefs[Int(id)] = ref
                    assignedIDs.append(id)
                    record.newSeries.append((ref, state.registry.labels[Int(id)]))
                }
                record.refs.append(ref)
            }
            // Series already in the head but defined in an earlier segment need a definition here too.
            var definedHere = Set(record.newSeries.map(\.ref))
            for ref in record.refs where Int(ref) < head.series.count && !head.series[Int(ref)].isLogged && !definedHere.contains(ref) {
                record.newSeries.append((ref, head.series[Int(ref)].labels))
                definedHere.insert(ref)
            }
            record.timestamps = batch.timestamps
            record.values = batch.values
            do throws(StorageError) {
                try wal.append(record.serialized())
            } catch {
                // Undo the head references handed out for this batch: the head never saw them.
                for id in assignedIDs { state.registry.headRefs[Int(id)] = .max }
                throw error
            }
            published.withLock { published in
                for (_, labels) in created { _ = published.head.reference(for: labels) }
                for ref in definedHere { published.head.markLogged(ref) }
                for metadata in batch.metadata { published.head.record(metadata) }
                published.head.append(refs: record.refs, timestamps: record.timestamps, values: record.values)
            }
            // Blocks of a head frozen earlier are published once written; a head at its limit is frozen (and
            // the previous one, if still being written, waited for).
            var sealed = state.commitsPublishFrozenHeads ? try finishSeal(&state, wait: false) : 0
            if head.sampleCount >= options.headSampleLimit {
                sealed += try freeze(&state)
            }
            return CommitSummary(samples: batch.series.count, newSeries: created.count, sealedBlocks: sealed)
        }
    }

    /// Seals everything in the head into blocks now (and compacts when automatic compaction is on).
    /// - Returns: the number of blocks written.
    @discardableResult
    public func flush() throws(StorageError) -> Int {
        guard !options.readOnly else { throw .readOnly(store: directory) }
        return try writer.withLock { (state) throws(StorageError) -> Int in
            guard !state.isClosed else { throw StorageError.closed }
            return try seal(&state)
        }
    }
}
