extension BlockReader {
    /// Checks that the header, the data frames, the index frame and the footer follow each other with
    /// no gap, so that every byte of the file is covered by a check: the header's magic, version and
    /// flags, a frame's CRC-32C, or the footer's CRC-32C and magic. `sundial check` relies on this to
    /// say that a block that passes has no damaged byte.
    func verifyLayout() throws(StorageError) {
        let bytes = mappingBytes
        let footerStart = bytes.count - BlockFile.footerSize
        let dataArea = UnsafeRawBufferPointer(rebasing: bytes[0..<footerStart])
        var expected = BlockFile.headerSize
        for (frame, offset) in index.frameOffsets.enumerated() {
            guard offset == expected else {
                throw .corruptBlock(block: name, offset: expected,
                                    reason: "bytes \(min(expected, offset))..<\(max(expected, offset)): data frame \(frame) starts at byte \(offset), not at \(expected) where the previous part ends")
            }
            expected = try frameEnd(in: dataArea, at: offset, part: "data frame \(frame)", partEnd: indexOffset)
        }
        guard indexOffset == expected else {
            throw .corruptBlock(block: name, offset: expected,
                                reason: "bytes \(min(expected, indexOffset))..<\(max(expected, indexOffset)): the index frame starts at byte \(indexOffset), not at \(expected) where the data frames end")
        }
        let indexEnd = try frameEnd(in: dataArea, at: indexOffset, part: "index frame", partEnd: footerStart)
        guard indexEnd == footerStart else {
            throw .corruptBlock(block: name, offset: indexEnd,
                                reason: "bytes \(min(indexEnd, footerStart))..<\(max(indexEnd, footerStart)) lie between the index frame and the footer")
        }
    }

    /// Where the frame at `offset` ends, by its header; damage names `part` and its bytes up to `partEnd`.
    private func frameEnd(in area: UnsafeRawBufferPointer, at offset: Int, part: String, partEnd: Int) throws(StorageError) -> Int {
        do throws(FormatError) {
            return offset + (try Frame.header(in: area, at: offset)).totalLength
        } catch {
            throw .corruptBlock(block: name, offset: offset, reason: "\(part) (bytes \(offset)..<\(partEnd)): \(error.message)")
        }
    }
}
