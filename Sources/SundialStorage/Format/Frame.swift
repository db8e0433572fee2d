/// A checksummed, optionally LZ4-compressed run of bytes: the unit in which blocks store chunks
/// and their index (docs/FORMAT.md, "Frame").
///
/// ```
/// u32 storedLength | u32 rawLength | u8 codec | u8 reserved[3] | u32 crc32c | stored bytes
/// ```
/// `crc32c` covers the first 12 header bytes and the stored bytes, so a flipped length is caught too.
enum Frame {
    /// Bytes before the payload.
    static let headerSize = 16

    /// How the payload is stored.
    enum Codec: UInt8 {
        case raw = 0
        case lz4 = 1
    }

    /// Encodes `payload` as a frame, compressing it with LZ4 when that saves space.
    static func encode(_ payload: [UInt8]) -> [UInt8] {
        let compressed = payload.withUnsafeBytes { LZ4.compress($0) }
        let useLZ4 = !compressed.isEmpty && compressed.count < payload.count
        let stored = useLZ4 ? compressed : payload
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + stored.count)
        out.appendLittleEndian(UInt32(stored.count))
        out.appendLittleEndian(UInt32(payload.count))
        out.append(useLZ4 ? Codec.lz4.rawValue : Codec.raw.rawValue)
        out.append(contentsOf: [0, 0, 0])
        let crc = out.withUnsafeBytes { header in
            stored.withUnsafeBytes { CRC32C.checksum($0, seed: CRC32C.checksum(header)) }
        }
        out.appendLittleEndian(crc)
        out.append(contentsOf: stored)
        return out
    }

    /// The parsed header of a frame at some offset of a file.
    struct Header {
        let storedLength: Int
        let rawLength: Int
        let codec: Codec
        let checksum: UInt32
        var totalLength: Int { Frame.headerSize + storedLength }
    }

    /// Parses the header at `offset` of `file`, checking it fits inside the file.
    static func header(in file: UnsafeRawBufferPointer, at offset: Int) throws(FormatError) -> Header {
        // `offset <= count - headerSize` rather than `offset + headerSize <= count`: an offset read from a
        // damaged footer can be near Int.max, and the addition would overflow.
        guard offset >= 0, file.count >= headerSize, offset <= file.count - headerSize else {
            throw FormatError("frame header at byte \(offset) runs past the end of the file")
        }
        let stored = Int(UInt32(littleEndian: file.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let raw = Int(UInt32(littleEndian: file.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
        let codecByte = file[offset + 8]
        guard let codec = Codec(rawValue: codecByte) else { throw FormatError("unknown frame codec \(codecByte)") }
        let crc = UInt32(littleEndian: file.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
        guard offset + headerSize + stored <= file.count else {
            throw FormatError("frame of \(stored) bytes at byte \(offset) runs past the end of the file")
        }
        if codec == .raw && raw != stored { throw FormatError("raw frame lengths disagree (\(stored) and \(raw))") }
        return Header(storedLength: stored, rawLength: raw, codec: codec, checksum: crc)
    }

    /// Verifies the checksum of the frame at `offset` and returns its payload, decompressed.
    static func decode(in file: UnsafeRawBufferPointer, at offset: Int) throws(FormatError) -> [UInt8] {
        let header = try header(in: file, at: offset)
        let headerBytes = UnsafeRawBufferPointer(rebasing: file[offset..<(offset + 12)])
        let stored = UnsafeRawBufferPointer(rebasing: file[(offset + headerSize)..<(offset + header.totalLength)])
        let crc = CRC32C.checksum(stored, seed: CRC32C.checksum(headerBytes))
        guard crc == header.checksum else {
            throw FormatError("checksum mismatch (stored \(String(header.checksum, radix: 16)), computed \(String(crc, radix: 16)))")
        }
        switch header.codec {
        case .raw:
            return Array(stored)
        case .lz4:
            guard header.rawLength <= 1 << 30 else { throw FormatError("frame claims \(header.rawLength) bytes") }
            // Not zero-filled first: LZ4.decompress fills every byte or throws (zeroing 64 KiB frames took
            // about 1 % of a decode-all pass).
            var failure: FormatError?
            let out = [UInt8](unsafeUninitializedCapacity: header.rawLength) { buffer, initialized in
                do throws(FormatError) {
                    try LZ4.decompress(stored, into: UnsafeMutableRawBufferPointer(buffer))
                    initialized = buffer.count
                } catch {
                    failure = error
                    initialized = 0
                }
            }
            if let failure { throw failure }
            return out
        }
    }
}
