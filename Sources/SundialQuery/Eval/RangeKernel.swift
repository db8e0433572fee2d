import SundialStorage

/// One range-vector function applied to one series across every step of a grid: the inner loop of
/// `rate(x[5m])` and its kin. It holds no per-series state, so several threads can share one kernel,
/// each with its own ``RangeKernel/Scratch``.
struct RangeKernel: Sendable {
    let function: RangeFunction
    /// The function's scalar arguments at every step, in call order (the range vector left out).
    let scalarArguments: [[Double]]
    let grid: StepGrid
    let plan: WindowPlan
    /// `last_over_time` keeps the metric name; every other function drops it.
    var keepsName: Bool { function == .lastOverTime }

    /// Buffers one thread reuses from series to series.
    struct Scratch {
        var counters = ResetIndex()
        var stepArguments: [Double] = []
        var sorting: [Double] = []
    }

    /// The function's value at every step whose window holds samples of the series (`ts`, `vs`: the
    /// whole series in time order, stale markers removed), or nil when no step has a value.
    func apply(_ labels: LabelSet, _ ts: UnsafeBufferPointer<Int64>, _ vs: UnsafeBufferPointer<Double>,
               _ scratch: inout Scratch) throws(QueryError) -> StepSeries? {
        if function.needsDrops { scratch.counters.rebuild(vs) }
        if scratch.stepArguments.count != scalarArguments.count {
            scratch.stepArguments = [Double](repeating: 0, count: scalarArguments.count)
        }
        var values = [Double](repeating: 0, count: grid.count)
        var present = [Bool](repeating: false, count: grid.count)
        var found = 0
        let counters = scratch.counters
        try counters.drops.withUnsafeBufferPointer { (drops) throws(QueryError) in
            try counters.resets.withUnsafeBufferPointer { (resets) throws(QueryError) in
                try values.withUnsafeMutableBufferPointer { (valuesOut) throws(QueryError) in
                    try present.withUnsafeMutableBufferPointer { (presentOut) throws(QueryError) in
                        var lo = 0
                        var hi = 0
                        for step in 0..<grid.count {
                            let end = plan.ends[step]
                            let start = end &- plan.rangeMs
                            while hi < ts.count && ts[hi] <= end { hi += 1 }
                            while lo < hi && ts[lo] < start { lo += 1 }
                            if lo >= hi { continue }
                            for a in scalarArguments.indices { scratch.stepArguments[a] = scalarArguments[a][step] }
                            let window = RangeWindow(timestamps: ts, values: vs, drops: function.needsDrops ? drops : ResetIndex.none,
                                                     resets: function.needsDrops ? resets : ResetIndex.none, lo: lo, hi: hi,
                                                     rangeStartMs: start, rangeEndMs: end, rangeMs: plan.rangeMs, evalTimeMs: grid.time(step))
                            if let value = try function.apply(window, scratch.stepArguments, &scratch.sorting) {
                                valuesOut[step] = value
                                presentOut[step] = true
                                found += 1
                            }
                        }
                    }
                }
            }
        }
        guard found > 0 else { return nil }
        return StepSeries(labels: keepsName ? labels : labels.droppingMetricName, values: values, present: present)
    }
}
