/// Where a block's bytes go: timestamp columns, value chunks by codec, index, and what LZ4 saved.
/// `sundial inspect` prints it; it is how encodings are measured before they are changed.
public struct BlockComposition: Sendable, CustomStringConvertible {
    /// The block's file name.
    public var block: String
    /// Samples in the block.
    public var samples = 0
    /// Bytes of the file.
    public var fileBytes = 0
    /// Encoded bytes (before LZ4) of timestamp columns, and how many columns.
    public var timestampBytes = 0
    public var timestampColumns = 0
    /// Encoded bytes (before LZ4) and chunk and sample counts per value codec (`xor`, `integer`, `constant`).
    public var valueBytes: [String: Int] = [:]
    public var valueChunks: [String: Int] = [:]
    public var valueSamples: [String: Int] = [:]
    /// Bytes of data frames before and after LZ4.
    public var dataRawBytes = 0
    public var dataStoredBytes = 0
    /// Bytes of the index before and after LZ4.
    public var indexRawBytes = 0
    public var indexStoredBytes = 0

    /// A few lines of text.
    public var description: String {
        func per(_ bytes: Int, _ n: Int) -> String { n > 0 ? String(Double(bytes) / Double(max(n, 1))) : "-" }
        var lines = ["\(block): \(samples) samples, \(fileBytes) bytes, \(Double(fileBytes) / Double(max(samples, 1))) bytes/sample"]
        lines.append("  timestamps: \(timestampColumns) columns, \(timestampBytes) bytes encoded")
        for kind in valueBytes.keys.sorted() {
            let bytes = valueBytes[kind] ?? 0
            let n = valueSamples[kind] ?? 0
            lines.append("  values \(kind): \(valueChunks[kind] ?? 0) chunks, \(n) samples, \(bytes) bytes encoded, \(per(bytes * 8, n)) bits/sample")
        }
        lines.append("  data frames: \(dataRawBytes) bytes encoded, \(dataStoredBytes) after LZ4")
        lines.append("  index: \(indexRawBytes) bytes, \(indexStoredBytes) after LZ4")
        return lines.joined(separator: "\n")
    }
}

extension BlockReader {
    /// Measures where this block's bytes go.
    func composition() throws(StorageError) -> BlockComposition {
        var result = BlockComposition(block: name)
        result.samples = summary.sampleCount
        result.fileBytes = summary.bytes
        result.timestampColumns = index.columns.count
        result.timestampBytes = index.columns.reduce(0) { $0 + $1.location.length }
        for chunks in index.seriesChunks {
            for chunk in chunks {
                let kind = try withChunkBytes(chunk.values) { (raw) throws(FormatError) -> String in
                    switch raw.first.flatMap(ValueCodec.Kind.init(rawValue:)) {
                    case .xor: "xor"
                    case .integer: "integer"
                    case .constant: "constant"
                    case .difference: "difference"
                    case nil: "unknown"
                    }
                }
                result.valueBytes[kind, default: 0] += chunk.values.length
                result.valueChunks[kind, default: 0] += 1
                result.valueSamples[kind, default: 0] += index.columns[chunk.column].count
            }
        }
        for frame in index.frameOffsets.indices {
            result.dataRawBytes += try framePayload(frame).count
        }
        let mapped = mappingBytes
        for offset in index.frameOffsets {
            if let header = try? Frame.header(in: mapped, at: offset) { result.dataStoredBytes += header.totalLength }
        }
        if let indexHeader = try? Frame.header(in: mapped, at: indexOffset) {
            result.indexStoredBytes = indexHeader.totalLength
            result.indexRawBytes = indexHeader.rawLength
        }
        return result
    }
}

extension Store {
    /// The composition of every live block.
    public func composition() throws(StorageError) -> [BlockComposition] {
        var out: [BlockComposition] = []
        for block in snapshot().blocks { out.append(try block.composition()) }
        return out
    }
}
