/// Where one encoded run of bytes lives inside a block: a frame and a range of its payload.
struct ChunkLocation: Sendable, Equatable {
    var frame: Int
    var offset: Int
    var length: Int
}

/// A timestamp column: the timestamps one or more series share within one chunk window.
struct TimestampColumn: Sendable, Equatable {
    var location: ChunkLocation
    var count: Int
    var minTimeMs: Int64
    var maxTimeMs: Int64
}

/// One chunk of one series: its values, the column holding its timestamps, and (format version 2,
/// integral values only) the summary that lets `rate` and `increase` skip decoding it.
struct SeriesChunk: Sendable, Equatable {
    var column: Int
    var values: ChunkLocation
    var summary: ChunkValueSummary? = nil
}

/// The in-memory form of a block's index (docs/FORMAT.md, "Index"): symbols, series with their chunks,
/// postings per label pair, data frame offsets, timestamp columns and metric metadata.
struct BlockIndex: Sendable {
    /// Every distinct label name and value, sorted.
    var symbols: [String] = []
    /// The file offset of each data frame.
    var frameOffsets: [Int] = []
    var columns: [TimestampColumn] = []
    /// Per series (sorted by labels): pairs of symbol ids (name, value), flattened.
    var seriesLabels: [[UInt32]] = []
    /// Per series (in the order of `seriesLabels`): its chunks in time order.
    var seriesChunks = FlatLists<SeriesChunk>()
    /// Label name symbol → (value symbol → series ids, ascending).
    var postings: [UInt32: [UInt32: [UInt32]]] = [:]
    var metadata: [MetricMetadata] = []

    var seriesCount: Int { seriesLabels.count }

    func labels(ofSeries id: Int) -> LabelSet {
        SymbolLabels.labelSet(seriesLabels[id], symbols)
    }

    /// Builds postings from the series labels.
    mutating func buildPostings() {
        postings = [:]
        for (id, pairs) in seriesLabels.enumerated() {
            var i = 0
            while i + 1 < pairs.count {
                postings[pairs[i], default: [:]][pairs[i + 1], default: []].append(UInt32(id))
                i += 2
            }
        }
    }

    // MARK: Serialisation

    /// The index's bytes in block format `version` (1 has no chunk summaries).
    func serialized(version: UInt16 = BlockFile.version) -> [UInt8] {
        var out: [UInt8] = []
        out.appendVarint(UInt64(symbols.count))
        for symbol in symbols { out.appendString(symbol) }
        out.appendVarint(UInt64(frameOffsets.count))
        var previousOffset = 0
        for offset in frameOffsets {
            out.appendVarint(UInt64(offset - previousOffset))
            previousOffset = offset
        }
        out.appendVarint(UInt64(columns.count))
        for column in columns {
            Self.append(column.location, to: &out)
            out.appendVarint(UInt64(column.count))
            out.appendSignedVarint(column.minTimeMs)
            out.appendSignedVarint(column.maxTimeMs &- column.minTimeMs)
        }
        out.appendVarint(UInt64(seriesLabels.count))
        for (labels, chunks) in zip(seriesLabels, seriesChunks) {
            out.appendVarint(UInt64(labels.count / 2))
            for symbol in labels { out.appendVarint(UInt64(symbol)) }
            out.appendVarint(UInt64(chunks.count))
            for chunk in chunks {
                out.appendVarint(UInt64(chunk.column))
                Self.append(chunk.values, to: &out)
                if version >= 2 { Self.append(chunk.summary, to: &out) }
            }
        }
        let names = postings.keys.sorted()
        out.appendVarint(UInt64(names.count))
        for name in names {
            let values = postings[name] ?? [:]
            out.appendVarint(UInt64(name))
            out.appendVarint(UInt64(values.count))
            for value in values.keys.sorted() {
                let ids = values[value] ?? []
                out.appendVarint(UInt64(value))
                out.appendVarint(UInt64(ids.count))
                var previous: UInt32 = 0
                for id in ids {
                    out.appendVarint(UInt64(id - previous))
                    previous = id
                }
            }
        }
        out.appendVarint(UInt64(metadata.count))
        for record in metadata {
            out.appendString(record.name)
            out.append(record.kind.code)
            out.appendString(record.help)
            out.appendString(record.unit)
        }
        return out
    }

    private static func append(_ location: ChunkLocation, to out: inout [UInt8]) {
        out.appendVarint(UInt64(location.frame))
        out.appendVarint(UInt64(location.offset))
        out.appendVarint(UInt64(location.length))
    }

    /// A chunk summary: `u8 tag` (0 none, 1 no decrease, 2 with decreases), then `zvarint first`,
    /// `zvarint (last − first)` and, for tag 2, `zvarint correction`.
    private static func append(_ summary: ChunkValueSummary?, to out: inout [UInt8]) {
        guard let summary else {
            out.append(0)
            return
        }
        out.append(summary.correction == nil ? 1 : 2)
        out.appendSignedVarint(summary.first)
        out.appendSignedVarint(summary.last &- summary.first)
        if let correction = summary.correction { out.appendSignedVarint(correction) }
    }

