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
        var timestamps: [Int64] = []
        /// What `timestamps` holds, by the segments it came from (``TimestampRuns``).
        var runs = TimestampRuns()
        var values: [Double] = []
        var condensed = CondensedSeries()
        var counters = ResetIndex()
        /// Index ranges of `values` known not to decrease inside (``Evaluator/load(_:_:dropStale:into:_:reusing:segments:bySegment:steady:)``).
        var steady: [Range<Int>] = []
        var stepArguments: [Double] = []
        var sorting: [Double] = []
        var windows = WindowTables()
        var buffers = SampleBuffers()
        /// The segments of the series being read.
        var segments: [SampleSegment] = []
        var steps = StepBuffer()

        /// Buffers that stay empty for most series get storage of their own all the same: every empty array
        /// is one object shared by all threads, and two workers counting references on it slowed each other.
        init() {
            steady.reserveCapacity(4)
            segments.reserveCapacity(4)
            counters.reserveCapacity(4)
        }
    }

    /// One series' result at every step of the grid, written in place and reused from series to series,
    /// so that a caller folding results away allocates nothing per series.
    struct StepBuffer {
        var values: [Double] = []
        var present: [Bool] = []
        /// How many steps have a value.
        var found = 0

        /// Empties the buffer for a grid of `steps` steps, keeping its storage.
        mutating func reset(steps: Int) {
            found = 0
            if values.count != steps {
                values = [Double](repeating: 0, count: steps)
                present = [Bool](repeating: false, count: steps)
            } else {
                // Whole buffers at once (a `memset` each): element by element, with a uniqueness check on
                // each, it took 2 % of a range query.
                values.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                present.withUnsafeMutableBufferPointer { $0.update(repeating: false) }
            }
        }

        /// Sizes the buffer for a grid of `steps` steps without clearing it, for a writer that writes every
        /// step's value and flag (``RangeKernel/applyExtrapolated(_:_:counters:windows:steady:timestamps:into:)``):
        /// clearing both arrays first took 3.6 % of the 24 h latency query's instructions.
        mutating func prepareToOverwrite(steps: Int) {
            found = 0
            if values.count != steps {
                values = [Double](repeating: 0, count: steps)
                present = [Bool](repeating: false, count: steps)
            }
        }

        /// The result as a series with `labels`, nil when no step has a value. The arrays move into the
        /// series (the buffer is left empty): kept, they would be copied when the next series resets them.
        mutating func take(_ labels: LabelSet) -> StepSeries? {
            guard found > 0 else { return nil }
            defer { self = StepBuffer() }
            return StepSeries(labels: labels, values: values, present: present)
        }
    }

    /// The function's value at every step whose window holds samples of the series (`ts`, `vs`: the
    /// whole series in time order, stale markers removed), or nil when no step has a value.
    func apply(_ labels: LabelSet, _ ts: UnsafeBufferPointer<Int64>, _ vs: UnsafeBufferPointer<Double>,
               _ scratch: inout Scratch) throws(QueryError) -> StepSeries? {
        try applySteps(ts, vs, &scratch)
        return scratch.steps.take(outputLabels(labels))
    }

    /// The output labels of a series with `labels`.
    func outputLabels(_ labels: LabelSet) -> LabelSet { keepsName ? labels : labels.droppingMetricName }

    /// ``apply(_:_:_:_:)`` into `scratch.steps`; `steady` are index ranges of `vs` known not to decrease inside.
    /// `timestamps`, when given, is the ``TimestampRuns/generation`` of `scratch.timestamps`, of which `ts` is
    /// the part the plan's windows can hold (``evaluateSteps(_:_:_:)``): a window table built for the same
    /// generation is used without comparing timestamps.
    func applySteps(_ ts: UnsafeBufferPointer<Int64>, _ vs: UnsafeBufferPointer<Double>, _ scratch: inout Scratch,
                    steady: [Range<Int>] = [], timestamps generation: Int? = nil) throws(QueryError) {
        // Each part of `scratch` is passed on by itself: moving the result buffer out and back instead put an
        // empty array in its place, and two workers counting references on that one shared empty array
        // slowed each other down.
        // `rate`, `increase` and `delta` have a loop of their own, with the reset index; it writes every step.
        if function.readsSummaries {
            scratch.steps.prepareToOverwrite(steps: grid.count)
            return applyExtrapolated(ts, vs, counters: &scratch.counters, windows: &scratch.windows, steady: steady,
                                     timestamps: generation, into: &scratch.steps)
        }
        scratch.steps.reset(steps: grid.count)
        if scratch.stepArguments.count != scalarArguments.count {
            scratch.stepArguments = [Double](repeating: 0, count: scalarArguments.count)
        }
        try applyInWindows(ts, vs, arguments: &scratch.stepArguments, sorting: &scratch.sorting, into: &scratch.steps)
    }

    /// The function applied window by window, for every function but those of ``applyExtrapolated(_:_:counters:windows:steady:into:)``.
    private func applyInWindows(_ ts: UnsafeBufferPointer<Int64>, _ vs: UnsafeBufferPointer<Double>, arguments: inout [Double],
                                sorting: inout [Double], into steps: inout StepBuffer) throws(QueryError) {
        var found = 0
        defer { steps.found = found }
        try steps.values.withUnsafeMutableBufferPointer { (valuesOut) throws(QueryError) in
            try steps.present.withUnsafeMutableBufferPointer { (presentOut) throws(QueryError) in
                var lo = 0
                var hi = 0
                for step in 0..<grid.count {
                    let end = plan.ends[step]
                    let start = end &- plan.rangeMs
                    while hi < ts.count && ts[hi] <= end { hi += 1 }
                    while lo < hi && ts[lo] < start { lo += 1 }
                    if lo >= hi { continue }
                    for a in scalarArguments.indices { arguments[a] = scalarArguments[a][step] }
                    let window = RangeWindow(timestamps: ts, values: vs, lo: lo, hi: hi,
                                             rangeStartMs: start, rangeEndMs: end, rangeMs: plan.rangeMs, evalTimeMs: grid.time(step))
                    if let value = try function.apply(window, arguments, &sorting) {
                        valuesOut[step] = value
                        presentOut[step] = true
                        found += 1
                    }
                }
            }
        }
    }
}

