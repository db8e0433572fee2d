/// What a store holds (`sundial stats`).
public struct StoreStatistics: Sendable, Codable, Equatable {
    /// Distinct series with at least one sample.
    public var series: Int
    /// Samples stored (a timestamp stored by two overlapping blocks counts twice until compaction).
    public var samples: Int
    /// Bytes on disk: blocks, write-ahead log and manifest.
    public var bytes: Int
    /// Bytes in blocks only.
    public var blockBytes: Int
    /// `bytes / samples`, or 0 for an empty store.
    public var bytesPerSample: Double
    /// The oldest sample's timestamp (ms), nil when empty.
    public var minTime: Int64?
    /// The newest sample's timestamp (ms), nil when empty.
    public var maxTime: Int64?
    /// Live blocks.
    public var blocks: Int
    /// Samples still in the head (only in the write-ahead log on disk).
    public var headSamples: Int
    /// Blocks that could not be opened.
    public var damagedBlocks: [String]
    /// Per metric name: series and samples.
    public var metrics: [String: MetricCount]

    /// Series and samples of one metric name.
    public struct MetricCount: Sendable, Codable, Equatable {
        /// Distinct series.
        public var series: Int
        /// Samples.
        public var samples: Int
    }
}

extension Store {
    /// Counts what the store holds, from the block indexes and the head (no sample is decoded).
    public func statistics() -> StoreStatistics {
        let snapshot = snapshot()
        var seriesSeen = Set<LabelSet>()
        var metrics: [String: StoreStatistics.MetricCount] = [:]
        var samples = 0
        var blockBytes = 0
        var minT = Int64.max
        var maxT = Int64.min
        for block in snapshot.blocks {
            blockBytes += block.summary.bytes
            samples += block.summary.sampleCount
            minT = min(minT, block.summary.minTimeMs)
            maxT = max(maxT, block.summary.maxTimeMs)
            for id in 0..<block.index.seriesCount where !block.index.seriesChunks[id].isEmpty {
                let labels = block.index.labels(ofSeries: id)
                let count = block.index.seriesChunks[id].reduce(0) { $0 + block.index.columns[$1.column].count }
                let isNew = seriesSeen.insert(labels).inserted
                metrics[labels.metricName, default: .init(series: 0, samples: 0)].samples += count
                if isNew { metrics[labels.metricName, default: .init(series: 0, samples: 0)].series += 1 }
            }
        }
        var headSamples = 0
        for head in snapshot.heads {
            headSamples += head.sampleCount
            for labels in head.allLabels() where seriesSeen.insert(labels).inserted {
                metrics[labels.metricName, default: .init(series: 0, samples: 0)].series += 1
            }
            if head.sampleCount > 0, let (low, high) = head.timeRange() {
                minT = min(minT, low)
                maxT = max(maxT, high)
            }
        }
        samples += headSamples
        var walBytes = 0
        for segment in WriteAheadLog.segments(in: walDirectory) {
            walBytes += FileSystem.size(WriteAheadLog.path(directory: walDirectory, segment: segment))
        }
        let bytes = blockBytes + walBytes + FileSystem.size(manifestPath)
        return StoreStatistics(
            series: seriesSeen.count, samples: samples, bytes: bytes, blockBytes: blockBytes,
            bytesPerSample: samples > 0 ? Double(bytes) / Double(samples) : 0,
            minTime: minT == .max ? nil : minT, maxTime: maxT == .min ? nil : maxT,
            blocks: snapshot.blocks.count, headSamples: headSamples,
            damagedBlocks: snapshot.damagedBlocks.map(\.name), metrics: metrics)
    }
}
