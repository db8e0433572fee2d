/// Parsing one document in pieces, each piece by its own parser (for example on its own thread).
///
/// A piece after the first starts where the whole document's parse would open a new family, so that the piece
/// parses exactly as that part of the whole document does, given two facts a caller checks when it puts the
/// pieces back together:
/// - The parser of the previous piece, at its end, confirms with ``startsFamily(line:)`` that the next piece's
///   first line opens a new family there (and that no `# EOF` came before it); that line must be accepted.
/// - No `# HELP`, `# TYPE` or `# UNIT` line of a piece (``metadataFamilyNames``) names a family that an earlier
///   piece met (``familyNames``): only such lines read what earlier lines of the document left behind.
///
/// Each piece counts lines from 1; the caller adds the lines of the pieces before it.
extension ExpositionParser {
    /// Ends a piece of a document that is not the document's end: closes the open family and its bucket
    /// group (reporting a group without `+Inf`), as the next piece's first line would, and does not ask for
    /// `# EOF`. The next ``feed(_:into:)`` starts a new document.
    /// - Parameter sink: Receives what closing the family reports.
    public mutating func finishPiece(into sink: inout some ExpositionSink) {
        if finished { return }
        processLastLineAndCloseFamily(into: &sink)
        finished = true
    }

    /// Whether `line` (without its newline), if it came next and were accepted, would open a new family: a
    /// sample whose name does not belong to the open family, or a `# HELP`, `# TYPE` or `# UNIT` line of a family
    /// other than the open one. False after `# EOF`, for comments, blank lines and lines without a metric name.
    public func startsFamily(line: UnsafeRawBufferPointer) -> Bool {
        guard !sawEOF, !finished, carry.isEmpty, let base = line.baseAddress, line.count > 0 else { return false }
        let p = base.assumingMemoryBound(to: UInt8.self)
        var end = line.count
        if p[end - 1] == 0x0D { end -= 1 }
        guard end > 0 else { return false }
        if p[0] == UInt8(ascii: "#") {
            guard let name = Self.metadataName(p, end, format: format) else { return false }
            guard family.active else { return true }
            return !family.name.withUnsafeBufferPointer { open in
                open.count == name.count && (open.baseAddress.map { ByteText.same($0, p + name.lowerBound, count: name.count) } ?? true)
            }
        }
        guard ByteClass.isMetricNameStart(p[0]) else { return false }
        let nameEnd = ByteClass.scanName(p, from: 1, to: end, colon: true, table: byteClasses)
        if case .newFamily = matchFamily(p, 0, nameEnd) { return true }
        return false
    }

    /// The family names of this document's `# HELP`, `# TYPE` and `# UNIT` lines so far, accepted or not.
    public var metadataFamilyNames: [[UInt8]] { metadataNames }

    /// Every family name this document has met so far, by a metadata line or a sample.
    public var familyNames: [[UInt8]] { Array(history.keys) }

    /// Whether this document had its `# EOF` line.
    public var sawEndOfInput: Bool { sawEOF }

    /// Stores validated series texts from now on, from this document on (not only from the second): for a long
    /// document that repeats its series, such as one piece of a file of many timestamped scrapes. Changes no
    /// result.
    public mutating func storeKnownSeriesNow() {
        storesKnownSeries = true
    }

    /// The range of the family name in a `# HELP`, `# TYPE` or `# UNIT` line `p[0..<end]`, or `nil` when the line
    /// is not one (as this format reads it).
    static func metadataName(_ p: UnsafePointer<UInt8>, _ end: Int, format: ExpositionFormat) -> Range<Int>? {
        var i = 1
        if format == .openMetrics {
            guard end > 7, p[1] == UInt8(ascii: " ") else { return nil }
            guard ByteText.hasPrefix(p, 2, end, "HELP ") || ByteText.hasPrefix(p, 2, end, "TYPE ")
                || ByteText.hasPrefix(p, 2, end, "UNIT ") else { return nil }
            i = 7
        } else {
            guard i < end, ByteClass.isBlank(p[i]) else { return nil }
            while i < end && ByteClass.isBlank(p[i]) { i += 1 }
            guard end - i > 4, ByteClass.isBlank(p[i + 4]),
                  ByteText.equals(p, i, i + 4, "HELP") || ByteText.equals(p, i, i + 4, "TYPE") else { return nil }
            i += 4
            while i < end && ByteClass.isBlank(p[i]) { i += 1 }
        }
        guard i < end, ByteClass.isMetricNameStart(p[i]) else { return nil }
        var nameEnd = i + 1
        while nameEnd < end && ByteClass.isMetricNameByte(p[nameEnd]) { nameEnd += 1 }
        return i..<nameEnd
    }
}
