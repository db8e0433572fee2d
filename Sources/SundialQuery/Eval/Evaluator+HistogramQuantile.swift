import Dispatch
import Foundation
import SundialStorage

extension Evaluator {
    /// `histogram_quantile(φ, buckets)` over classic `le` buckets: series are grouped once by their
    /// labels without `le` (the metric name is part of the group, as in Prometheus, and dropped from
    /// the result); each step gathers the buckets present then.
    ///
    /// Groups are independent, so large inputs compute them on several threads; the results are then
    /// set in group and step order, so a clash of output labels fails exactly as on one thread.
    func histogramQuantile(_ q: [Double], _ input: [StepSeries], _ grid: StepGrid, context: String) throws(QueryError) -> [StepSeries] {
        var groupIndex: [LabelSet: Int] = [:]
        var groupSlots: [Int] = []
        var members: [BucketMember] = []
        var collector = SeriesCollector(steps: grid.count)
        for (i, series) in input.enumerated() {
            guard let le = series.labels["le"], let bound = GoFloat.parse(le) else { continue }
            let key = series.labels.filter { $0.name != "le" }
            let g: Int
            if let existing = groupIndex[key] {
                g = existing
            } else {
                g = groupSlots.count
                groupIndex[key] = g
                groupSlots.append(collector.slot(for: key.droppingMetricName))
            }
            members.append(BucketMember(series: i, group: g, bound: bound))
        }
        let groups = BucketGroups(members)
        members = groups.members
        let ranges = groups.ranges
        let steps = grid.count
        let results = QuantileResults(groups: ranges.count, steps: steps)
        let work = members.count * steps
        let threads = work >= 200_000 && source.supportsConcurrentReads
            ? Swift.min(Evaluator.activeProcessors, 8, ranges.count) : 1
        let sorted = members
        let groupRanges = ranges
        if threads <= 1 {
            results.compute(ranges.indices, ranges, sorted, input, q)
        } else {
            WorkerPool.shared.perform(iterations: threads) { worker in
                results.compute(Swift.Array(stride(from: worker, to: groupRanges.count, by: threads)), groupRanges, sorted, input, q)
            }
        }
        for (r, range) in ranges.enumerated() {
            let slot = groupSlots[members[range.lowerBound].group]
            for s in 0..<steps where results.present[r * steps + s] {
                try collector.set(slot, s, results.values[r * steps + s], context: context)
            }
        }
        return collector.finish()
    }
}

/// One bucket series of a `histogram_quantile` group.
struct BucketMember {
    var series: Int
    var group: Int
    var bound: Double
}

/// The bucket series of `histogram_quantile` by group: `members` sorted by group, bound and input
/// position (so each step's buckets arrive sorted and the per-step sort only confirms it), and
/// `ranges[r]`, the run of group `r`'s members.
struct BucketGroups {
    let members: [BucketMember]
    let ranges: [Range<Int>]

    init(_ members: [BucketMember]) {
        let sorted = members.sorted { ($0.group, $0.bound, $0.series) < ($1.group, $1.bound, $1.series) }
        var ranges: [Range<Int>] = []
        var start = 0
        while start < sorted.count {
            var end = start
            while end < sorted.count && sorted[end].group == sorted[start].group { end += 1 }
            ranges.append(start..<end)
            start = end
        }
        self.members = sorted
        self.ranges = ranges
    }
}

/// Where `histogram_quantile` reads its bucket series by index: step series, or the rows of a fold
/// (``HistogramFold``). Read from several threads at once, never written meanwhile.
protocol BucketSeries {
    func withSeries<R>(_ index: Int, _ body: (_ values: UnsafeBufferPointer<Double>, _ present: UnsafeBufferPointer<Bool>) -> R) -> R

    /// Whether every series is a row at a fixed address (``row(_:)``) for as long as the groups are computed.
    var hasFixedRows: Bool { get }

    /// Series `index`'s values and presence flags, one per step, when ``hasFixedRows``; nil for a series
    /// with no value at any step.
    func row(_ index: Int) -> (values: UnsafePointer<Double>, present: UnsafePointer<Bool>)?
}

