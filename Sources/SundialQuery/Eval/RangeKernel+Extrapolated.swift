import SundialStorage

/// The timestamp-only part of one step's extrapolation, remembered for the next series whose window at
/// that step has the same first and last timestamps and count: the series of one scrape share their
/// timestamps, so most windows reuse it and skip the divisions.
struct ExtrapolationStep {
    var firstTimestampMs: Int64 = .min
    var lastTimestampMs: Int64 = .min
    var count = 0
    /// The factor when a counter's extrapolation towards zero does not apply.
    var factor = 0.0
    /// `durationToStart / sampledInterval`, raised by 1e-9 relative: a counter whose first value is at
    /// least `result` times this cannot reach zero before the window's start, so the factor above
    /// holds; below it the exact computation runs.
    var zeroRatioBound = 0.0
}

extension RangeKernel {
    /// `rate`, `increase` and `delta` at every step: the loop of ``apply(_:_:_:_:)`` written out for
    /// the three functions dashboards use most, with the resets inside a window taken from the
    /// series' reset index and the timestamp-only part of the extrapolation shared across series.
    /// The arithmetic is ``RangeFunction/extrapolate(_:firstValue:firstTimestampMs:lastTimestampMs:count:rangeStartMs:rangeEndMs:rangeMs:isCounter:isRate:)``'s,
    /// in the same order, so results are bit-identical.
    func applyExtrapolated(_ labels: LabelSet, _ ts: UnsafeBufferPointer<Int64>, _ vs: UnsafeBufferPointer<Double>,
                           _ scratch: inout Scratch) -> StepSeries? {
        let isCounter = function != .delta
        let isRate = function == .rate
        if isCounter { scratch.counters.rebuild(vs) }
        if scratch.extrapolation.count != grid.count {
            scratch.extrapolation = [ExtrapolationStep](repeating: ExtrapolationStep(), count: grid.count)
        }
        var values = [Double](repeating: 0, count: grid.count)
        var present = [Bool](repeating: false, count: grid.count)
        var found = 0
        let rangeMs = plan.rangeMs
        let counters = scratch.counters
        counters.drops.withUnsafeBufferPointer { drops in
            counters.resets.withUnsafeBufferPointer { resets in
                scratch.extrapolation.withUnsafeMutableBufferPointer { memo in
                    values.withUnsafeMutableBufferPointer { valuesOut in
                        present.withUnsafeMutableBufferPointer { presentOut in
                            plan.ends.withUnsafeBufferPointer { ends in
                                let hasResets = isCounter && !resets.isEmpty
                                var lo = 0
                                var hi = 0
                                for step in 0..<ends.count {
                                    let end = ends[step]
                                    let start = end &- rangeMs
                                    while hi < ts.count && ts[hi] <= end { hi += 1 }
                                    while lo < hi && ts[lo] < start { lo += 1 }
                                    let n = hi - lo
                                    if n < 2 { continue }
                                    let first = vs[lo]
                                    var result = vs[hi - 1] - first
                                    if hasResets {
                                        for r in drops[lo]..<drops[hi - 1] { result += vs[resets[r] - 1] }
                                    }
                                    let firstT = ts[lo]
                                    let lastT = ts[hi - 1]
                                    if memo[step].firstTimestampMs != firstT || memo[step].lastTimestampMs != lastT || memo[step].count != n {
                                        let durationToStart = Double(firstT &- start) / 1000
                                        let sampledInterval = Double(lastT &- firstT) / 1000
                                        memo[step] = ExtrapolationStep(
                                            firstTimestampMs: firstT, lastTimestampMs: lastT, count: n,
                                            factor: RangeFunction.extrapolationFactor(
                                                durationToStart: durationToStart, durationToEnd: Double(end &- lastT) / 1000,
                                                sampledInterval: sampledInterval, count: n, rangeMs: rangeMs, isRate: isRate),
                                            zeroRatioBound: durationToStart / sampledInterval * (1 + 1e-9))
                                    }
                                    if isCounter && result > 0 && first >= 0 && !(first >= result * memo[step].zeroRatioBound) {
                                        valuesOut[step] = RangeFunction.extrapolate(
                                            result, firstValue: first, firstTimestampMs: firstT, lastTimestampMs: lastT, count: n,
                                            rangeStartMs: start, rangeEndMs: end, rangeMs: rangeMs, isCounter: true, isRate: isRate)
                                    } else {
                                        valuesOut[step] = result * memo[step].factor
                                    }
                                    presentOut[step] = true
                                    found += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        guard found > 0 else { return nil }
        return StepSeries(labels: labels.droppingMetricName, values: values, present: present)
    }
}
