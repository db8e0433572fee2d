/// Where one label of the current line sits, as byte offsets from the start of the line.
struct LabelSpan {
    /// The first byte of the label name.
    var nameStart: Int
    /// One past the last byte of the label name.
    var nameEnd: Int
    /// The first byte of the value, after the opening quote.
    var valueStart: Int
    /// One past the last byte of the value, at the closing quote.
    var valueEnd: Int
    /// Whether the value contains a backslash escape.
    var escaped: Bool
}

/// Owns the label-span buffers of a parser (and of its copies) and frees them when the last copy goes.
///
/// The parser keeps the pointer to its current buffer in a stored property of its own, so that the hot path
/// reads no class property (which would cost a dynamic exclusivity check). A buffer that is outgrown is kept
/// until the end, so a copy of the parser still pointing at it stays valid. The contents matter only during
/// the parse of one line.
final class SpanStorage {
    private var buffers: [UnsafeMutablePointer<LabelSpan>] = []

    /// A new buffer for `capacity` spans, freed with this object.
    func allocate(capacity: Int) -> UnsafeMutablePointer<LabelSpan> {
        let buffer = UnsafeMutablePointer<LabelSpan>.allocate(capacity: capacity)
        buffers.append(buffer)
        return buffer
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }
}
