import CLZ4

/// The one place Sundial calls liblz4: block compression with every bound checked.
enum LZ4 {
    /// Compresses `input` with LZ4's block format (`LZ4_compress_default`).
    static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        guard input.count > 0, input.count <= Int(LZ4_MAX_INPUT_SIZE) else { return [] }
        let bound = Int(LZ4_compressBound(Int32(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            LZ4_compress_default(
                input.baseAddress?.assumingMemoryBound(to: CChar.self),
                out.baseAddress?.assumingMemoryBound(to: CChar.self),
                Int32(input.count), Int32(bound))
        }
        output.removeLast(bound - Int(max(written, 0)))
        return output
    }

    /// Decompresses `input` into exactly `output.count` bytes.
    /// - Throws: ``FormatError`` when the input is malformed or does not fill `output` exactly.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(FormatError) {
        if output.count == 0 && input.count == 0 { return }
        guard input.count <= Int(Int32.max), output.count <= Int(Int32.max) else {
            throw FormatError("LZ4 frame too large")
        }
        let produced = LZ4_decompress_safe(
            input.baseAddress?.assumingMemoryBound(to: CChar.self),
            output.baseAddress?.assumingMemoryBound(to: CChar.self),
            Int32(input.count), Int32(output.count))
        guard produced == Int32(output.count) else {
            throw FormatError(produced < 0
                ? "LZ4 data is malformed"
                : "LZ4 data decompressed to \(produced) bytes, \(output.count) expected")
        }
    }
}
