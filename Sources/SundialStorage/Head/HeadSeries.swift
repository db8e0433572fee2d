/// The samples of one series not yet sealed into a block, in arrival order.
///
/// Appends only ever add at the end, so a reader that noted ``count`` earlier can read that prefix
/// later and see exactly what it saw then. Out-of-order and duplicate samples are sorted out when read
/// or sealed (``sortedSamples(upTo:)``): for equal timestamps the later append wins.
///
/// A value kept in ``Head``'s table and mutated there in place: appending a batch then costs no
/// reference counting per sample.
struct HeadSeries: Sendable {
    let labels: LabelSet
    private(set) var timestamps: [Int64] = []
    private(set) var values: [Double] = []
    /// True while every timestamp is greater than the one before.
    private(set) var isStrictlyIncreasing = true
    /// True once a batch that defines this series was written to the write-ahead log.
    var isLogged = false

    init(labels: LabelSet) {
        self.labels = labels
    }

    var count: Int { timestamps.count }
    var minTimeMs: Int64 { isStrictlyIncreasing ? timestamps.first ?? .max : timestamps.min() ?? .max }
    var maxTimeMs: Int64 { isStrictlyIncreasing ? timestamps.last ?? .min : timestamps.max() ?? .min }

    @inline(__always)
    mutating func append(_ t: Int64, _ v: Double) {
        if let last = timestamps.last, t <= last { isStrictlyIncreasing = false }
        timestamps.append(t)
        values.append(v)
    }

    /// Appends a run of samples in arrival order.
    mutating func append(contentsOf newTimestamps: UnsafeBufferPointer<Int64>, _ newValues: UnsafeBufferPointer<Double>) {
        guard var previous = newTimestamps.first else { return }
        if let last = timestamps.last, previous <= last { isStrictlyIncreasing = false }
        for t in newTimestamps.dropFirst() {
            if t <= previous { isStrictlyIncreasing = false }
            previous = t
        }
        timestamps.append(contentsOf: newTimestamps)
        values.append(contentsOf: newValues)
    }

    /// The first `count` samples sorted by time, duplicates resolved (the later append wins),
    /// restricted to `[minTimeMs, maxTimeMs]`.
    func sortedSamples(upTo count: Int, minTimeMs: Int64 = .min, maxTimeMs: Int64 = .max) -> (timestamps: [Int64], values: [Double]) {
        let n = min(count, timestamps.count)
        if isStrictlyIncreasing || n <= 1 {
            let low = lowerBound(minTimeMs, n)
            var high = lowerBound(maxTimeMs, n)
            if high < n && timestamps[high] == maxTimeMs { high += 1 }
            guard low < high else { return ([], []) }
            return (Array(timestamps[low..<high]), Array(values[low..<high]))
        }
        var order = Array(0..<n)
        // Sort by time, then by arrival so the last arrival of a timestamp comes last.
        order.sort { timestamps[$0] != timestamps[$1] ? timestamps[$0] < timestamps[$1] : $0 < $1 }
        var ts: [Int64] = []
        var vs: [Double] = []
        for i in order where timestamps[i] >= minTimeMs && timestamps[i] <= maxTimeMs {
            if let last = ts.last, last == timestamps[i] {
                vs[vs.count - 1] = values[i]
            } else {
                ts.append(timestamps[i])
                vs.append(values[i])
            }
        }
        return (ts, vs)
    }

    private func lowerBound(_ t: Int64, _ n: Int) -> Int {
        var low = 0
        var high = n
        while low < high {
            let mid = (low + high) / 2
            if timestamps[mid] < t { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

