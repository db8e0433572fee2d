/// What kind of metric a family is, as its `# TYPE` line says.
public enum MetricKind: String, Sendable, CaseIterable, Codable {
    /// A monotonically increasing count that resets to zero on restart.
    case counter
    /// A value that goes up and down.
    case gauge
    /// Cumulative `_bucket{le}` counts plus `_sum` and `_count`.
    case histogram
    /// A histogram whose buckets may go down (OpenMetrics `gaugehistogram`).
    case gaugeHistogram = "gaugehistogram"
    /// Client-side quantiles `{quantile}` plus `_sum` and `_count`.
    case summary
    /// OpenMetrics `info`.
    case info
    /// OpenMetrics `stateset`.
    case stateset
    /// No type given.
    case untyped

    /// The stable one-byte code used on disk (docs/FORMAT.md).
    var code: UInt8 {
        switch self {
        case .counter: 1
        case .gauge: 2
        case .histogram: 3
        case .gaugeHistogram: 4
        case .summary: 5
        case .info: 6
        case .stateset: 7
        case .untyped: 0
        }
    }

    init(code: UInt8) {
        self = MetricKind.allCases.first { $0.code == code } ?? .untyped
    }
}

/// What is known about a metric family: its type, help text and unit.
public struct MetricMetadata: Hashable, Sendable, Codable {
    /// The family name as declared by `# TYPE` (for a histogram, without `_bucket`).
    public var name: String
    /// The family's type.
    public var kind: MetricKind
    /// The `# HELP` text, unescaped; empty when unknown.
    public var help: String
    /// The `# UNIT` (OpenMetrics); empty when unknown.
    public var unit: String

    /// Creates a metadata record.
    public init(name: String, kind: MetricKind, help: String = "", unit: String = "") {
        self.name = name
        self.kind = kind
        self.help = help
        self.unit = unit
    }

    /// Fills fields this record lacks from `other` and takes `other`'s known fields as newer.
    func merged(with other: MetricMetadata) -> MetricMetadata {
        MetricMetadata(
            name: name,
            kind: other.kind == .untyped ? kind : other.kind,
            help: other.help.isEmpty ? help : other.help,
            unit: other.unit.isEmpty ? unit : other.unit)
    }
}
