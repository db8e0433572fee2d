extension Store {
    /// Writes a block named from the manifest's sequence into `blocks/`.
    /// - Parameters:
    ///   - series: every series the block may hold, sorted by labels.
    ///   - windows: the chunk windows, in time order, as half-open `[start, end)` ranges.
    ///   - samples: the sorted samples of series `i` inside a window.
    func writeBlock(
        _ state: inout WriterState, series: [LabelSet], metadata: [MetricMetadata], windows: [(Int64, Int64)], level: Int,
        samples: (Int, Int64, Int64) throws(StorageError) -> (timestamps: [Int64], values: [Double])
    ) throws(StorageError) -> BlockSummary? {
        let sequence = state.manifest.nextBlockSequence
        state.manifest.nextBlockSequence += 1
        return try writeBlock(sequence: sequence, series: series, metadata: metadata, windows: windows, level: level, samples: samples)
    }

    /// Writes a block named from `sequence` into `blocks/` (see ``writeBlock(_:series:metadata:windows:level:samples:)``).
    func writeBlock(
        sequence: UInt64, series: [LabelSet], metadata: [MetricMetadata], windows: [(Int64, Int64)], level: Int,
        samples: (Int, Int64, Int64) throws(StorageError) -> (timestamps: [Int64], values: [Double])
    ) throws(StorageError) -> BlockSummary? {
        let digits = String(sequence)
        let name = String(repeating: "0", count: max(0, 10 - digits.count)) + digits + BlockFile.suffix
        let writer = try BlockWriter(path: blocksDirectory + "/" + name, series: series, metadata: metadata)
        let references = HistogramReferences(series)
        // A reference's run is kept only until its last dependent is written: a window's buckets of
        // thousands of histograms would otherwise all stay in memory at once.
        var lastDependent = [Int](repeating: -1, count: series.count)
        for i in series.indices { if let reference = references.referenceOf[i] { lastDependent[reference] = i } }
        var releasedAfter: [Int: [Int]] = [:]
        for (reference, last) in lastDependent.enumerated() where last >= 0 { releasedAfter[last, default: []].append(reference) }
        var referenceRuns: [Int: (timestamps: [Int64], values: [Double])] = [:]
        do throws(StorageError) {
            for (start, end) in windows {
                writer.beginWindow()
                referenceRuns.removeAll(keepingCapacity: true)
                for i in series.indices {
                    defer { if let released = releasedAfter[i] { for reference in released { referenceRuns[reference] = nil } } }
                    let run = try samples(i, start, end)
                    guard !run.timestamps.isEmpty else { continue }
                    if references.isReference[i] { referenceRuns[i] = run }
                    let referenceIndex = references.referenceOf[i]
                    let referenceRun = referenceIndex.flatMap { referenceRuns[$0] }
                    try run.timestamps.withUnsafeBufferPointer { (ts) throws(StorageError) in
                        try run.values.withUnsafeBufferPointer { (vs) throws(StorageError) in
                            if let referenceIndex, let referenceRun, referenceRun.timestamps == run.timestamps {
                                try referenceRun.values.withUnsafeBufferPointer { (rv) throws(StorageError) in
                                    try writer.addChunk(series: i, timestamps: ts, values: vs, reference: (referenceIndex, rv))
                                }
                            } else {
                                try writer.addChunk(series: i, timestamps: ts, values: vs)
                            }
                        }
                    }
                }
            }
            return try writer.finish(level: level)
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Writes the samples of `head` into blocks, one per aligned ``StoreOptions/blockRangeMs`` window
    /// it touches. The blocks are not yet in the manifest.
    func writeBlocks(from head: Head, _ state: inout WriterState) throws(StorageError) -> [BlockSummary] {
        try writeBlocks(from: head) { _ in
            let sequence = state.manifest.nextBlockSequence
            state.manifest.nextBlockSequence += 1
            return sequence
        }
    }

    /// Writes the samples of `head` into blocks, the block of the window starting at `window` named from
    /// `sequence(window)`. Reads `head` without the store's lock: only for a head no longer appended to.
    func writeBlocks(from head: Head, sequence: (Int64) -> UInt64) throws(StorageError) -> [BlockSummary] {
        let live = head.series.filter { $0.count > 0 }
        // A series that arrived in order is its own sorted run: shared with the head, not copied (the sealed
        // head takes no more appends, so nothing copies it later either).
        let runs = live.map { $0.isStrictlyIncreasing ? ($0.timestamps, $0.values) : $0.sortedSamples(upTo: $0.count) }
        return try writeBlocks(labels: live.map(\.labels), runs: runs, metadata: Array(head.metadata.values), sequence: sequence)
    }

    /// Writes sorted, de-duplicated runs (one per series in `labels`) into blocks, one per aligned
    /// ``StoreOptions/blockRangeMs`` window they touch. The blocks are not yet in the manifest.
    func writeBlocks(labels: [LabelSet], runs: [(timestamps: [Int64], values: [Double])], metadata: [MetricMetadata],
                     _ state: inout WriterState) throws(StorageError) -> [BlockSummary] {
        try writeBlocks(labels: labels, runs: runs, metadata: metadata) { _ in
            let sequence = state.manifest.nextBlockSequence
            state.manifest.nextBlockSequence += 1
            return sequence
        }
    }

    /// Writes sorted, de-duplicated runs into blocks (see ``writeBlocks(labels:runs:metadata:_:)``), the block of
    /// the window starting at `window` named from `sequence(window)`, asked in window order.
    func writeBlocks(labels: [LabelSet], runs: [(timestamps: [Int64], values: [Double])], metadata: [MetricMetadata],
                     sequence: (Int64) -> UInt64) throws(StorageError) -> [BlockSummary] {
        let range = options.blockRangeMs
        var byWindow: [Int64: [Int]] = [:]
        for (ref, run) in runs.enumerated() {
            // A run is sorted: find each window it touches from its first sample there, then jump past the
            // window with a binary search instead of dividing every timestamp.
            var i = 0
            while i < run.timestamps.count {
                let window = alignedStart(run.timestamps[i], range)
                byWindow[window, default: []].append(ref)
                let end = window &+ range
                i = run.timestamps.partitionPoint(from: i + 1) { $0 >= end }
            }
        }
        var written: [BlockSummary] = []
        do throws(StorageError) {
            for window in byWindow.keys.sorted() {
                let refs = (byWindow[window] ?? []).sorted { labels[$0] < labels[$1] }
                let summary = try writeBlock(sequence: sequence(window), series: refs.map { labels[$0] }, metadata: metadata,
                                             windows: [(window, window &+ range)], level: 0) { i, start, end in
                    SampleRuns.clip(runs[refs[i]], start, end &- 1)
                }
                if let summary { written.append(summary) }
            }
        } catch {
            for summary in written { try? FileSystem.remove(blocksDirectory + "/" + summary.name) }
            throw error
        }
        return written
    }

    /// Adds written blocks to the manifest and the published list; with `replacingFrozen`, readers stop
    /// seeing the frozen head in the same step (its samples are in the blocks).
    func addBlocks(_ written: [BlockSummary], walStartSegment: UInt64? = nil, replacingFrozen: Bool = false,
                   _ state: inout WriterState) throws(StorageError) {
        var readers: [BlockReader] = []
        for summary in written { readers.append(try BlockReader(path: blocksDirectory + "/" + summary.name, level: summary.level)) }
        var manifest = state.manifest
        manifest.blocks.append(contentsOf: written)
        manifest.blocks.sort { ($0.minTimeMs, $0.name) < ($1.minTimeMs, $1.name) }
        if let walStartSegment { manifest.walStartSegment = walStartSegment }
        try publish(manifest, in: &state, replacingFrozen: replacingFrozen) { blocks in blocks.append(contentsOf: readers) }
    }

    /// Seals the head into blocks on the calling thread, starts a new write-ahead segment and an empty head,
    /// then compacts and applies retention when configured; a head frozen earlier (``freeze(_:)``) is
    /// published first. Crash-safe at every step: until the manifest names the blocks, the log still holds
    /// their data.
    /// - Returns: the blocks published, the frozen head's included.
    func seal(_ state: inout WriterState) throws(StorageError) -> Int {
        let frozenBlocks = try finishSeal(&state)
        let head = published.withLock { $0.head }
        guard !head.isEmpty, let wal = state.wal else { return frozenBlocks }
        let written = try writeBlocks(from: head, &state)
        try wal.rotate()
        try addBlocks(written, walStartSegment: wal.segment, &state)
        published.withLock { $0.head = Head() }
        state.registry.resetHeadReferences()
        for segment in WriteAheadLog.segments(in: walDirectory) where segment < wal.segment {
            try FileSystem.remove(WriteAheadLog.path(directory: walDirectory, segment: segment))
        }
        try maintain(&state)
        return frozenBlocks + written.count
    }

    /// Compaction and retention, as the options ask.
    /// - Parameter openWindows: also merge within the open day's 2 h windows; a bulk load in progress
    ///   leaves that to its last commit, since each of its commits would otherwise rewrite them again.
    func maintain(_ state: inout WriterState, openWindows: Bool = true) throws(StorageError) {
        if options.compactAutomatically { _ = try compact(&state, openWindows: openWindows) }
        if let retention = options.retentionMs { _ = try applyRetention(&state, keepMs: retention) }
    }

    /// Writes `manifest` atomically, then changes the published block list with `update`.
    func publish(_ manifest: Manifest, in state: inout WriterState, replacingFrozen: Bool = false,
                 update: (inout [BlockReader]) -> Void) throws(StorageError) {
        var next = manifest
        next.generation += 1
        try FileSystem.writeAtomically(next.serialized(), to: manifestPath, directory: directory)
        state.manifest = next
        published.withLock { published in
            update(&published.blocks)
            if replacingFrozen { published.frozen = nil }
            let order = Dictionary(uniqueKeysWithValues: next.blocks.enumerated().map { ($1.name, $0) })
            published.blocks.sort { (order[$0.name] ?? 0) < (order[$1.name] ?? 0) }
        }
    }
}
