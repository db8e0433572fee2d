@testable import SundialStorage

/// Rewrites the checksums a reader checks first (the footer's, the index frame's, and each data
/// frame's the index names), so that mutated bytes get past them and reach the decoders behind:
/// a checksum guards against accidents, not against a crafted file, and no file may crash the process.
public func fixBlockChecksums(_ bytes: inout [UInt8]) {
    guard bytes.count >= BlockFile.headerSize + BlockFile.footerSize else { return }
    let footerStart = bytes.count - BlockFile.footerSize
    let indexOffset = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: footerStart, as: UInt64.self)) }
    if indexOffset < UInt64(footerStart) {
        let index = Int(indexOffset)
        fixFrameChecksum(&bytes, at: index, end: footerStart)
        let parsed = bytes.withUnsafeBytes { raw -> BlockIndex? in
            guard let payload = try? Frame.decode(in: UnsafeRawBufferPointer(rebasing: raw[0..<footerStart]), at: index) else { return nil }
            return try? withBytes(payload) { (raw) throws(FormatError) in try BlockIndex(parsing: raw) }
        }
        for offset in parsed?.frameOffsets ?? [] where offset >= 0 && offset < footerStart {
            fixFrameChecksum(&bytes, at: offset, end: footerStart)
        }
    }
    let crc = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[footerStart..<(footerStart + 36)])) }
    for i in 0..<4 { bytes[footerStart + 36 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
}

/// Sets the checksum of the frame at `offset` when its header and stored bytes lie before `end`.
/// - Returns: The offset after the frame, or nil when it does not fit.
@discardableResult
public func fixFrameChecksum(_ bytes: inout [UInt8], at offset: Int, end: Int) -> Int? {
    guard offset >= 0, offset + Frame.headerSize <= end else { return nil }
    let stored = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
    guard offset + Frame.headerSize + stored <= end else { return nil }
    let crc = bytes.withUnsafeBytes { raw in
        CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[(offset + Frame.headerSize)..<(offset + Frame.headerSize + stored)]),
                        seed: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 12)])))
    }
    for i in 0..<4 { bytes[offset + 12 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
    return offset + Frame.headerSize + stored
}

/// Sets the checksum of every whole frame of a write-ahead segment, from its 8-byte header on.
public func fixSegmentChecksums(_ bytes: inout [UInt8]) {
    var offset: Int? = WriteAheadLog.headerSize
    while let start = offset, start < bytes.count { offset = fixFrameChecksum(&bytes, at: start, end: bytes.count) }
}

/// Sets a manifest's checksum, its last 4 bytes (a CRC-32C of all before them).
public func fixManifestChecksum(_ bytes: inout [UInt8]) {
    guard bytes.count >= 4 else { return }
    let crc = CRC32C.checksum(Array(bytes[..<(bytes.count - 4)]))
    for i in 0..<4 { bytes[bytes.count - 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
}