extension BucketSeries {
    var hasFixedRows: Bool { false }
    func row(_ index: Int) -> (values: UnsafePointer<Double>, present: UnsafePointer<Bool>)? { nil }
}

extension Array: BucketSeries where Element == StepSeries {
    func withSeries<R>(_ index: Int, _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Bool>) -> R) -> R {
        self[index].values.withUnsafeBufferPointer { values in self[index].present.withUnsafeBufferPointer { body(values, $0) } }
    }
}

/// Each group's quantile per step, written by whichever thread computes the group: group `r` owns
/// the region `r * steps ..< (r + 1) * steps`, so the threads never share an element.
final class QuantileResults: @unchecked Sendable {
    let steps: Int
    let values: UnsafeMutableBufferPointer<Double>
    let present: UnsafeMutableBufferPointer<Bool>

    init(groups: Int, steps: Int) {
        self.steps = steps
        values = .allocate(capacity: Swift.max(1, groups * steps))
        values.initialize(repeating: 0)
        present = .allocate(capacity: Swift.max(1, groups * steps))
        present.initialize(repeating: false)
    }

    deinit {
        values.deallocate()
        present.deallocate()
    }

    /// Computes the groups `which` (indices into `ranges`, each a run of `members`) into their regions.
    func compute<Groups: Sequence<Int>, Input: BucketSeries>(_ which: Groups, _ ranges: [Range<Int>], _ members: [BucketMember],
                                                             _ input: Input, _ q: [Double]) {
        for r in which { compute(group: r, members[ranges[r]], input, q) }
    }

    /// Computes group `r`, whose bucket series are `members` (sorted by bound, then position), a block of
    /// steps at a time: each member series is read once per block, in order, into a flat buffer holding
    /// every step's buckets side by side.
    func compute<Input: BucketSeries>(group r: Int, _ members: ArraySlice<BucketMember>, _ input: Input, _ q: [Double]) {
        var scratch = QuantileScratch()
        compute(group: r, members, input, q, scratch: &scratch)
    }

    /// ``compute(group:_:_:_:)`` with arrays reused from group to group (`scratch`).
    func compute<Input: BucketSeries>(group r: Int, _ members: ArraySlice<BucketMember>, _ input: Input, _ q: [Double],
                                      scratch: inout QuantileScratch) {
        let width = members.count
        guard width > 0 else { return }
        if input.hasFixedRows { return computeFromRows(group: r, members, input, q, scratch: &scratch) }
        // Blocks of about 4,096 buckets (64 KiB): the member loop writes each step's slots far apart, so the
        // buffer must stay in the core's cache (a whole day at once, 700 KB, spent more time missing it).
        let blockSteps = Swift.max(1, Swift.min(steps, (1 << 12) / width))
        let buckets = UnsafeMutableBufferPointer<Quantiles.Bucket>.allocate(capacity: width * blockSteps)
        defer { buckets.deallocate() }
        let filled = UnsafeMutableBufferPointer<Int>.allocate(capacity: blockSteps)
        defer { filled.deallocate() }
        // Members are in bound order: when the bounds strictly increase (no repeat, no NaN), every step's
        // buckets, a subset of them, are sorted and distinct already.
        let sortedUnique = zip(members, members.dropFirst()).allSatisfy { $0.bound < $1.bound }
        var blockStart = 0
        while blockStart < steps {
            let blockEnd = Swift.min(steps, blockStart + blockSteps)
            for k in 0..<(blockEnd - blockStart) { filled[k] = 0 }
            for member in members {
                let bound = member.bound
                input.withSeries(member.series) { values, present in
                    for s in blockStart..<blockEnd where present[s] {
                        let k = s &- blockStart
                        buckets[k &* width &+ filled[k]] = Quantiles.Bucket(upperBound: bound, count: values[s])
                        filled[k] &+= 1
                    }
                }
            }
            for s in blockStart..<blockEnd where filled[s - blockStart] > 0 {
                let k = s - blockStart
                let stepBuckets = UnsafeMutableBufferPointer(rebasing: buckets[(k * width)..<(k * width + filled[k])])
                values[r * steps + s] = Quantiles.bucketQuantile(q[s], stepBuckets, sortedUnique: sortedUnique)
                present[r * steps + s] = true
            }
            blockStart = blockEnd
        }
    }

