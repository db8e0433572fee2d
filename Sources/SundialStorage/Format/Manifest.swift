/// The list of live blocks and the write-ahead segment replay starts from; replaced atomically
/// (write a temporary file, fsync, rename, fsync the directory) on every change
/// (docs/FORMAT.md, "Manifest").
struct Manifest: Sendable, Equatable {
    static let fileName = "MANIFEST"
    static let magic: [UInt8] = Array("SDMF".utf8)
    static let version: UInt16 = 1

    /// Incremented on every write.
    var generation: UInt64 = 0
    /// Segments with a lower sequence number are fully contained in blocks.
    var walStartSegment: UInt64 = 1
    /// The sequence number the next block's name takes.
    var nextBlockSequence: UInt64 = 1
    /// The live blocks, oldest first.
    var blocks: [BlockSummary] = []

    func serialized() -> [UInt8] {
        var out = Self.magic
        out.appendLittleEndian(Self.version)
        out.appendLittleEndian(UInt16(0))
        out.appendLittleEndian(generation)
        out.appendLittleEndian(walStartSegment)
        out.appendLittleEndian(nextBlockSequence)
        out.appendVarint(UInt64(blocks.count))
        for block in blocks {
            out.appendString(block.name)
            out.appendLittleEndian(block.minTimeMs)
            out.appendLittleEndian(block.maxTimeMs)
            out.appendVarint(UInt64(block.seriesCount))
            out.appendVarint(UInt64(block.sampleCount))
            out.appendVarint(UInt64(block.bytes))
            out.appendVarint(UInt64(block.level))
        }
        out.appendLittleEndian(CRC32C.checksum(out))
        return out
    }

    init() {}

    init(parsing bytes: [UInt8], path: String) throws(StorageError) {
        func damaged(_ reason: String) -> StorageError { .corruptManifest(path: path, reason: reason) }
        guard bytes.count >= 8 + 24 + 1 + 4 else { throw damaged("it is \(bytes.count) bytes long, too short") }
        guard Array(bytes[0..<4]) == Self.magic else { throw damaged("the magic bytes are wrong") }
        let stored = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self)) }
        guard CRC32C.checksum(Array(bytes[..<(bytes.count - 4)])) == stored else { throw damaged("the checksum does not match") }
        do throws(FormatError) {
            self = try withBytes(bytes) { (raw) throws(FormatError) -> Manifest in
                var manifest = Manifest()
                var cursor = ByteCursor(UnsafeRawBufferPointer(rebasing: raw[..<(raw.count - 4)]), offset: 4)
                let version = try cursor.readLittleEndian(UInt16.self)
                guard version == Self.version else { throw FormatError("version \(version) is not \(Self.version)") }
                _ = try cursor.readLittleEndian(UInt16.self)
                manifest.generation = try cursor.readLittleEndian(UInt64.self)
                manifest.walStartSegment = try cursor.readLittleEndian(UInt64.self)
                manifest.nextBlockSequence = try cursor.readLittleEndian(UInt64.self)
                let count = try cursor.readCount(limit: raw.count)
                for _ in 0..<count {
                    let name = try cursor.readString()
                    let minT = try cursor.readLittleEndian(Int64.self)
                    let maxT = try cursor.readLittleEndian(Int64.self)
                    manifest.blocks.append(BlockSummary(
                        name: name, minTimeMs: minT, maxTimeMs: maxT, seriesCount: try cursor.readCount(),
                        sampleCount: try cursor.readCount(limit: .max), bytes: try cursor.readCount(limit: .max),
                        level: try cursor.readCount()))
                }
                guard cursor.isAtEnd else { throw FormatError("trailing bytes") }
                return manifest
            }
        } catch {
            throw damaged(error.message)
        }
    }
}
