/// A sample as parsed. Its buffers are valid only during the sink call.
///
/// The buffers point into the parser's input (or its buffer for a line split across ``ExpositionParser/feed(_:into:)``
/// calls); copy what you keep. Label values are kept as written; ``labels()`` and ``forEachRawLabel(_:)`` decode them.
public struct ParsedSample {
    /// The raw bytes of the series identity exactly as written: from the first byte of the metric name through
    /// the closing `}` (or the end of the name when there are no labels). Use it as a cache key.
    public var seriesText: UnsafeRawBufferPointer
    /// The metric name as written (`x_bucket`).
    public var metricName: UnsafeRawBufferPointer
    /// The value; NaN is always `Double.nan`.
    public var value: Double
    /// The timestamp in milliseconds, if the line has one. Text format: the integer as written. OpenMetrics:
    /// seconds converted as Prometheus 2.42 does, `Int64(seconds * 1000)` truncated toward zero.
    public var timestampMs: Int64?
    /// The line of the input, from 1.
    public var line: Int
    /// The name of the family this sample belongs to: for `x_bucket` under `# TYPE x histogram` it is `x`.
    ///
    /// A buffer, always a prefix of ``metricName`` (a sample's name is its family name or the family name plus a
    /// suffix), so it costs nothing; ``familyNameString()`` makes a string of it. A sample outside any declared
    /// family is a family of its own, named by its metric name.
    public var familyName: UnsafeRawBufferPointer
    /// The family's type: as declared by `# TYPE`, or ``MetricType/untyped`` (text) / ``MetricType/unknown``
    /// (OpenMetrics) without one.
    public var familyType: MetricType

    /// The start of the line, which the label spans count from.
    let lineStart: UnsafePointer<UInt8>
    /// The labels in the order written.
    let labelSpans: UnsafeBufferPointer<LabelSpan>

    /// When the parser recognised this series text from an earlier document, a number naming it that stays
    /// the same for every later sample of the same text from the same parser, until the parser's cache is
    /// cleared (then the high 32 bits change). Callers use it to find their own record of the series by
    /// array index instead of hashing the text; nil when the text was not recognised.
    public var knownSeriesToken: UInt64?

    init(
        seriesText: UnsafeRawBufferPointer, metricName: UnsafeRawBufferPointer, value: Double,
        timestampMs: Int64?, line: Int, familyName: UnsafeRawBufferPointer, familyType: MetricType,
        lineStart: UnsafePointer<UInt8>, labelSpans: UnsafeBufferPointer<LabelSpan>, knownSeriesToken: UInt64? = nil
    ) {
        self.seriesText = seriesText
        self.metricName = metricName
        self.value = value
        self.timestampMs = timestampMs
        self.line = line
        self.familyName = familyName
        self.familyType = familyType
        self.lineStart = lineStart
        self.labelSpans = labelSpans
        self.knownSeriesToken = knownSeriesToken
    }

    /// The number of labels, metric name not included.
    public var labelCount: Int { labelSpans.count }

    /// Decodes the labels (unescaped) into owned strings, metric name NOT included, in the order written.
    /// - Returns: The labels, for example `[("operation", "UpdateWorkflowExecution"), ("le", "0.005")]`.
    public func labels() -> [(name: String, value: String)] {
        labelSpans.map { span in
            (
                name: String(decoding: bytes(span.nameStart, span.nameEnd), as: UTF8.self),
                value: span.escaped
                    ? Escapes.decode(bytes(span.valueStart, span.valueEnd))
                    : String(decoding: bytes(span.valueStart, span.valueEnd), as: UTF8.self)
            )
        }
    }

    /// Calls `body` with each label's name and value exactly as written (escapes not decoded), without
    /// allocating.
    ///
    /// `hasEscapes` tells whether the value contains `\\`, `\"` or `\n` escapes, which a caller must decode
    /// (``labels()`` does) before using the value as text.
    /// - Parameter body: Called once per label, in the order written.
    public func forEachRawLabel(
        _ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, _ hasEscapes: Bool) throws -> Void
    ) rethrows {
        for span in labelSpans {
            try body(bytes(span.nameStart, span.nameEnd), bytes(span.valueStart, span.valueEnd), span.escaped)
        }
    }

    /// The metric name as a string.
    public func metricNameString() -> String { String(decoding: metricName, as: UTF8.self) }

    /// The family name as a string.
    public func familyNameString() -> String { String(decoding: familyName, as: UTF8.self) }

    /// The series identity as written, as a string.
    public func seriesTextString() -> String { String(decoding: seriesText, as: UTF8.self) }

    private func bytes(_ start: Int, _ end: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: lineStart + start, count: end - start)
    }
}
