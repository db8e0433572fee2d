/// The two quantile estimators of PromQL, as in Prometheus 2.42 `promql/quantile.go`.
enum Quantiles {
    /// One classic histogram bucket: its upper bound (`le`) and cumulative count.
    struct Bucket {
        var upperBound: Double
        var count: Double
    }

    /// `quantile()` / `quantile_over_time()`: rank `φ·(n−1)` with linear interpolation between the
    /// neighbouring order statistics (Hyndman–Fan type 7). NaNs sort first, as in Prometheus.
    /// `values` is sorted in place.
    static func quantile(_ q: Double, _ values: inout [Double]) -> Double {
        if values.isEmpty || q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        values.sort { a, b in a.isNaN ? !b.isNaN : (!b.isNaN && a < b) }
        let n = Double(values.count)
        let rank = q * (n - 1)
        let lower = Swift.max(0, rank.rounded(.down))
        let upper = Swift.min(n - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return values[Int(lower)] * (1 - weight) + values[Int(upper)] * weight
    }

    /// `histogram_quantile()` over classic buckets (`bucketQuantile` in Prometheus 2.42):
    /// φ outside [0, 1] gives ∓Inf, no `+Inf` bucket gives NaN, equal bounds merge, counts are
    /// forced monotonic, fewer than two buckets or no observations give NaN, a rank in the `+Inf`
    /// bucket gives the second-highest bound, otherwise linear interpolation inside the bucket
    /// (from 0 for the lowest bucket when its bound is positive). `buckets` is reordered and
    /// overwritten in place (the caller's buffer is scratch).
    /// - Parameter sortedUnique: the caller knows the bounds are already increasing without repeats (a
    ///   subset of a histogram's distinct bounds, in order), so sorting and merging would change nothing.
    /// - Parameter monotonic: the caller made the counts monotonic already, as `ensureMonotonic` would (only with
    ///   `sortedUnique`, where merging changes nothing first).
    static func bucketQuantile(_ q: Double, _ buckets: UnsafeMutableBufferPointer<Bucket>, sortedUnique: Bool = false,
                               monotonic: Bool = false) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        guard !buckets.isEmpty else { return .nan }
        if !sortedUnique { sortByBound(buckets) }
        guard buckets[buckets.count - 1].upperBound == .infinity else { return .nan }
        let count = sortedUnique ? buckets.count : coalesce(buckets)
        if !(monotonic && sortedUnique) { ensureMonotonic(buckets, count) }
        guard count >= 2 else { return .nan }
        let observations = buckets[count - 1].count
        if observations == 0 { return .nan }
        var rank = q * observations
        // The first bucket (excluding +Inf) whose count reaches the rank, by binary search as Go's sort.Search.
        var low = 0
        var high = count - 1
        while low < high {
            // Both bounds chosen without a branch on the comparison (which goes either way at random from one
            // step to the next): the same halvings, so the same bucket, without a misprediction per halving.
            let mid = (low &+ high) &>> 1
            let reaches = buckets[mid].count >= rank
            high = reaches ? mid : high
            low = reaches ? low : mid &+ 1
        }
        let b = low
        if b == count - 1 { return buckets[count - 2].upperBound }
        if b == 0 && buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var bucketStart = 0.0
        let bucketEnd = buckets[b].upperBound
        var inBucket = buckets[b].count
        if b > 0 {
            bucketStart = buckets[b - 1].upperBound
            inBucket -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / inBucket)
    }

    /// Insertion sort by upper bound (bucket lists are short and usually arrive sorted; the order of
    /// equal bounds only changes the order in which their counts are added).
    private static func sortByBound(_ buckets: UnsafeMutableBufferPointer<Bucket>) {
        guard buckets.count > 1 else { return }
        for i in 1..<buckets.count where buckets[i].upperBound < buckets[i - 1].upperBound {
            let item = buckets[i]
            var j = i - 1
            while j >= 0 && item.upperBound < buckets[j].upperBound {
                buckets[j + 1] = buckets[j]
                j -= 1
            }
            buckets[j + 1] = item
        }
    }

    /// Merges buckets with equal bounds by adding their counts; returns how many are left, at the front.
    private static func coalesce(_ buckets: UnsafeMutableBufferPointer<Bucket>) -> Int {
        var last = buckets[0]
        var kept = 0
        for i in 1..<Swift.max(buckets.count, 1) {
            let b = buckets[i]
            if b.upperBound == last.upperBound {
                last.count += b.count
            } else {
                buckets[kept] = last
                last = b
                kept += 1
            }
        }
        buckets[kept] = last
        return kept + 1
    }

    /// Carries the running maximum so cumulative counts never decrease (the first `count` buckets).
    private static func ensureMonotonic(_ buckets: UnsafeMutableBufferPointer<Bucket>, _ count: Int) {
        var maximum = buckets[0].count
        for i in 1..<Swift.max(count, 1) {
            if buckets[i].count > maximum {
                maximum = buckets[i].count
            } else if buckets[i].count < maximum {
                buckets[i].count = maximum
            }
        }
    }
}
