/// Sorted runs of samples from several sources (blocks, the head) for one series, merged into one
/// sorted run without repeated timestamps. For a timestamp present in several runs the run given
/// later wins: sources are passed oldest first, so the most recently written value is kept.
enum SampleRuns {
    static func merge(_ runs: [(timestamps: [Int64], values: [Double])]) -> (timestamps: [Int64], values: [Double]) {
        let nonEmpty = runs.filter { !$0.timestamps.isEmpty }
        if nonEmpty.isEmpty { return ([], []) }
        if nonEmpty.count == 1 { return nonEmpty[0] }
        // Non-overlapping runs in time order concatenate.
        let ordered = nonEmpty.enumerated().sorted {
            ($0.element.timestamps[0], $0.offset) < ($1.element.timestamps[0], $1.offset)
        }
        var disjoint = true
        for i in ordered.indices.dropFirst() where ordered[i].element.timestamps[0] <= (ordered[i - 1].element.timestamps.last ?? .min) {
            disjoint = false
            break
        }
        if disjoint {
            var ts: [Int64] = []
            var vs: [Double] = []
            for run in ordered {
                ts.append(contentsOf: run.element.timestamps)
                vs.append(contentsOf: run.element.values)
            }
            return (ts, vs)
        }
        // General case: a k-way merge by (timestamp, run priority).
        var cursors = [Int](repeating: 0, count: nonEmpty.count)
        var ts: [Int64] = []
        var vs: [Double] = []
        ts.reserveCapacity(nonEmpty.reduce(0) { $0 + $1.timestamps.count })
        vs.reserveCapacity(ts.capacity)
        while true {
            var best = -1
            var bestT = Int64.max
            for r in nonEmpty.indices where cursors[r] < nonEmpty[r].timestamps.count {
                let t = nonEmpty[r].timestamps[cursors[r]]
                // `<=`: for equal timestamps the later run (higher r) wins.
                if best < 0 || t <= bestT {
                    best = r
                    bestT = t
                }
            }
            guard best >= 0 else { break }
            let value = nonEmpty[best].values[cursors[best]]
            for r in nonEmpty.indices where cursors[r] < nonEmpty[r].timestamps.count && nonEmpty[r].timestamps[cursors[r]] == bestT {
                cursors[r] += 1
            }
            ts.append(bestT)
            vs.append(value)
        }
        return (ts, vs)
    }

    /// The part of a sorted run inside `[minTimeMs, maxTimeMs]`.
    static func clip(_ run: (timestamps: [Int64], values: [Double]), _ minTimeMs: Int64, _ maxTimeMs: Int64) -> (timestamps: [Int64], values: [Double]) {
        guard let first = run.timestamps.first, let last = run.timestamps.last else { return run }
        if first >= minTimeMs && last <= maxTimeMs { return run }
        let low = run.timestamps.partitionPoint { $0 >= minTimeMs }
        let high = run.timestamps.partitionPoint { $0 > maxTimeMs }
        guard low < high else { return ([], []) }
        return (Array(run.timestamps[low..<high]), Array(run.values[low..<high]))
    }
}

extension RandomAccessCollection where Index == Int {
    /// The index of the first element for which `belongsToSecondPart` is true, for a collection
    /// partitioned by it (binary search); `endIndex` when there is none.
    ///
    /// Inlinable, so that callers in other modules get it specialized for their collection: the generic
    /// form reads each element through a protocol witness whose coroutine frame is allocated on the heap.
    @inlinable
    package func partitionPoint(_ belongsToSecondPart: (Element) -> Bool) -> Int {
        partitionPoint(from: startIndex, belongsToSecondPart)
    }

    /// The index of the first element at or after `start` for which `belongsToSecondPart` is true, for a
    /// collection partitioned by it (binary search over `start..<endIndex`).
    @inlinable
    package func partitionPoint(from start: Int, _ belongsToSecondPart: (Element) -> Bool) -> Int {
        var low = start
        var high = endIndex
        while low < high {
            let mid = (low + high) / 2
            if belongsToSecondPart(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

/// The floor of `t / range` times `range`, correct for negative times too.
func alignedStart(_ t: Int64, _ range: Int64) -> Int64 {
    let q = t / range
    return (t % range < 0 ? q - 1 : q) * range
}