    private static func readSummary(_ cursor: inout ByteCursor) throws(FormatError) -> ChunkValueSummary? {
        let tag = try cursor.readByte()
        guard tag != 0 else { return nil }
        guard tag <= 2 else { throw FormatError("chunk summary tag \(tag) is not 0, 1 or 2") }
        let first = try cursor.readSignedVarint()
        let last = first &+ (try cursor.readSignedVarint())
        return ChunkValueSummary(first: first, last: last, correction: tag == 2 ? try cursor.readSignedVarint() : nil)
    }

    private static func readLocation(_ cursor: inout ByteCursor, frames: Int) throws(FormatError) -> ChunkLocation {
        let frame = try cursor.readCount()
        guard frame < frames else { throw FormatError("chunk names frame \(frame) of \(frames)") }
        return ChunkLocation(frame: frame, offset: try cursor.readCount(), length: try cursor.readCount())
    }

    init() {}

    /// Parses an index serialised in block format `version`, checking every reference.
    init(parsing bytes: UnsafeRawBufferPointer, version: UInt16 = BlockFile.version) throws(FormatError) {
        var cursor = ByteCursor(bytes)
        let symbolCount = try cursor.readCount(limit: bytes.count)
        symbols.reserveCapacity(symbolCount)
        for _ in 0..<symbolCount { symbols.append(try cursor.readString()) }
        let frameCount = try cursor.readCount(limit: bytes.count)
        var offset = 0
        for _ in 0..<frameCount {
            offset += try cursor.readCount()
            frameOffsets.append(offset)
        }
        let columnCount = try cursor.readCount(limit: bytes.count)
        columns.reserveCapacity(columnCount)
        for _ in 0..<columnCount {
            let location = try Self.readLocation(&cursor, frames: frameCount)
            let count = try cursor.readCount()
            let minT = try cursor.readSignedVarint()
            let maxT = minT &+ (try cursor.readSignedVarint())
            columns.append(TimestampColumn(location: location, count: count, minTimeMs: minT, maxTimeMs: maxT))
        }
        let seriesCount = try cursor.readCount(limit: bytes.count)
        seriesLabels.reserveCapacity(seriesCount)
        seriesChunks.reserveCapacity(lists: seriesCount, elements: seriesCount)
        for _ in 0..<seriesCount {
            let pairCount = try cursor.readCount(limit: bytes.count)
            var labels: [UInt32] = []
            labels.reserveCapacity(pairCount * 2)
            for _ in 0..<(pairCount * 2) {
                let symbol = try cursor.readCount()
                guard symbol < symbolCount else { throw FormatError("series names symbol \(symbol) of \(symbolCount)") }
                labels.append(UInt32(symbol))
            }
            let chunkCount = try cursor.readCount(limit: bytes.count)
            var chunks: [SeriesChunk] = []
            chunks.reserveCapacity(chunkCount)
            for _ in 0..<chunkCount {
                let column = try cursor.readCount()
                guard column < columnCount else { throw FormatError("chunk names column \(column) of \(columnCount)") }
                let values = try Self.readLocation(&cursor, frames: frameCount)
                chunks.append(SeriesChunk(column: column, values: values, summary: version >= 2 ? try Self.readSummary(&cursor) : nil))
            }
            seriesLabels.append(labels)
            seriesChunks.append(chunks)
        }
        let nameCount = try cursor.readCount(limit: bytes.count)
        for _ in 0..<nameCount {
            let name = UInt32(try cursor.readCount(limit: symbolCount - 1))
            let valueCount = try cursor.readCount(limit: bytes.count)
            var values: [UInt32: [UInt32]] = [:]
            for _ in 0..<valueCount {
                let value = UInt32(try cursor.readCount(limit: symbolCount - 1))
                let idCount = try cursor.readCount(limit: seriesCount)
                var ids: [UInt32] = []
                ids.reserveCapacity(idCount)
                var previous = 0
                for _ in 0..<idCount {
                    previous += try cursor.readCount()
                    guard previous < seriesCount else { throw FormatError("posting names series \(previous) of \(seriesCount)") }
                    ids.append(UInt32(previous))
                }
                values[value] = ids
            }
            postings[name] = values
        }
        let metadataCount = try cursor.readCount(limit: bytes.count)
        for _ in 0..<metadataCount {
            let name = try cursor.readString()
            let kind = MetricKind(code: try cursor.readByte())
            metadata.append(MetricMetadata(name: name, kind: kind, help: try cursor.readString(), unit: try cursor.readString()))
        }
        guard cursor.isAtEnd else { throw FormatError("index has \(bytes.count - cursor.offset) trailing bytes") }
    }
}
