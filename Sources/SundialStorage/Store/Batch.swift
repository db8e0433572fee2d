/// A set of samples (and metadata) committed together: after ``Store/commit(_:)`` returns, all of it
/// is durable and visible, and a crash before that leaves none of it.
///
/// ```swift
/// let store = try Store.open(at: "/tmp/metrics")
/// var batch = store.makeBatch()
/// let series = try store.reference(for: LabelSet(name: "service_requests", ["operation": "StartWorkflowExecution"]))
/// batch.append(series, timestampMs: 1_732_400_000_000, value: 42)
/// try store.commit(batch)
/// ```
public struct Batch: Sendable {
    var series: [UInt32] = []
    var timestamps: [Int64] = []
    var values: [Double] = []
    var metadata: [MetricMetadata] = []

    /// An empty batch (the same as ``Store/makeBatch()``).
    public init() {}

    /// True when the batch carries metadata records.
    public var hasMetadata: Bool { !metadata.isEmpty }

    /// The number of samples appended so far.
    public var sampleCount: Int { series.count }

    /// Appends one sample for a series obtained from ``Store/reference(for:)``.
    public mutating func append(_ series: SeriesReference, timestampMs: Int64, value: Double) {
        self.series.append(series.id)
        timestamps.append(timestampMs)
        values.append(value)
    }

    /// Records a metric family's type, help and unit.
    public mutating func setMetadata(_ record: MetricMetadata) {
        metadata.append(record)
    }

    /// Reserves room for `count` more samples.
    public mutating func reserveCapacity(_ count: Int) {
        series.reserveCapacity(series.count + count)
        timestamps.reserveCapacity(timestamps.count + count)
        values.reserveCapacity(values.count + count)
    }

    /// Appends every sample and metadata record of `other`.
    public mutating func append(contentsOf other: Batch) {
        series.append(contentsOf: other.series)
        timestamps.append(contentsOf: other.timestamps)
        values.append(contentsOf: other.values)
        metadata.append(contentsOf: other.metadata)
    }

    /// Keeps only the first `count` samples.
    mutating func truncate(to count: Int) {
        guard count < series.count else { return }
        series.removeSubrange(count...)
        timestamps.removeSubrange(count...)
        values.removeSubrange(count...)
    }

    /// Empties the batch, keeping its memory for reuse.
    public mutating func removeAll() {
        series.removeAll(keepingCapacity: true)
        timestamps.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        metadata.removeAll()
    }
}

/// A series' handle for fast appends, valid for the lifetime of the ``Store`` that issued it.
public struct SeriesReference: Hashable, Sendable {
    /// The store-wide number of the series.
    public let id: UInt32
    /// Recreates a reference from its ``id``; only ids issued by the same store handle are valid
    /// (others are refused when appended).
    public init(id: UInt32) { self.id = id }
}
