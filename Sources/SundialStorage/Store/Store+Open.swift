extension Store {
    /// Opens the store at `path`, creating it when it does not exist.
    ///
    /// A writer takes the lock, removes what an interrupted seal or compaction left behind, replays the
    /// write-ahead log (cutting a torn tail at the last whole frame) and is ready to commit. A read-only
    /// open takes no lock and sees what was committed when it opened.
    /// - Throws: ``StorageError/locked(store:holder:)`` when another writer holds the store;
    ///   ``StorageError/corruptManifest(path:reason:)``; I/O errors. A damaged block does not fail the
    ///   open: it is left out and listed by ``Snapshot/damagedBlocks`` and ``check()``.
    public static func open(at path: String, options: StoreOptions = StoreOptions()) throws(StorageError) -> Store {
        let directory = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        if options.readOnly {
            guard FileSystem.isDirectory(directory) else {
                throw .io(path: directory, operation: "open store", errno: 2)
            }
            return try openReadOnly(directory: directory, options: options)
        }
        try FileSystem.createDirectories(directory)
        let lock = try WriterLock.acquire(directory: directory)
        let blocksDirectory = directory + "/blocks"
        let walDirectory = directory + "/" + WriteAheadLog.directoryName
        try FileSystem.createDirectory(blocksDirectory)
        try FileSystem.createDirectory(walDirectory)

        let manifestPath = directory + "/" + Manifest.fileName
        var manifest = Manifest()
        if FileSystem.exists(manifestPath) {
            manifest = try Manifest(parsing: SystemFile.openForReading(manifestPath).readAll(), path: manifestPath)
        } else {
            try refuseMissingManifest(manifestPath, blocksDirectory: blocksDirectory)
            try FileSystem.writeAtomically(manifest.serialized(), to: manifestPath, directory: directory)
        }
        try FileSystem.remove(manifestPath + ".tmp")

        // Files no manifest names are leftovers of an interrupted seal or compaction; their data is
        // still in the write-ahead log or in the blocks they were merged from.
        let live = Set(manifest.blocks.map(\.name))
        for name in FileSystem.list(blocksDirectory) where name.hasSuffix(".tmp") || (name.hasSuffix(BlockFile.suffix) && !live.contains(name)) {
            try FileSystem.remove(blocksDirectory + "/" + name)
        }
        let (blocks, damaged) = openBlocks(manifest.blocks, in: blocksDirectory)

        let head = Head()
        var segments = WriteAheadLog.segments(in: walDirectory)
        for segment in segments where segment < manifest.walStartSegment {
            try FileSystem.remove(WriteAheadLog.path(directory: walDirectory, segment: segment))
        }
        segments.removeAll { $0 < manifest.walStartSegment }
        var cuts: [WriteAheadCut] = []
        for segment in segments {
            let segmentPath = WriteAheadLog.path(directory: walDirectory, segment: segment)
            let result = try WriteAheadLog.read(path: segmentPath)
            try replay(result.payloads, into: head, path: segmentPath)
            if let cut = try cutDamage(result, path: segmentPath, isNewest: segment == segments.last) { cuts.append(cut) }
        }
        // Each segment numbers series on its own; appending continues in a fresh segment so the new
        // segment's definitions match the head's references.
        let startSegment = max((segments.last ?? manifest.walStartSegment - 1) + 1, manifest.walStartSegment)
        let wal = try WriteAheadLog(directory: walDirectory, segment: startSegment, sync: options.syncOnCommit)

        var writerState = WriterState(manifest: manifest, wal: wal)
        writerState.writeAheadCuts = cuts
        for series in head.series { _ = writerState.registry.reference(for: series.labels) }
        head.markAllUnlogged()
        for i in head.series.indices { writerState.registry.headRefs[i] = UInt32(i) }
        let store = Store(directory: directory, options: options, lock: lock, writer: writerState,
                          published: PublishedState(blocks: blocks, head: head, damagedBlocks: damaged))
        return store
    }

    private static func openReadOnly(directory: String, options: StoreOptions) throws(StorageError) -> Store {
        let manifestPath = directory + "/" + Manifest.fileName
        let walDirectory = directory + "/" + WriteAheadLog.directoryName
        // A writer may seal or compact while this reads: retry until the manifest is the same
        // before and after, so the blocks and the log replayed belong together.
        var attempt = 0
        while true {
            attempt += 1
            if !FileSystem.exists(manifestPath) { try refuseMissingManifest(manifestPath, blocksDirectory: directory + "/blocks") }
            let manifest = FileSystem.exists(manifestPath)
                ? try Manifest(parsing: SystemFile.openForReading(manifestPath).readAll(), path: manifestPath)
                : Manifest()
            let (blocks, damaged) = openBlocks(manifest.blocks, in: directory + "/blocks")
            let head = Head()
            var vanished = blocks.count + damaged.count < manifest.blocks.count
            for segment in WriteAheadLog.segments(in: walDirectory) where segment >= manifest.walStartSegment {
                let path = WriteAheadLog.path(directory: walDirectory, segment: segment)
                guard FileSystem.exists(path) else { vanished = true; break }
                let result = try WriteAheadLog.read(path: path)
                try replay(result.payloads, into: head, path: path)
            }
            vanished = vanished || damaged.contains { error in
                if case .io = error.error { return true } else { return false }
            }
            let after = FileSystem.exists(manifestPath)
                ? (try? Manifest(parsing: SystemFile.openForReading(manifestPath).readAll(), path: manifestPath))
                : Manifest()
            if (after == manifest && !vanished) || attempt >= 20 {
                return Store(directory: directory, options: options, lock: nil,
                             writer: WriterState(manifest: manifest, wal: nil),
                             published: PublishedState(blocks: blocks, head: head, damagedBlocks: damaged))
            }
        }
    }

    static func openBlocks(_ summaries: [BlockSummary], in directory: String) -> ([BlockReader], [(name: String, error: StorageError)]) {
        var blocks: [BlockReader] = []
        var damaged: [(name: String, error: StorageError)] = []
        for summary in summaries {
            do throws(StorageError) {
                blocks.append(try BlockReader(path: directory + "/" + summary.name, level: summary.level))
            } catch {
                damaged.append((summary.name, error))
            }
        }
        return (blocks, damaged)
    }

    /// Applies the batches of one segment, mapping the segment's series numbers to head references.
    static func replay(_ payloads: [[UInt8]], into head: Head, path: String) throws(StorageError) {
        var segmentRefs: [UInt32: UInt32] = [:]
        for (i, payload) in payloads.enumerated() {
            do throws(FormatError) {
                var batch = try withBytes(payload) { (raw) throws(FormatError) in try WriteAheadBatch(parsing: raw) }
                for (ref, labels) in batch.newSeries { segmentRefs[ref] = head.reference(for: labels) }
                for j in batch.refs.indices {
                    guard let mapped = segmentRefs[batch.refs[j]] else {
                        throw FormatError("a sample names series \(batch.refs[j]), which the segment never defined")
                    }
                    batch.refs[j] = mapped
                }
                batch.newSeries = []
                try head.apply(batch)
            } catch {
                throw .corruptWriteAhead(path: path, offset: i, reason: "record \(i): \(error.message)")
            }
        }
    }
}
