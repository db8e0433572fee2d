/// What a compaction or retention pass changed.
public struct MaintenanceSummary: Sendable, Equatable {
    /// Blocks removed (merged into others or dropped).
    public var removedBlocks: [String]
    /// Blocks written.
    public var addedBlocks: [String]
}

extension Store {
    /// Merges the blocks of each aligned ``StoreOptions/compactionRangeMs`` window into one block,
    /// resolving overlaps (the value written last wins for a repeated timestamp), whether or not newer
    /// data has arrived after the window.
    @discardableResult
    public func compact() throws(StorageError) -> MaintenanceSummary {
        guard !options.readOnly else { throw .readOnly(store: directory) }
        return try writer.withLock { (state) throws(StorageError) in
            try finishSeal(&state)
            return try compact(&state, force: true)
        }
    }

    /// Drops whole blocks whose newest sample is more than `keepMs` older than the newest sample in
    /// the store.
    @discardableResult
    public func applyRetention(keepMs: Int64) throws(StorageError) -> MaintenanceSummary {
        guard !options.readOnly else { throw .readOnly(store: directory) }
        return try writer.withLock { (state) throws(StorageError) in
            try finishSeal(&state)
            return try applyRetention(&state, keepMs: keepMs)
        }
    }

    /// The merges compaction would do now. A window of ``StoreOptions/compactionRangeMs`` whose end the
    /// store's newest data has passed is merged into one block; the still-open newest window only has
    /// its ``StoreOptions/blockRangeMs`` sub-windows merged, so repeated commits into it rewrite little.
    /// `force` merges open windows whole too. Without `openWindows` (a bulk load's commits before its
    /// last), only sub-windows the newest data has passed are merged: the one still filling is left for
    /// later, so it is not rewritten at every commit, and a wide load keeps few blocks open.
    func compactionGroups(_ blocks: [BlockSummary], force: Bool, openWindows: Bool = true) -> [(start: Int64, members: [BlockSummary])] {
        let newest = blocks.map(\.maxTimeMs).max() ?? .min
        var groups: [(start: Int64, members: [BlockSummary])] = []
        let byWindow = Dictionary(grouping: blocks) { alignedStart($0.minTimeMs, options.compactionRangeMs) }
        for start in byWindow.keys.sorted() {
            guard let members = byWindow[start], members.count > 1 else { continue }
            if force || newest >= start &+ options.compactionRangeMs {
                groups.append((start, members))
            } else {
                let bySubWindow = Dictionary(grouping: members) { alignedStart($0.minTimeMs, options.blockRangeMs) }
                for sub in bySubWindow.keys.sorted() {
                    if let subMembers = bySubWindow[sub], subMembers.count > 1,
                       openWindows || newest >= sub &+ options.blockRangeMs,
                       subMembers.allSatisfy({ $0.maxTimeMs < sub &+ options.blockRangeMs }) {
                        groups.append((sub, subMembers))
                    }
                }
            }
        }
        return groups
    }

    func compact(_ state: inout WriterState, force: Bool = false, openWindows: Bool = true) throws(StorageError) -> MaintenanceSummary {
        var summary = MaintenanceSummary(removedBlocks: [], addedBlocks: [])
        for (windowStart, group) in compactionGroups(state.manifest.blocks, force: force, openWindows: openWindows) {
            // Oldest first, so that for a repeated timestamp the block written last wins. A block that
            // failed to open is not among them: it stays where it is for `check --repair` to move aside.
            let grouped = Set(group.map(\.name))
            let sources = published.withLock { $0.blocks }.filter { grouped.contains($0.name) }
                .sorted { $0.name < $1.name }
            let names = Set(sources.map(\.name))
            defer { for source in sources { source.dropCachedData() } }
            let members = group.filter { names.contains($0.name) }
            guard sources.count > 1 else { continue }
            var locations: [LabelSet: [(Int, Int)]] = [:]
            var metadata: [String: MetricMetadata] = [:]
            for (s, source) in sources.enumerated() {
                for id in 0..<source.index.seriesCount {
                    locations[source.index.labels(ofSeries: id), default: []].append((s, id))
                }
                for record in source.index.metadata { metadata[record.name] = record }
            }
            let series = locations.keys.sorted()
            let minT = members.map(\.minTimeMs).min() ?? windowStart
            let maxT = members.map(\.maxTimeMs).max() ?? windowStart
            var windows: [(Int64, Int64)] = []
            var start = alignedStart(minT, options.blockRangeMs)
            while start <= maxT {
                windows.append((start, start &+ options.blockRangeMs))
                start = start &+ options.blockRangeMs
            }
            let level = (members.map(\.level).max() ?? 0) + 1
            var ts: [Int64] = []
            var vs: [Double] = []
            let written = try writeBlock(&state, series: series, metadata: Array(metadata.values), windows: windows, level: level) { (i, start, end) throws(StorageError) in
                if i % 512 == 511 { for source in sources { source.dropCachedData() } }
                var runs: [(timestamps: [Int64], values: [Double])] = []
                for (s, id) in locations[series[i]] ?? [] {
                    let source = sources[s]
                    for chunk in source.index.seriesChunks[id] {
                        let column = source.index.columns[chunk.column]
                        guard column.maxTimeMs >= start, column.minTimeMs < end else { continue }
                        try source.decode(chunk, timestamps: &ts, values: &vs)
                        runs.append(SampleRuns.clip((ts, vs), start, end &- 1))
                    }
                }
                return SampleRuns.merge(runs)
            }
            var manifest = state.manifest
            manifest.blocks.removeAll { names.contains($0.name) }
            var readers: [BlockReader] = []
            if let written {
                manifest.blocks.append(written)
                readers.append(try BlockReader(path: blocksDirectory + "/" + written.name, level: written.level))
                summary.addedBlocks.append(written.name)
            }
            manifest.blocks.sort { ($0.minTimeMs, $0.name) < ($1.minTimeMs, $1.name) }
            try publish(manifest, in: &state) { blocks in
                blocks.removeAll { names.contains($0.name) }
                blocks.append(contentsOf: readers)
            }
            for name in names.sorted() {
                try FileSystem.remove(blocksDirectory + "/" + name)
                summary.removedBlocks.append(name)
            }
        }
        return summary
    }

    func applyRetention(_ state: inout WriterState, keepMs: Int64) throws(StorageError) -> MaintenanceSummary {
        let headMax = published.withLock { $0.head.maxTimeMs }
        let newest = max(state.manifest.blocks.map(\.maxTimeMs).max() ?? .min, headMax)
        guard newest != .min else { return MaintenanceSummary(removedBlocks: [], addedBlocks: []) }
        let horizon = newest &- keepMs
        let expired = Set(state.manifest.blocks.filter { $0.maxTimeMs < horizon }.map(\.name))
        guard !expired.isEmpty else { return MaintenanceSummary(removedBlocks: [], addedBlocks: []) }
        var manifest = state.manifest
        manifest.blocks.removeAll { expired.contains($0.name) }
        try publish(manifest, in: &state) { blocks in blocks.removeAll { expired.contains($0.name) } }
        for name in expired.sorted() { try FileSystem.remove(blocksDirectory + "/" + name) }
        return MaintenanceSummary(removedBlocks: expired.sorted(), addedBlocks: [])
    }
}