extension RangeKernel {
    /// Reads series `i` of `selection` and applies the kernel: every sample decoded, except for `rate`,
    /// `increase` and `delta` on a series with summarised segments that no window cuts (``CondensedSeries``).
    /// - Returns: the samples (or condensed elements) read, and the kernel's result.
    func evaluate(_ selection: any QuerySelection, _ i: Int, _ scratch: inout Scratch) throws(QueryError) -> (samples: Int, series: StepSeries?) {
        let samples = try evaluateSteps(selection, i, &scratch)
        return (samples, scratch.steps.take(outputLabels(selection.labels(i))))
    }

    /// ``evaluate(_:_:_:)`` into `scratch.steps`.
    /// - Returns: the samples (or condensed elements) read.
    func evaluateSteps(_ selection: any QuerySelection, _ i: Int, _ scratch: inout Scratch) throws(QueryError) -> Int {
        let summarized = function.readsSummaries && selection.summarizedSegments(i, into: &scratch.segments)
        if summarized && scratch.segments.contains(where: { $0.summary != nil && plan.containsWhole($0.minTimeMs, $0.maxTimeMs) }) {
            try condense(selection, i, scratch.segments, into: &scratch.condensed, reusing: &scratch.buffers)
            applyCondensed(scratch.condensed, into: &scratch.steps)
            return scratch.condensed.elementCount
        }
        try Evaluator.load(selection, i, dropStale: true, into: &scratch.timestamps, &scratch.values, reusing: &scratch.buffers,
                           segments: scratch.segments, bySegment: summarized, steady: &scratch.steady, runs: &scratch.runs)
        let ts = scratch.timestamps
        let vs = scratch.values
        guard !ts.isEmpty, let firstEnd = plan.ends.first, let lastEnd = plan.ends.last else {
            scratch.steps.reset(steps: grid.count)
            return 0
        }
        // Whole chunks are decoded; only the samples some window can hold go on (ends never decrease).
        let low = ts.partitionPoint { $0 >= firstEnd &- plan.rangeMs }
        let high = ts.partitionPoint { $0 > lastEnd }
        // The steady stretches, in the indices of the part handed on.
        var kept = 0
        for run in scratch.steady where run.upperBound > low && run.lowerBound < high {
            scratch.steady[kept] = (Swift.max(run.lowerBound, low) - low)..<(Swift.min(run.upperBound, high) - low)
            kept += 1
        }
        scratch.steady.removeLast(scratch.steady.count - kept)
        let steady = scratch.steady
        try ts.withUnsafeBufferPointer { (t) throws(QueryError) in
            try vs.withUnsafeBufferPointer { (v) throws(QueryError) in
                try applySteps(UnsafeBufferPointer(rebasing: t[low..<high]), UnsafeBufferPointer(rebasing: v[low..<high]), &scratch,
                               steady: steady, timestamps: scratch.runs.generation)
            }
        }
        return ts.count
    }

    /// Fills `condensed` from the segments: summaries where no window cuts the segment, samples elsewhere
    /// (stale markers dropped, as ``Evaluator/load(_:dropStale:into:_:)`` drops them).
    private func condense(_ selection: any QuerySelection, _ series: Int, _ segments: borrowing [SampleSegment], into condensed: inout CondensedSeries,
                          reusing buffers: inout SampleBuffers) throws(QueryError) {
        condensed.removeAll()
        do {
            for k in segments.indices {
                let segment = segments[k]
                if let summary = segment.summary, plan.containsWhole(segment.minTimeMs, segment.maxTimeMs) {
                    if let last = condensed.lastTime, summary.firstTimestampMs <= last { continue }
                    condensed.append(summary)
                    continue
                }
                try selection.forEachRun(series, in: segment, reusing: &buffers) { ts, vs in
                    for i in ts.indices where !StaleMarker.isStale(vs[i]) {
                        if let last = condensed.lastTime, ts[i] <= last { continue }
                        condensed.appendSample(ts[i], vs[i])
                    }
                }
            }
        } catch {
            throw .source("\(error) (while reading \(selection.labels(series)))")
        }
    }

    /// The function at every step from a condensed series: no element straddles a window edge, so the
    /// two indices slide over whole elements.
    private func applyCondensed(_ series: CondensedSeries, into steps: inout StepBuffer) {
        steps.reset(steps: grid.count)
        var lo = 0
        var hi = 0
        let isCounter = function != .delta
        let isRate = function == .rate
        for step in 0..<grid.count {
            let end = plan.ends[step]
            let start = end &- plan.rangeMs
            // Windows may repeat or (with `@`) stand still; they never move back.
            while hi < series.elementCount && series.firstTimes[hi] <= end { hi += 1 }
            while lo < hi && series.lastTimes[lo] < start { lo += 1 }
            guard lo < hi, let value = series.extrapolatedRate(lo: lo, hi: hi, rangeStartMs: start, rangeEndMs: end, rangeMs: plan.rangeMs,
                                                               isCounter: isCounter, isRate: isRate) else { continue }
            steps.values[step] = value
            steps.present[step] = true
            steps.found += 1
        }
    }
}
