/// The known-series fast path: a sample line that begins with a series text (metric name through the closing
/// `}` of its labels) that the parser validated before, in this document or an earlier one, is not scanned and
/// checked again up to that `}`.
///
/// Why it is exact: a series text is stored only after its name and label set passed every check, and those
/// checks read nothing past the closing `}`. So a line that *begins with* a stored text parses, up to that `}`,
/// exactly as the line the text was stored from: same name, same labels, same spans (moved by the line's
/// start), same `le` and `quantile` facts, same family suffix. (No stored text is a prefix of another, since a
/// label set ends at its first unquoted `}`; so the text found is the line's own.) Where the line's text ends is
/// guessed (below); a wrong guess is a text that was never stored, so it costs a miss and the slow path, never a
/// wrong result.
/// Everything that depends on the document (the family, its TYPE, the order of metadata, the bucket group, the
/// value, the timestamp, the exemplar) is checked on every line as before.
extension ExpositionParser {
    /// Labels and their facts, from the cache or just parsed.
    struct KnownLabelSet {
        /// The offset just past the metric name, counting from the name's first byte.
        var nameEnd: Int
        var labels: LabelSetEnd
        /// What the `le` label holds, or `nil` when not looked at yet.
        var le: NumericLabel?
        /// What the `quantile` label holds, or `nil` when not looked at yet.
        var quantile: NumericLabel?
        /// The family suffix the metric name ends with.
        var suffix: NameSuffix
        /// The cache entry's token (see ``ParsedSample/knownSeriesToken``).
        var token: UInt64? = nil
    }

    /// A guess at where a line's series text ends, and its hash, kept so that storing the text after a miss
    /// does not hash it again.
    struct SeriesGuess {
        var end = 0
        var hash: UInt64 = 0
    }

    /// The known series text that `p[start..<end]` begins with, moved to `start`, with its spans in ``spans``;
    /// `nil` when there is none.
    ///
    /// First the text stored after the last one found, as scrapes keep their order (no hash: a byte compare).
    /// Then a guess looked up by hash: the line up to its last `}`, as values and timestamps hold none; in
    /// OpenMetrics, when that misses, up to the last `}` before an exemplar's ` # {`.
    @inline(__always)
    mutating func knownSeriesText(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ guess: inout SeriesGuess
    ) -> KnownLabelSet? {
        var record = knownSeries.findNext(p + start, available: end - start)
        if record == nil, let close = Self.lastBraceOfSeries(p, from: start + 1, to: end) {
            guess.end = close + 1
            guess.hash = KnownSeries.hash(p + start, guess.end - start)
            record = knownSeries.find(p + start, count: guess.end - start, hash: guess.hash)
            if record == nil && format == .openMetrics, let seriesClose = Self.braceBeforeExemplar(p, start, close) {
                guess.end = seriesClose + 1
                guess.hash = KnownSeries.hash(p + start, guess.end - start)
                record = knownSeries.find(p + start, count: guess.end - start, hash: guess.hash)
            }
        }
        guard let record else { return nil }
        let shape = KnownSeries.shape(record)
        reserveSpans(shape.labelCount)
        KnownSeries.copySpans(record, base: start, to: spans)
        return KnownLabelSet(
            nameEnd: shape.nameEnd,
            labels: LabelSetEnd(end: start + shape.length, count: shape.labelCount, sawNonASCII: shape.sawNonASCII),
            le: shape.le, quantile: shape.quantile, suffix: shape.suffix.map { .role($0) } ?? .none,
            token: knownSeries.token(of: record))
    }

    /// Parses the label set opening with `{` at `p[open]` of a sample named `p[nameStart..<nameEnd]` (exactly as
    /// ``parseLabelSet(_:open:end:firstSpan:what:)`` does, throwing the same faults) and stores the series text
    /// when the parser stores known series.
    /// - Parameter guess: Where ``knownSeriesText(_:_:_:_:)`` guessed the text ends, and its hash.
    @inline(__always)
    mutating func parseSeriesLabels(
        _ p: UnsafePointer<UInt8>, nameStart: Int, nameEnd: Int, open: Int, end: Int, _ guess: SeriesGuess
    ) throws(LineFault) -> KnownLabelSet {
        let labels = try parseLabelSet(p, open: open, end: end, firstSpan: 0, what: "label")
        guard storesKnownSeries else {
            return KnownLabelSet(nameEnd: nameEnd - nameStart, labels: labels, le: nil, quantile: nil, suffix: .unknown)
        }
        let le = numericLabel(p, named: "le", labelCount: labels.count)
        let quantile = numericLabel(p, named: "quantile", labelCount: labels.count)
        let suffix = SampleRole.ofLastSuffix(p, nameStart, nameEnd)
        let length = labels.end - nameStart
        if length <= KnownSeries.maxLength {
            let hash = labels.end == guess.end ? guess.hash : KnownSeries.hash(p + nameStart, length)
            knownSeries.insert(
                p + nameStart, hash: hash,
                shape: SeriesShape(length: length, nameEnd: nameEnd - nameStart, labelCount: labels.count,
                                   sawNonASCII: labels.sawNonASCII, le: le, quantile: quantile, suffix: suffix),
                spans: spans, base: nameStart)
        }
        return KnownLabelSet(nameEnd: nameEnd - nameStart, labels: labels, le: le, quantile: quantile,
                             suffix: suffix.map { .role($0) } ?? .none)
    }

    /// Makes room for at least `count` spans (their contents are not kept).
    @inline(__always)
    mutating func reserveSpans(_ count: Int) {
        while spanCapacity < count { growSpans(keeping: 0) }
    }

    /// The offset of the last `}` in `p[from..<to]`, looking back from `to` only over bytes that can follow a
    /// label set (values, timestamps, blanks, an exemplar); `nil` when there is none.
    ///
    /// Stops at `_`, `:`, `"`, `{`, `=` and `,`, which a sample's value and timestamp never hold, so a line without
    /// labels (`go_goroutines 42`) is given up after a few bytes.
    @inline(__always)
    static func lastBraceOfSeries(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var k = to - 1
        while k >= from {
            let c = p[k]
            if c == UInt8(ascii: "}") { return k }
            if c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "{")
                || c == UInt8(ascii: "=") || c == UInt8(ascii: ",") { return nil }
            k -= 1
        }
        return nil
    }

    /// OpenMetrics: when the `}` at `p[close]` may close an exemplar's labels (the nearest `{` before it follows
    /// ` # `), the offset of the last `}` before that exemplar, after `p[start]`; otherwise `nil`.
    static func braceBeforeExemplar(_ p: UnsafePointer<UInt8>, _ start: Int, _ close: Int) -> Int? {
        var k = close - 1
        while k > start + 3 && p[k] != UInt8(ascii: "{") { k -= 1 }
        guard k > start + 3, p[k - 1] == UInt8(ascii: " "), p[k - 2] == UInt8(ascii: "#"),
              p[k - 3] == UInt8(ascii: " ") else { return nil }
        var j = k - 4
        while j > start && p[j] != UInt8(ascii: "}") { j -= 1 }
        return j > start ? j : nil
    }
}
