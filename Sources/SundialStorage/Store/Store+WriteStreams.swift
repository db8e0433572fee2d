extension Store {
    /// Writes a bulk load's buffer into blocks, one per aligned ``StoreOptions/blockRangeMs`` window it
    /// touches, reading every series' stream front to back once. The blocks are not yet in the manifest.
    /// - Parameters:
    ///   - labels: every series' labels, by store-wide id.
    ///   - order: per store-wide id, its rank when the series are sorted by labels.
    func writeBlocks(from buffer: SeriesStreams, labels: [LabelSet], order: [UInt32], metadata: [MetricMetadata],
                     _ state: inout WriterState) throws(StorageError) -> [BlockSummary] {
        let late = Self.outOfOrderRuns(buffer.outOfOrder, seriesCount: labels.count)
        var readers = [SeriesStreamReader](repeating: SeriesStreamReader(), count: buffer.streams.count)
        var included = [Bool](repeating: false, count: labels.count)
        var written: [BlockSummary] = []
        do throws(StorageError) {
            for window in buffer.windowMembers.keys.sorted() {
                var ids: [UInt32] = []
                for id in buffer.windowMembers[window] ?? [] where !included[Int(id)] {
                    included[Int(id)] = true
                    ids.append(id)
                }
                for id in ids { included[Int(id)] = false }
                ids.sort { order[Int($0)] < order[Int($1)] }
                let end = window &+ options.blockRangeMs
                var ts: [Int64] = []
                var vs: [Double] = []
                let summary = try writeBlock(&state, series: ids.map { labels[Int($0)] }, metadata: metadata,
                                             windows: [(window, end)], level: 0) { i, start, end in
                    let id = Int(ids[i])
                    ts.removeAll(keepingCapacity: true)
                    vs.removeAll(keepingCapacity: true)
                    if id < buffer.streams.count, buffer.streams[id].count > 0 {
                        readers[id].samples(of: buffer.streams[id], timeline: buffer.timeline, before: end,
                                            timestamps: &ts, values: &vs)
                    }
                    guard let lateRun = late[id] else { return (ts, vs) }
                    return SampleRuns.merge([(ts, vs), SampleRuns.clip(lateRun, start, end &- 1)])
                }
                if let summary { written.append(summary) }
            }
        } catch {
            for summary in written { try? FileSystem.remove(blocksDirectory + "/" + summary.name) }
            throw error
        }
        return written
    }

    /// The out-of-order samples of a buffer per series, each sorted by time with repeats resolved
    /// (the later append wins).
    private static func outOfOrderRuns(_ log: Batch, seriesCount: Int) -> [Int: (timestamps: [Int64], values: [Double])] {
        guard log.sampleCount > 0 else { return [:] }
        var bySeries: [Int: (timestamps: [Int64], values: [Double])] = [:]
        for i in 0..<log.sampleCount {
            bySeries[Int(log.series[i]), default: ([], [])].timestamps.append(log.timestamps[i])
            bySeries[Int(log.series[i]), default: ([], [])].values.append(log.values[i])
        }
        return bySeries.mapValues { run in BulkLoad.sortedRun(run.timestamps[...], run.values[...]) }
    }
}
