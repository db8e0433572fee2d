/// The type of a metric family, as a `# TYPE` line declares it.
///
/// The raw values are the words of the OpenMetrics `# TYPE` line. The Prometheus text format knows only
/// `counter`, `gauge`, `histogram`, `summary` and `untyped`; OpenMetrics knows `counter`, `gauge`, `histogram`,
/// `gaugehistogram`, `summary`, `info`, `stateset` and `unknown`.
///
/// A family without a `# TYPE` line has type ``untyped`` in the text format and ``unknown`` in OpenMetrics.
public enum MetricType: String, Sendable, CaseIterable {
    /// A monotonic counter (`x`, `x_total`, `x_created`).
    case counter
    /// A value that can go up and down (`x`).
    case gauge
    /// A cumulative histogram (`x_bucket{le=…}`, `x_sum`, `x_count`, `x_created`).
    case histogram
    /// An OpenMetrics gauge histogram (`x_bucket{le=…}`, `x_gsum`, `x_gcount`).
    case gaugeHistogram = "gaugehistogram"
    /// A summary (`x{quantile=…}`, `x_sum`, `x_count`, `x_created`).
    case summary
    /// An OpenMetrics info metric (`x_info`).
    case info
    /// An OpenMetrics state set (`x{x="state"}` with value 0 or 1).
    case stateset
    /// The text format's type for a family of unknown type.
    case untyped
    /// OpenMetrics' type for a family of unknown type.
    case unknown
}

extension MetricType {
    /// The type a family has when no `# TYPE` line declares one.
    static func implicit(for format: ExpositionFormat) -> MetricType {
        format == .openMetrics ? .unknown : .untyped
    }

    /// Reads a `# TYPE` word, or returns `nil` when the word is not a type of `format`.
    static func fromWord(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, format: ExpositionFormat
    ) -> MetricType? {
        let word = UnsafeRawBufferPointer(start: p + start, count: end - start)
        let candidates: [MetricType] = format == .openMetrics
            ? [.counter, .gauge, .histogram, .gaugeHistogram, .summary, .info, .stateset, .unknown]
            : [.counter, .gauge, .histogram, .summary, .untyped]
        for candidate in candidates where word.elementsEqual(candidate.rawValue.utf8) {
            return candidate
        }
        return nil
    }

    /// Whether the type says nothing about a family's samples (`untyped`, `unknown`).
    var isUntyped: Bool { self == .untyped || self == .unknown }
}
