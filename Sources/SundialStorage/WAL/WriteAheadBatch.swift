/// One committed batch as the write-ahead log stores it: the series it defines, metadata, and
/// samples by head reference (docs/FORMAT.md, "Write-ahead record").
struct WriteAheadBatch {
    var newSeries: [(ref: UInt32, labels: LabelSet)] = []
    var metadata: [MetricMetadata] = []
    var refs: [UInt32] = []
    var timestamps: [Int64] = []
    var values: [Double] = []

    static let recordType: UInt8 = 1

    func serialized() -> [UInt8] {
        var out: [UInt8] = [Self.recordType]
        out.reserveCapacity(16 + refs.count * 12)
        out.appendVarint(UInt64(newSeries.count))
        for (ref, labels) in newSeries {
            out.appendVarint(UInt64(ref))
            out.appendVarint(UInt64(labels.labels.count))
            for label in labels.labels {
                out.appendString(label.name)
                out.appendString(label.value)
            }
        }
        out.appendVarint(UInt64(metadata.count))
        for record in metadata {
            out.appendString(record.name)
            out.append(record.kind.code)
            out.appendString(record.help)
            out.appendString(record.unit)
        }
        out.appendVarint(UInt64(refs.count))
        appendSamples(to: &out)
        return out
    }

    /// The sample columns, written through one pointer into a new array with room for the worst case
    /// (5 + 10 + 8 bytes a sample), `out`'s bytes copied in first: the hot part of every commit, with no
    /// per-byte array growth and no zero-filling of the room (which, done by appending repeated zeros, took
    /// as long as writing the columns).
    private func appendSamples(to out: inout [UInt8]) {
        let n = refs.count
        let start = out.count
        let worst = n * 23
        out = [UInt8](unsafeUninitializedCapacity: start + worst) { buffer, initialized in
            guard let base = buffer.baseAddress else {
                initialized = 0
                return
            }
            out.withUnsafeBufferPointer { prefix in
                if let source = prefix.baseAddress { base.initialize(from: source, count: start) }
            }
            var p = base + start
            @inline(__always) func varint(_ value: UInt64) {
                var v = value
                while v >= 0x80 {
                    p.initialize(to: UInt8(truncatingIfNeeded: v) | 0x80)
                    p += 1
                    v >>= 7
                }
                p.initialize(to: UInt8(v))
                p += 1
            }
            for ref in refs { varint(UInt64(ref)) }
            var previous: Int64 = 0
            for t in timestamps {
                varint(zigZagEncode(t &- previous))
                previous = t
            }
            for v in values {
                UnsafeMutableRawPointer(p).storeBytes(of: v.bitPattern.littleEndian, as: UInt64.self)
                p += 8
            }
            initialized = p - base
        }
    }

    init() {}

    init(parsing raw: UnsafeRawBufferPointer) throws(FormatError) {
        var cursor = ByteCursor(raw)
        let type = try cursor.readByte()
        guard type == Self.recordType else { throw FormatError("unknown record type \(type)") }
        let seriesCount = try cursor.readCount(limit: raw.count)
        for _ in 0..<seriesCount {
            let ref = UInt32(try cursor.readCount())
            let labelCount = try cursor.readCount(limit: raw.count)
            var labels: [Label] = []
            for _ in 0..<labelCount { labels.append(Label(try cursor.readString(), try cursor.readString())) }
            newSeries.append((ref, LabelSet(labels)))
        }
        let metadataCount = try cursor.readCount(limit: raw.count)
        for _ in 0..<metadataCount {
            let name = try cursor.readString()
            let kind = MetricKind(code: try cursor.readByte())
            metadata.append(MetricMetadata(name: name, kind: kind, help: try cursor.readString(), unit: try cursor.readString()))
        }
        let sampleCount = try cursor.readCount(limit: raw.count)
        refs.reserveCapacity(sampleCount)
        for _ in 0..<sampleCount { refs.append(UInt32(try cursor.readCount())) }
        var t: Int64 = 0
        timestamps.reserveCapacity(sampleCount)
        for _ in 0..<sampleCount {
            t = t &+ (try cursor.readSignedVarint())
            timestamps.append(t)
        }
        values.reserveCapacity(sampleCount)
        for _ in 0..<sampleCount { values.append(Double(bitPattern: try cursor.readLittleEndian(UInt64.self))) }
        guard cursor.isAtEnd else { throw FormatError("record has trailing bytes") }
    }
}
