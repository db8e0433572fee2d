/// Constants of the block file format (docs/FORMAT.md, "Block file").
enum BlockFile {
    /// `SDBK`: the first four bytes of every block.
    static let magic: [UInt8] = Array("SDBK".utf8)
    /// `SDBE`: the last four bytes of every block.
    static let endMagic: [UInt8] = Array("SDBE".utf8)
    /// The version this code writes: 2 adds chunk summaries to the index, 4 seek points to value chunks, 8 the
    /// length and last point of an integer chunk's seek table (docs/FORMAT.md). The header has no checksum of its
    /// own, so readable versions differ from each other in at least two bits: one flipped bit in the version
    /// cannot make a block read as another version (3 would be one bit from 1 and 2, 5 and 6 one bit from 4:
    /// they are skipped).
    static let version: UInt16 = 8
    /// The versions this code reads.
    static let readableVersions: Set<UInt16> = [1, 2, 4, 8]
    /// magic + u16 version + u16 flags.
    static let headerSize = 8
    /// u64 index offset, i64 min time, i64 max time, u64 samples, u32 series, u32 crc32c, magic.
    static let footerSize = 44
    /// Data frames are cut when their payload reaches this size.
    static let targetFrameBytes = 64 * 1024
    /// The file name suffix.
    static let suffix = ".block"
}

/// What a finished block contains; also recorded in the manifest.
public struct BlockSummary: Sendable, Equatable, Codable {
    /// The block's file name inside `blocks/`.
    public var name: String
    /// The oldest sample's timestamp.
    public var minTimeMs: Int64
    /// The newest sample's timestamp.
    public var maxTimeMs: Int64
    /// The number of series with at least one sample.
    public var seriesCount: Int
    /// The number of samples.
    public var sampleCount: Int
    /// The file size in bytes.
    public var bytes: Int
    /// 0 for a block cut from the head, one more for each compaction that produced it.
    public var level: Int
}
