import SundialStorage

/// The value of a query, typed as PromQL types it.
public enum QueryResult: Sendable, Equatable {
    /// An instant vector: one sample per series at the evaluation time.
    case vector([InstantSample])
    /// A range vector (a range query, or an instant query of `x[5m]`): samples per series, series
    /// sorted by labels.
    case matrix([RangeSeries])
    /// A scalar at the evaluation time.
    case scalar(timestampMs: Int64, value: Double)
    /// A string literal.
    case string(String)

    /// The vector's samples, or an empty array for other results.
    public var vector: [InstantSample] {
        if case let .vector(samples) = self { return samples }
        return []
    }

    /// The matrix's series, or an empty array for other results.
    public var matrix: [RangeSeries] {
        if case let .matrix(series) = self { return series }
        return []
    }
}

/// One sample of an instant vector.
public struct InstantSample: Sendable, Equatable, CustomStringConvertible {
    /// The series' labels (a function or an arithmetic operator may have dropped the metric name).
    public var labels: LabelSet
    /// The evaluation time in milliseconds.
    public var timestampMs: Int64
    /// The value.
    public var value: Double

    /// Creates a sample.
    public init(_ labels: LabelSet, timestampMs: Int64, value: Double) {
        self.labels = labels
        self.timestampMs = timestampMs
        self.value = value
    }

    /// Equal labels and timestamps, and values with the same bit pattern (so NaN equals NaN).
    public static func == (lhs: InstantSample, rhs: InstantSample) -> Bool {
        lhs.labels == rhs.labels && lhs.timestampMs == rhs.timestampMs && lhs.value.bitPattern == rhs.value.bitPattern
    }

    /// `labels => value @timestamp`.
    public var description: String { "\(labels) => \(value) @\(timestampMs)" }
}

/// One series of a range result.
public struct RangeSeries: Sendable, Equatable, CustomStringConvertible {
    /// The series' labels.
    public var labels: LabelSet
    /// The samples in time order (for a range query, one per step where the series has a value).
    public var samples: [Sample]

    /// Creates a series.
    public init(_ labels: LabelSet, _ samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }

    /// `labels => [samples]`.
    public var description: String { "\(labels) => \(samples)" }
}
