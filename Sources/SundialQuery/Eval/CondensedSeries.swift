import SundialStorage

/// One series for `rate`, `increase` and `delta` in which every summarised segment that no window
/// cuts stands as one element (its ``SundialStorage/CounterSummary``) and the rest as single samples.
///
/// Those functions need only a window's first and last sample, its sample count and the value before
/// each decrease, so a segment wholly inside a window contributes its summary, and one wholly outside
/// contributes nothing: a 30-day `increase` decodes only the chunks at the window's two edges. The
/// result is the one Prometheus computes from every sample (the additions happen in the same order and,
/// the summarised values being integers below 2^53, exactly).
struct CondensedSeries {
    private(set) var firstTimes: [Int64] = []
    private(set) var lastTimes: [Int64] = []
    private(set) var firstValues: [Double] = []
    private(set) var lastValues: [Double] = []
    /// `samplesBefore[i]`: the samples in elements `0..<i`.
    private(set) var samplesBefore: [Int] = [0]
    /// Decreases in time order, each at a position: `2i` for one between element `i - 1` and element `i`,
    /// `2i + 1` for those inside element `i` (a summary's correction); with the value added back.
    private(set) var resetPositions: [Int] = []
    private(set) var resetValues: [Double] = []

    var elementCount: Int { firstTimes.count }

    mutating func removeAll() {
        firstTimes.removeAll(keepingCapacity: true)
        lastTimes.removeAll(keepingCapacity: true)
        firstValues.removeAll(keepingCapacity: true)
        lastValues.removeAll(keepingCapacity: true)
        samplesBefore.removeAll(keepingCapacity: true)
        samplesBefore.append(0)
        resetPositions.removeAll(keepingCapacity: true)
        resetValues.removeAll(keepingCapacity: true)
    }

    /// The newest time held so far.
    var lastTime: Int64? { lastTimes.last }

    mutating func appendSample(_ t: Int64, _ v: Double) {
        append(firstTime: t, firstValue: v, lastTime: t, lastValue: v, count: 1, correction: nil)
    }

    mutating func append(_ summary: CounterSummary) {
        append(firstTime: summary.firstTimestampMs, firstValue: summary.firstValue, lastTime: summary.lastTimestampMs,
               lastValue: summary.lastValue, count: summary.count, correction: summary.hasResets ? summary.resetCorrection : nil)
    }

    private mutating func append(firstTime: Int64, firstValue: Double, lastTime: Int64, lastValue: Double, count: Int,
                                 correction: Double?) {
        let i = firstTimes.count
        if let previous = lastValues.last, firstValue < previous {
            resetPositions.append(2 * i)
            resetValues.append(previous)
        }
        if let correction {
            resetPositions.append(2 * i + 1)
            resetValues.append(correction)
        }
        firstTimes.append(firstTime)
        lastTimes.append(lastTime)
        firstValues.append(firstValue)
        lastValues.append(lastValue)
        samplesBefore.append(samplesBefore[i] + count)
    }

    /// `rate`, `increase` or `delta` (`extrapolatedRate`) over elements `lo..<hi`, nil for fewer than two samples.
    func extrapolatedRate(lo: Int, hi: Int, rangeStartMs: Int64, rangeEndMs: Int64, rangeMs: Int64,
                          isCounter: Bool, isRate: Bool) -> Double? {
        let count = samplesBefore[hi] - samplesBefore[lo]
        guard count >= 2 else { return nil }
        let first = firstValues[lo]
        var result = lastValues[hi - 1] - first
        if isCounter {
            // Decreases after the window's first sample: inside element lo, then up to inside element hi - 1.
            var r = resetPositions.partitionPoint { $0 >= 2 * lo + 1 }
            while r < resetPositions.count && resetPositions[r] < 2 * hi {
                result += resetValues[r]
                r += 1
            }
        }
        return RangeFunction.extrapolate(result, firstValue: first, firstTimestampMs: firstTimes[lo], lastTimestampMs: lastTimes[hi - 1],
                                         count: count, rangeStartMs: rangeStartMs, rangeEndMs: rangeEndMs, rangeMs: rangeMs,
                                         isCounter: isCounter, isRate: isRate)
    }
}

extension WindowPlan {
    /// True when no window of the plan has an edge strictly inside `minTimeMs...maxTimeMs`, so that each
    /// window holds all of a segment spanning those times or none of it (windows are `[end − range, end]`).
    func containsWhole(_ minTimeMs: Int64, _ maxTimeMs: Int64) -> Bool {
        // An end e cuts the segment when minTimeMs <= e < maxTimeMs.
        let end = ends.partitionPoint { $0 >= minTimeMs }
        if end < ends.count && ends[end] < maxTimeMs { return false }
        // A start s = e − range cuts it when minTimeMs < s <= maxTimeMs.
        let start = ends.partitionPoint { $0 &- rangeMs > minTimeMs }
        if start < ends.count && ends[start] &- rangeMs <= maxTimeMs { return false }
        return true
    }
}
