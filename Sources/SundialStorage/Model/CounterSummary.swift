/// What a stretch of one series' samples adds up to, without decoding them: enough for `rate`,
/// `increase` and `delta` over a window that holds the stretch whole.
///
/// Blocks store one per chunk whose values are all integers (counters, bucket counts, most
/// gauges; docs/FORMAT.md, "Chunk summaries"), so a 30-day `increase` decodes only the chunks at
/// the window's two edges.
public struct CounterSummary: Sendable, Equatable {
    /// The first sample's time and value.
    public var firstTimestampMs: Int64
    public var firstValue: Double
    /// The last sample's time and value.
    public var lastTimestampMs: Int64
    public var lastValue: Double
    /// How many samples the stretch holds (at least one).
    public var count: Int
    /// The sum of the value before each decrease inside the stretch (a counter reset), the amount
    /// Prometheus's `rate` adds back for them.
    public var resetCorrection: Double
    /// True when at least one value inside the stretch is lower than the one before it.
    public var hasResets: Bool

    /// A summary of the given parts.
    public init(firstTimestampMs: Int64, firstValue: Double, lastTimestampMs: Int64, lastValue: Double,
                count: Int, resetCorrection: Double, hasResets: Bool) {
        self.firstTimestampMs = firstTimestampMs
        self.firstValue = firstValue
        self.lastTimestampMs = lastTimestampMs
        self.lastValue = lastValue
        self.count = count
        self.resetCorrection = resetCorrection
        self.hasResets = hasResets
    }
}

/// The values part of a chunk's summary as a block index stores it: exact integers (every value of
/// the chunk is an integer of magnitude below 2^53, so sums of them are exact too).
struct ChunkValueSummary: Sendable, Equatable {
    var first: Int64
    var last: Int64
    /// The sum of the value before each decrease, or nil when the values never decrease.
    var correction: Int64?

    /// The summary of `values`, or nil when a value is not an exact integer (a float, NaN, a stale
    /// marker, -0.0) or the correction would leave the exactly representable range.
    init?(_ values: UnsafeBufferPointer<Double>) {
        guard let firstValue = values.first, let lastValue = values.last,
              ValueCodec.isExactInteger(firstValue), ValueCodec.isExactInteger(lastValue) else { return nil }
        var previous = firstValue
        var correction: Int64 = 0
        var decreased = false
        for v in values {
            guard ValueCodec.isExactInteger(v) else { return nil }
            if v < previous {
                let (sum, overflow) = correction.addingReportingOverflow(Int64(previous))
                guard !overflow, sum.magnitude < 1 << 53 else { return nil }
                correction = sum
                decreased = true
            }
            previous = v
        }
        self.first = Int64(firstValue)
        self.last = Int64(lastValue)
        self.correction = decreased ? correction : nil
    }

    init(first: Int64, last: Int64, correction: Int64?) {
        self.first = first
        self.last = last
        self.correction = correction
    }

    /// The public form, with the times and count of the chunk's timestamp column.
    func counterSummary(_ column: TimestampColumn) -> CounterSummary {
        CounterSummary(firstTimestampMs: column.minTimeMs, firstValue: Double(first), lastTimestampMs: column.maxTimeMs,
                       lastValue: Double(last), count: column.count, resetCorrection: Double(correction ?? 0),
                       hasResets: correction != nil)
    }
}
