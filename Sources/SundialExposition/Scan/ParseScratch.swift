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

/// Reusable buffers for parsing one line at a time, so that the hot path allocates nothing.
///
/// The contents are meaningful only during the parse of one line; a copied ``ExpositionParser`` shares its
/// scratch, which is harmless because nothing survives from one line to the next (the parser is not `Sendable`).
final class ParseScratch {
    /// The labels of the current sample, then those of its exemplar.
    private(set) var spans: UnsafeMutablePointer<LabelSpan>
    /// How many spans fit.
    private(set) var spanCapacity: Int
    /// A NUL-terminated copy of a number for `strtod`.
    private var text: UnsafeMutablePointer<CChar>
    private var textCapacity: Int

    init() {
        spanCapacity = 32
        spans = .allocate(capacity: spanCapacity)
        textCapacity = 64
        text = .allocate(capacity: textCapacity)
    }

    deinit {
        spans.deallocate()
        text.deallocate()
    }

    /// Makes room for at least `count` spans, keeping the first `used`.
    @inline(never)
    func growSpans(toHold count: Int, keeping used: Int) {
        var capacity = spanCapacity
        while capacity < count { capacity *= 2 }
        let bigger = UnsafeMutablePointer<LabelSpan>.allocate(capacity: capacity)
        bigger.moveInitialize(from: spans, count: used)
        spans.deallocate()
        spans = bigger
        spanCapacity = capacity
    }

    /// Copies `count` bytes into the text buffer, NUL-terminated, and returns it.
    func cString(copying source: UnsafePointer<UInt8>, count: Int) -> UnsafeMutablePointer<CChar> {
        if count + 1 > textCapacity {
            text.deallocate()
            while textCapacity < count + 1 { textCapacity *= 2 }
            text = .allocate(capacity: textCapacity)
        }
        UnsafeMutableRawPointer(text).copyMemory(from: source, byteCount: count)
        text[count] = 0
        return text
    }
}
