#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one immutable block file, window by window, streaming data frames to disk so memory stays
/// bounded by one frame plus the index.
///
/// Use: create with every series the block will hold (sorted), then for each chunk window in time
/// order call ``addChunk(series:timestamps:values:)`` for the series with samples in it, then
/// ``finish(level:)``. Series that share identical timestamps within a window share one column.
final class BlockWriter {
    private let path: String
    private let temporaryPath: String
    private let file: SystemFile
    private var fileOffset = 0
    private var index = BlockIndex()
    /// Per series, its chunks so far: the index's lists once the block is finished.
    private var chunksOfSeries: [[SeriesChunk]] = []
    private var framePayload: [UInt8] = []
    /// The window's timestamp columns by a cheap key (count, first, middle and last time); each entry lists
    /// the columns with that key and their timestamps, compared whole before one is shared. Hashing every
    /// timestamp of every series' chunk instead showed in the seal's profile.
    private var columnsInWindow: [ColumnKey: [(timestamps: [Int64], column: Int)]] = [:]
    private var minTimeMs = Int64.max
    private var maxTimeMs = Int64.min
    private var sampleCount = 0
    private var symbolIDs: [String: UInt32] = [:]
    /// Per referenced series of the current window: whether its chunk is integral (asked once, not once
    /// per bucket that refers to it).
    /// The buffer is remembered too, so a different chunk of the same series is never taken for it.
    private var integralReferences: [Int: (values: UnsafePointer<Double>?, count: Int, isIntegral: Bool)] = [:]
    /// Values between the seek points of value chunks (``ValueCodec/defaultSeekInterval``; tests set
    /// small ones so that short chunks carry seek points).
    var seekInterval = ValueCodec.defaultSeekInterval

    /// Starts a block at `path` (written to `path.tmp` until ``finish(level:)``).
    init(path: String, series: [LabelSet], metadata: [MetricMetadata]) throws(StorageError) {
        self.path = path
        self.temporaryPath = path + ".tmp"
        self.file = try SystemFile.openForWriting(temporaryPath, truncate: true)
        var header = BlockFile.magic
        header.appendLittleEndian(BlockFile.version)
        header.appendLittleEndian(UInt16(0))
        try file.write(header, at: 0)
        fileOffset = header.count

        var symbols = Set<String>()
        for set in series { for label in set.labels { symbols.insert(label.name); symbols.insert(label.value) } }
        index.symbols = symbols.sorted()
        for (i, symbol) in index.symbols.enumerated() { symbolIDs[symbol] = UInt32(i) }
        index.seriesLabels = series.map { set in
            set.labels.flatMap { [symbolIDs[$0.name] ?? 0, symbolIDs[$0.value] ?? 0] }
        }
        chunksOfSeries = Array(repeating: [], count: series.count)
        index.metadata = metadata.sorted { $0.name < $1.name }
        framePayload.reserveCapacity(BlockFile.targetFrameBytes * 2)
    }

    /// Starts a new chunk window: timestamp columns are shared only within one window.
    func beginWindow() {
        columnsInWindow.removeAll(keepingCapacity: true)
        integralReferences.removeAll(keepingCapacity: true)
    }

