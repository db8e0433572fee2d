/// A label with owned strings, as ``ParsedDocument`` keeps it.
public struct ParsedLabel: Sendable, Hashable, CustomStringConvertible {
    /// The label name.
    public var name: String
    /// The unescaped label value.
    public var value: String

    /// Creates a label.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `name="value"`, unescaped.
    public var description: String { "\(name)=\"\(value)\"" }
}

/// Everything a parse of a whole input found, as owned values: for tests and small inputs.
///
/// ```swift
/// let document = ExpositionParser.parse("# TYPE up gauge\nup 1\n", format: .prometheusText)
/// document.samples[0].value   // 1.0
/// ```
public struct ParsedDocument: Sendable, Equatable {
    /// One sample with owned values.
    public struct Sample: Sendable, Equatable, CustomStringConvertible {
        /// The metric name.
        public var name: String
        /// The labels, unescaped, in the order written; the metric name is not among them.
        public var labels: [ParsedLabel]
        /// The value.
        public var value: Double
        /// The timestamp in milliseconds, if written.
        public var timestampMs: Int64?
        /// The line, from 1.
        public var line: Int
        /// The family name (see ``ParsedSample/familyName``).
        public var familyName: String
        /// The family's type.
        public var familyType: MetricType
        /// The series identity exactly as written (see ``ParsedSample/seriesText``).
        public var seriesText: String

        /// Creates a sample.
        public init(
            name: String, labels: [ParsedLabel], value: Double, timestampMs: Int64?, line: Int,
            familyName: String, familyType: MetricType, seriesText: String
        ) {
            self.name = name
            self.labels = labels
            self.value = value
            self.timestampMs = timestampMs
            self.line = line
            self.familyName = familyName
            self.familyType = familyType
            self.seriesText = seriesText
        }

        /// Copies a parsed sample.
        public init(_ sample: ParsedSample) {
            self.init(
                name: sample.metricNameString(),
                labels: sample.labels().map { ParsedLabel(name: $0.name, value: $0.value) },
                value: sample.value, timestampMs: sample.timestampMs, line: sample.line,
                familyName: sample.familyNameString(), familyType: sample.familyType,
                seriesText: sample.seriesTextString())
        }

        /// The value of the label `name`, or `nil`.
        public func label(_ name: String) -> String? {
            labels.first { $0.name == name }?.value
        }

        /// Equal when every field is; values compare by bit pattern, except that any NaN equals any NaN.
        public static func == (a: Sample, b: Sample) -> Bool {
            let sameValue = a.value.isNaN ? b.value.isNaN : a.value.bitPattern == b.value.bitPattern
            return sameValue && a.name == b.name && a.labels == b.labels && a.timestampMs == b.timestampMs
                && a.line == b.line && a.familyName == b.familyName && a.familyType == b.familyType
                && a.seriesText == b.seriesText
        }

        /// `name{labels} value [timestamp]` at `line`.
        public var description: String {
            let set = labels.isEmpty ? "" : "{" + labels.map(\.description).joined(separator: ",") + "}"
            let ts = timestampMs.map { " \($0)" } ?? ""
            return "\(line): \(name)\(set) \(value)\(ts) [\(familyType.rawValue) \(familyName)]"
        }
    }

    /// The accepted samples, in input order.
    public var samples: [Sample] = []
    /// Every metadata record the parser reported, in order (a family appears once per HELP/TYPE/UNIT line).
    public var metadata: [FamilyMetadata] = []
    /// Every rejection, in the order reported.
    public var errors: [ExpositionError] = []

    /// Creates an empty document.
    public init() {}
}

extension ParsedDocument: ExpositionSink {
    /// Keeps the record.
    public mutating func metadata(_ metadata: FamilyMetadata) { self.metadata.append(metadata) }
    /// Keeps an owned copy of the sample.
    public mutating func sample(_ sample: ParsedSample) { samples.append(Sample(sample)) }
    /// Keeps the error.
    public mutating func reject(_ error: ExpositionError) { errors.append(error) }
}

extension ExpositionParser {
    /// Parses a whole text into owned values.
    /// - Parameters:
    ///   - text: The input.
    ///   - format: Its format.
    ///   - fileName: The name used in errors.
    /// - Returns: The samples, metadata and errors found.
    public static func parse(_ text: String, format: ExpositionFormat, fileName: String = "<input>") -> ParsedDocument {
        var parser = ExpositionParser(format: format, fileName: fileName)
        var document = ParsedDocument()
        var text = text
        text.withUTF8 { parser.feed(UnsafeRawBufferPointer($0), into: &document) }
        parser.finish(into: &document)
        return document
    }
}
