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
    /// (from 0 for the lowest bucket when its bound is positive). `buckets` is reordered in place.
    static func bucketQuantile(_ q: Double, _ buckets: inout [Bucket]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        guard !buckets.isEmpty else { return .nan }
        sortByBound(&buckets)
        guard let highest = buckets.last, highest.upperBound == .infinity else { return .nan }
        coalesce(&buckets)
        ensureMonotonic(&buckets)
        guard buckets.count >= 2 else { return .nan }
        let observations = buckets[buckets.count - 1].count
        if observations == 0 { return .nan }
        var rank = q * observations
        // The first bucket (excluding +Inf) whose count reaches the rank, by binary search as Go's sort.Search.
        var low = 0
        var high = buckets.count - 1
        while low < high {
            let mid = (low + high) / 2
            if buckets[mid].count >= rank { high = mid } else { low = mid + 1 }
        }
        let b = low
        if b == buckets.count - 1 { return buckets[buckets.count - 2].upperBound }
        if b == 0 && buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var bucketStart = 0.0
        let bucketEnd = buckets[b].upperBound
        var count = buckets[b].count
        if b > 0 {
            bucketStart = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count)
    }

    /// Insertion sort by upper bound (bucket lists are short; the order of equal bounds only
    /// changes the order in which their counts are added).
    private static func sortByBound(_ buckets: inout [Bucket]) {
        guard buckets.count > 1 else { return }
        for i in 1..<buckets.count {
            let item = buckets[i]
            var j = i - 1
            while j >= 0 && item.upperBound < buckets[j].upperBound {
                buckets[j + 1] = buckets[j]
                j -= 1
            }
            buckets[j + 1] = item
        }
    }

    /// Merges buckets with equal bounds by adding their counts.
    private static func coalesce(_ buckets: inout [Bucket]) {
        var last = buckets[0]
        var kept = 0
        for b in buckets.dropFirst() {
            if b.upperBound == last.upperBound {
                last.count += b.count
            } else {
                buckets[kept] = last
                last = b
                kept += 1
            }
        }
        buckets[kept] = last
        buckets.removeLast(buckets.count - kept - 1)
    }

    /// Carries the running maximum so cumulative counts never decrease.
    private static func ensureMonotonic(_ buckets: inout [Bucket]) {
        var maximum = buckets[0].count
        for i in 1..<buckets.count {
            if buckets[i].count > maximum {
                maximum = buckets[i].count
            } else if buckets[i].count < maximum {
                buckets[i].count = maximum
            }
        }
    }
}