    /// Adds one chunk for series `series` (its position in the list given at init). Timestamps must be
    /// strictly increasing; values are stored bit-exactly. With a `reference` (another series of this
    /// window with the same timestamps, added before, whose chunk is not itself a difference) the values
    /// may be stored as differences from it when that is smaller.
    func addChunk(series: Int, timestamps: UnsafeBufferPointer<Int64>, values: UnsafeBufferPointer<Double>,
                  reference: (series: Int, values: UnsafeBufferPointer<Double>)? = nil) throws(StorageError) {
        guard !timestamps.isEmpty, timestamps.count == values.count else { return }
        let key = ColumnKey(timestamps)
        let column: Int
        if let existing = columnsInWindow[key]?.first(where: { Self.same($0.timestamps, timestamps) }) {
            column = existing.column
        } else {
            let start = framePayload.count
            TimestampCodec.encode(timestamps, into: &framePayload)
            column = index.columns.count
            index.columns.append(TimestampColumn(
                location: ChunkLocation(frame: index.frameOffsets.count, offset: start, length: framePayload.count - start),
                count: timestamps.count, minTimeMs: timestamps[0], maxTimeMs: timestamps[timestamps.count - 1]))
            columnsInWindow[key, default: []].append((Array(timestamps), column))
            minTimeMs = min(minTimeMs, timestamps[0])
            maxTimeMs = max(maxTimeMs, timestamps[timestamps.count - 1])
        }
        let start = framePayload.count
        if let reference, reference.series != series {
            let isIntegral: Bool
            if let known = integralReferences[reference.series], known.values == reference.values.baseAddress,
               known.count == reference.values.count {
                isIntegral = known.isIntegral
            } else {
                isIntegral = ValueCodec.isIntegral(reference.values)
                integralReferences[reference.series] = (reference.values.baseAddress, reference.values.count, isIntegral)
            }
            ValueCodec.encode(values, reference: ValueCodec.Reference(series: reference.series, values: reference.values,
                                                                      isIntegral: isIntegral),
                              seekInterval: seekInterval, into: &framePayload)
        } else {
            ValueCodec.encode(values, seekInterval: seekInterval, into: &framePayload)
        }
        chunksOfSeries[series].append(SeriesChunk(
            column: column,
            values: ChunkLocation(frame: index.frameOffsets.count, offset: start, length: framePayload.count - start),
            summary: ChunkValueSummary(values)))
        sampleCount += values.count
        if framePayload.count >= BlockFile.targetFrameBytes { try flushFrame() }
    }

    /// True when `a` holds exactly the timestamps of `b` (one memcmp).
    private static func same(_ a: [Int64], _ b: UnsafeBufferPointer<Int64>) -> Bool {
        a.count == b.count && a.withUnsafeBufferPointer { x in
            guard let p = x.baseAddress, let q = b.baseAddress else { return x.isEmpty }
            return memcmp(p, q, x.count * MemoryLayout<Int64>.stride) == 0
        }
    }

    private func flushFrame() throws(StorageError) {
        guard !framePayload.isEmpty else { return }
        let frame = Frame.encode(framePayload)
        try file.write(frame, at: fileOffset)
        index.frameOffsets.append(fileOffset)
        fileOffset += frame.count
        framePayload.removeAll(keepingCapacity: true)
        // A column cached for this window now lives in an earlier frame; that is fine, locations are absolute.
    }

    /// Writes the index and footer, syncs, and renames the file into place.
    /// - Returns: the block's summary, or nil when no sample was added (nothing is left on disk).
    func finish(level: Int) throws(StorageError) -> BlockSummary? {
        try flushFrame()
        guard sampleCount > 0 else {
            file.close()
            try FileSystem.remove(temporaryPath)
            return nil
        }
        // Series without chunks stay in the index (difference chunks name series by position).
        index.seriesChunks = FlatLists(chunksOfSeries)
        index.buildPostings()
        let indexOffset = fileOffset
        let indexFrame = Frame.encode(index.serialized())
        try file.write(indexFrame, at: fileOffset)
        fileOffset += indexFrame.count

        var footer: [UInt8] = []
        footer.appendLittleEndian(UInt64(indexOffset))
        footer.appendLittleEndian(minTimeMs)
        footer.appendLittleEndian(maxTimeMs)
        footer.appendLittleEndian(UInt64(sampleCount))
        footer.appendLittleEndian(UInt32(index.seriesCount))
        footer.appendLittleEndian(CRC32C.checksum(footer))
        footer.append(contentsOf: BlockFile.endMagic)
        try file.write(footer, at: fileOffset)
        fileOffset += footer.count
        try file.sync()
        file.close()
        try FileSystem.rename(temporaryPath, path)
        let name = String(path.split(separator: "/").last ?? Substring(path))
        return BlockSummary(name: name, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs, seriesCount: index.seriesCount,
                            sampleCount: sampleCount, bytes: fileOffset, level: level)
    }

    /// Removes the partial file after a failure.
    func abandon() {
        file.close()
        try? FileSystem.remove(temporaryPath)
    }
}

/// What a timestamp column is looked up by before its timestamps are compared whole.
private struct ColumnKey: Hashable {
    let count: Int
    let first: Int64
    let middle: Int64
    let last: Int64

    init(_ timestamps: UnsafeBufferPointer<Int64>) {
        count = timestamps.count
        first = timestamps[0]
        middle = timestamps[timestamps.count / 2]
        last = timestamps[timestamps.count - 1]
    }
}
