/// The append-only write-ahead part: numbered segment files in `wal/`, each a header and a run of
/// checksummed frames, one frame per committed batch (docs/FORMAT.md, "Write-ahead segment").
///
/// A batch is durable once ``append(_:)`` returns (with `sync`). On open, a torn tail — a frame cut
/// short or failing its checksum at the end of the newest segment — is cut at the last whole frame.
final class WriteAheadLog {
    static let directoryName = "wal"
    static let magic: [UInt8] = Array("SDWL".utf8)
    static let version: UInt16 = 1
    static let headerSize = 8

    let directory: String
    private(set) var segment: UInt64
    private var file: SystemFile
    private var offset: Int
    private let sync: Bool

    /// Opens segment `segment` for appending, creating it with a header when new.
    init(directory: String, segment: UInt64, sync: Bool) throws(StorageError) {
        self.directory = directory
        self.segment = segment
        self.sync = sync
        let path = Self.path(directory: directory, segment: segment)
        let existed = FileSystem.exists(path)
        file = try SystemFile.openForWriting(path)
        offset = try file.size()
        if !existed || offset < Self.headerSize {
            do throws(StorageError) {
                try file.truncate(to: 0)
                try file.write(Self.header(), at: 0)
                offset = Self.headerSize
                if sync {
                    try file.sync()
                    try FileSystem.syncDirectory(directory)
                }
            } catch {
                // A full disk: leave no empty segment behind for each attempt.
                if !existed { try? FileSystem.remove(path) }
                throw error
            }
        }
    }

    static func header() -> [UInt8] {
        var header = magic
        header.appendLittleEndian(version)
        header.appendLittleEndian(UInt16(0))
        return header
    }

    static func path(directory: String, segment: UInt64) -> String {
        let digits = String(segment)
        return directory + "/" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits + ".wal"
    }

    /// The sequence numbers of the segments present, ascending.
    static func segments(in directory: String) -> [UInt64] {
        FileSystem.list(directory).compactMap { name in
            name.hasSuffix(".wal") ? UInt64(name.dropLast(4)) : nil
        }.sorted()
    }

    /// Appends one batch as a frame and (when syncing) fsyncs it.
    func append(_ payload: [UInt8]) throws(StorageError) {
        let frame = Frame.encode(payload)
        do throws(StorageError) {
            try file.write(frame, at: offset)
            if sync { try file.sync() }
        } catch {
            // Leave no partial frame behind: a later append must start at a frame boundary.
            try? file.truncate(to: offset)
            throw error
        }
        offset += frame.count
    }

    /// Closes the current segment and starts `segment + 1`.
    func rotate() throws(StorageError) {
        file.close()
        segment += 1
        let path = Self.path(directory: directory, segment: segment)
        file = try SystemFile.openForWriting(path, truncate: true)
        try file.write(Self.header(), at: 0)
        offset = Self.headerSize
        if sync {
            try file.sync()
            try FileSystem.syncDirectory(directory)
        }
    }

    func close() { file.close() }

    /// What reading a segment found.
    struct ReadResult {
        var payloads: [[UInt8]] = []
        /// The byte offset after the last whole frame.
        var validLength: Int = 0
        var fileLength: Int = 0
        /// Why reading stopped before the end, if it did.
        var damage: String?
        /// True when the damage has the shape a crash leaves at the end of the newest segment: a frame (or
        /// the header) cut short. A flipped length field looks the same; anything else is damage for sure.
        var isTornTail = false
    }

    /// True when the frame at `offset` is cut short: its header, or the payload its header announces,
    /// reaches past the end of `bytes`.
    private static func runsPastTheEnd(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        guard offset + Frame.headerSize <= bytes.count else { return true }
        let stored = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        return offset + Frame.headerSize + stored > bytes.count
    }

    /// Reads every whole frame of a segment, stopping at the first that is cut short or fails its checksum.
    static func read(path: String) throws(StorageError) -> ReadResult {
        let file = try SystemFile.openForReading(path)
        let bytes = try file.readAll()
        var result = ReadResult()
        result.fileLength = bytes.count
        guard bytes.count >= headerSize else {
            result.damage = bytes.isEmpty ? nil : "the header (bytes 0..<\(headerSize)) is cut short"
            result.isTornTail = true
            return result
        }
        guard Array(bytes[0..<4]) == magic else {
            result.damage = "the header magic (bytes 0..<4) is wrong"
            return result
        }
        let version = Int(bytes[4]) | Int(bytes[5]) << 8
        let flags = Int(bytes[6]) | Int(bytes[7]) << 8
        guard version == Int(Self.version), flags == 0 else {
            // A newer format or a damaged header: either way nothing in the segment can be read safely.
            result.damage = "the header (bytes 0..<\(headerSize)) has version \(version) and flags \(flags); this Sundial reads version \(Self.version) with flags 0"
            return result
        }
        var offset = headerSize
        result.validLength = offset
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                do throws(FormatError) {
                    let header = try Frame.header(in: raw, at: offset)
                    let payload = try Frame.decode(in: raw, at: offset)
                    result.payloads.append(payload)
                    offset += header.totalLength
                    result.validLength = offset
                } catch {
                    result.damage = "frame at byte \(offset): \(error.message)"
                    result.isTornTail = Self.runsPastTheEnd(raw, at: offset)
                    return
                }
            }
        }
        return result
    }
}