    /// ``compute(group:_:_:_:)`` over rows at fixed addresses: each step's buckets are read straight from the
    /// members' rows (one sequential stream per member) into a buffer of one step's buckets, which stays in
    /// the core's first-level cache. Copying the rows into a block of steps first, bucket by bucket at a
    /// stride of a step's buckets, took half of the quantiles' time in the 24 h latency query.
    private func computeFromRows<Input: BucketSeries>(group r: Int, _ members: ArraySlice<BucketMember>, _ input: Input, _ q: [Double],
                                                     scratch: inout QuantileScratch) {
        // Taken out of `scratch` while in use, so that appending to them checks no sharing.
        var bounds = scratch.bounds
        var valueRows = scratch.valueRows
        var presentRows = scratch.presentRows
        var buckets = scratch.buckets
        scratch = QuantileScratch()
        defer { scratch = QuantileScratch(bounds: bounds, valueRows: valueRows, presentRows: presentRows, buckets: buckets) }
        bounds.removeAll(keepingCapacity: true)
        valueRows.removeAll(keepingCapacity: true)
        presentRows.removeAll(keepingCapacity: true)
        bounds.reserveCapacity(members.count)
        valueRows.reserveCapacity(members.count)
        presentRows.reserveCapacity(members.count)
        for member in members {
            // A sum without a value at any step has no row: it is never among a step's buckets.
            guard let row = input.row(member.series) else { continue }
            bounds.append(member.bound)
            valueRows.append(row.values)
            presentRows.append(row.present)
        }
        let width = bounds.count
        guard width > 0 else { return }
        // Members are in bound order: when the bounds strictly increase (no repeat, no NaN), every step's
        // buckets, a subset of them, are sorted and distinct already.
        let sortedUnique = zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }
        if buckets.count < width { buckets = Array(repeating: Quantiles.Bucket(upperBound: 0, count: 0), count: width) }
        buckets.withUnsafeMutableBufferPointer { stepBuckets in
            bounds.withUnsafeBufferPointer { bounds in
                valueRows.withUnsafeBufferPointer { valueRows in
                    presentRows.withUnsafeBufferPointer { presentRows in
                        for s in 0..<steps {
                            var filled = 0
                            if sortedUnique {
                                // The counts made monotonic as they are read (`bucketQuantile`'s `ensureMonotonic`, in
                                // the same order and with the same comparisons, NaN included), saving a pass.
                                var maximum = 0.0
                                for m in 0..<width where presentRows[m][s] {
                                    var count = valueRows[m][s]
                                    if filled == 0 {
                                        maximum = count
                                    } else if count > maximum {
                                        maximum = count
                                    } else if count < maximum {
                                        count = maximum
                                    }
                                    stepBuckets[filled] = Quantiles.Bucket(upperBound: bounds[m], count: count)
                                    filled &+= 1
                                }
                            } else {
                                for m in 0..<width {
                                    // Written whether present or not, and kept only if present: no branch per bucket.
                                    stepBuckets[filled] = Quantiles.Bucket(upperBound: bounds[m], count: valueRows[m][s])
                                    filled &+= presentRows[m][s] ? 1 : 0
                                }
                            }
                            guard filled > 0 else { continue }
                            values[r * steps + s] = Quantiles.bucketQuantile(q[s], UnsafeMutableBufferPointer(rebasing: stepBuckets[0..<filled]),
                                                                             sortedUnique: sortedUnique, monotonic: sortedUnique)
                            present[r * steps + s] = true
                        }
                    }
                }
            }
        }
    }
}

/// The arrays ``QuantileResults`` gathers one group's rows and one step's buckets in, reused from group to group:
/// an instant query computes 62 groups on the calling thread, and making them anew took 1,300 instructions a group.
struct QuantileScratch {
    var bounds: [Double] = []
    var valueRows: [UnsafePointer<Double>] = []
    var presentRows: [UnsafePointer<Bool>] = []
    var buckets: [Quantiles.Bucket] = []
}
