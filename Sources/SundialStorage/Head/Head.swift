/// The in-memory part of the store: every committed sample not yet sealed into a block, indexed by
/// label set. Its series references are the ones the current write-ahead segment uses.
///
/// The head is only mutated by the writer and only read under the store's lock; a reader's snapshot
/// records how many samples each series had, so later appends stay invisible to it.
// Shared between the writer and snapshots: only the writer mutates it, and readers read it under the
// store's published lock (see HeadView), so marking it Sendable is sound.
final class Head: @unchecked Sendable {
    private(set) var series: [HeadSeries] = []
    private var refs: [LabelSet: UInt32] = [:]
    private(set) var sampleCount = 0
    private(set) var minTimeMs = Int64.max
    private(set) var maxTimeMs = Int64.min
    private(set) var metadata: [String: MetricMetadata] = [:]

    var isEmpty: Bool { sampleCount == 0 }

    /// The reference of the series with `labels`, creating it when new.
    func reference(for labels: LabelSet) -> UInt32 {
        if let ref = refs[labels] { return ref }
        let ref = UInt32(series.count)
        series.append(HeadSeries(labels: labels))
        refs[labels] = ref
        return ref
    }

    /// Notes that the current write-ahead segment defines series `ref`.
    func markLogged(_ ref: UInt32) { series[Int(ref)].isLogged = true }

    /// Notes that no series is defined in the (new) current segment yet.
    func markAllUnlogged() {
        for i in series.indices { series[i].isLogged = false }
    }

    /// The reference of an existing series.
    func existingReference(for labels: LabelSet) -> UInt32? { refs[labels] }

    /// Adds a series under a reference read back from the write-ahead log.
    func restore(ref: UInt32, labels: LabelSet) throws(FormatError) {
        guard Int(ref) == series.count else {
            throw FormatError("series reference \(ref) out of sequence (expected \(series.count))")
        }
        series.append(HeadSeries(labels: labels))
        series[Int(ref)].isLogged = true
        refs[labels] = ref
    }

    /// Appends samples by reference; every reference must name a series of the head.
    ///
    /// A batch of scrapes interleaves its series (one sample of each, then the next scrape), so appending
    /// sample by sample touches every series' arrays once per sample. A large batch whose references lie
    /// close together is first grouped by series with a stable counting sort, and each series then takes
    /// its run in one copy: what stays per sample is a scatter into two buffers the size of the batch.
    func append(refs: [UInt32], timestamps: [Int64], values: [Double]) {
        guard let firstRef = refs.first else { return }
        var low = minTimeMs
        var high = maxTimeMs
        var lowRef = firstRef
        var highRef = firstRef
        for i in refs.indices {
            let t = timestamps[i]
            if t < low { low = t }
            if t > high { high = t }
            let ref = refs[i]
            if ref < lowRef { lowRef = ref }
            if ref > highRef { highRef = ref }
        }
        let span = Int(highRef - lowRef) + 1
        if refs.count >= 1024 && span <= refs.count {
            appendGrouped(refs: refs, timestamps: timestamps, values: values, lowRef: lowRef, span: span)
        } else {
            // One access to the series table for the whole batch, not one per sample.
            series.withUnsafeMutableBufferPointer { table in
                for i in refs.indices { table[Int(refs[i])].append(timestamps[i], values[i]) }
            }
        }
        sampleCount += refs.count
        minTimeMs = low
        maxTimeMs = high
    }

    /// Reused between batches by ``appendGrouped(refs:timestamps:values:lowRef:span:)``.
    private var runStarts: [Int] = []
    private var groupedTimestamps: [Int64] = []
    private var groupedValues: [Double] = []

    private func appendGrouped(refs: [UInt32], timestamps: [Int64], values: [Double], lowRef: UInt32, span: Int) {
        let n = refs.count
        runStarts.removeAll(keepingCapacity: true)
        runStarts.append(contentsOf: repeatElement(0, count: span + 1))
        if groupedTimestamps.count < n {
            groupedTimestamps = [Int64](repeating: 0, count: n)
            groupedValues = [Double](repeating: 0, count: n)
        }
        runStarts.withUnsafeMutableBufferPointer { starts in
            for ref in refs { starts[Int(ref - lowRef) + 1] += 1 }
            for b in 0..<span { starts[b + 1] += starts[b] }
            // Scatter in batch order (stable: a series' samples keep their order); `starts[b]` walks up
            // to where run b + 1 begins, so afterwards run b is `starts[b - 1]..<starts[b]`.
            groupedTimestamps.withUnsafeMutableBufferPointer { ts in
                groupedValues.withUnsafeMutableBufferPointer { vs in
                    for i in 0..<n {
                        let b = Int(refs[i] - lowRef)
                        let position = starts[b]
                        ts[position] = timestamps[i]
                        vs[position] = values[i]
                        starts[b] = position + 1
                    }
                    series.withUnsafeMutableBufferPointer { table in
                        var start = 0
                        for b in 0..<span where starts[b] > start {
                            table[Int(lowRef) + b].append(contentsOf: UnsafeBufferPointer(rebasing: ts[start..<starts[b]]),
                                                          UnsafeBufferPointer(rebasing: vs[start..<starts[b]]))
                            start = starts[b]
                        }
                    }
                }
            }
        }
    }

    func record(_ record: MetricMetadata) {
        metadata[record.name] = metadata[record.name].map { $0.merged(with: record) } ?? record
    }

    /// Applies a committed batch.
    func apply(_ batch: WriteAheadBatch) throws(FormatError) {
        for (ref, labels) in batch.newSeries where Int(ref) >= series.count { try restore(ref: ref, labels: labels) }
        for record in batch.metadata { self.record(record) }
        let known = series.count
        if let unknown = batch.refs.first(where: { Int($0) >= known }) {
            throw FormatError("sample names unknown series \(unknown)")
        }
        append(refs: batch.refs, timestamps: batch.timestamps, values: batch.values)
    }

    /// The number of samples each series holds now: what a snapshot records.
    func watermark() -> [Int] { series.map(\.count) }
}
