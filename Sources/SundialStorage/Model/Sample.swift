/// One sample: a timestamp in milliseconds since the Unix epoch and a Float64 value.
public struct Sample: Hashable, Sendable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var timestampMs: Int64
    /// The value; NaN, ±Inf, -0.0 and the stale marker are all kept bit-exactly.
    public var value: Double

    /// Creates a sample.
    public init(timestampMs: Int64, value: Double) {
        self.timestampMs = timestampMs
        self.value = value
    }

    /// Equal when the timestamps are equal and the values have the same bit pattern (so NaN == NaN).
    public static func == (lhs: Sample, rhs: Sample) -> Bool {
        lhs.timestampMs == rhs.timestampMs && lhs.value.bitPattern == rhs.value.bitPattern
    }

    /// Hashes the timestamp and the value's bit pattern.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(timestampMs)
        hasher.combine(value.bitPattern)
    }

    /// `value @ timestampMs`.
    public var description: String { "\(value) @\(timestampMs)" }
}
