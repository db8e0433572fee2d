import SundialStorage

/// The windows a range selector or subquery covers: at step `i`, `[ends[i] - rangeMs, ends[i]]`,
/// closed at both ends as in Prometheus 2.42. `ends` never decreases.
struct WindowPlan: Sendable {
    let rangeMs: Int64
    let ends: [Int64]
}

extension Evaluator {
    // MARK: Reading the source

    /// Asks the source for a selector's series in `[minTimeMs, maxTimeMs]`.
    func select(_ selector: VectorSelector, minTimeMs: Int64, maxTimeMs: Int64) throws(QueryError) -> any QuerySelection {
        guard minTimeMs <= maxTimeMs else { return QuerySeriesList([]) }
        let found: any QuerySelection
        do {
            found = try source.selection(matching: selector.allMatchers, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs)
        } catch {
            throw .source("\(error) (while selecting `\(selector)`)")
        }
        try account(series: found.count)
        return found
    }

    /// Decodes series `i` of `selection` into the reusable buffers, in time order, optionally without stale
    /// markers (range selections skip them; instant selections need them to end a series).
    func load(_ selection: any QuerySelection, _ i: Int, dropStale: Bool) throws(QueryError) {
        // Fill local arrays: appending to the class's properties inside the closure would pay a
        // dynamic exclusivity check per sample.
        var ts = timestampBuffer
        var vs = valueBuffer
        timestampBuffer = []
        valueBuffer = []
        defer {
            timestampBuffer = ts
            valueBuffer = vs
        }
        var buffers = SampleBuffers()
        var steady: [Range<Int>] = []
        try Self.load(selection, i, dropStale: dropStale, into: &ts, &vs, reusing: &buffers, steady: &steady)
        try account(samples: ts.count)
    }

    /// Decodes series `i` of `selection` into `ts` and `vs` (replacing their contents, keeping their
    /// capacity), in time order, a repeated timestamp once, stale markers dropped when `dropStale`, decoding
    /// through `buffers`, kept by the caller from series to series. With `bySegment`, only `segments` (the series'
    /// ``QuerySelection/summarizedSegments(_:into:)``, already computed) are read; they are borrowed, not copied.
    /// `steady` becomes the index ranges of `vs` taken whole from a summarised segment without a decrease:
    /// integers that never go down, so no stale marker and no counter reset lies inside.
    static func load(_ selection: any QuerySelection, _ series: Int, dropStale: Bool, into ts: inout [Int64], _ vs: inout [Double],
                     reusing buffers: inout SampleBuffers, segments: borrowing [SampleSegment] = [], bySegment: Bool = false,
                     steady: inout [Range<Int>]) throws(QueryError) {
        var runs = TimestampRuns()
        try load(selection, series, dropStale: dropStale, into: &ts, &vs, reusing: &buffers, segments: segments, bySegment: bySegment,
                 steady: &steady, runs: &runs)
    }

    /// ``load(_:_:dropStale:into:_:reusing:segments:bySegment:steady:)`` into a `ts` that `runs` keeps from
    /// series to series: timestamps the buffer holds already, by the names of the segments they come from
    /// (``TimestampRuns``), are not written again, and `runs.generation` stays as it was when the series has
    /// exactly the timestamps of the one loaded before.
    static func load(_ selection: any QuerySelection, _ series: Int, dropStale: Bool, into ts: inout [Int64], _ vs: inout [Double],
                     reusing buffers: inout SampleBuffers, segments: borrowing [SampleSegment] = [], bySegment: Bool = false,
                     steady: inout [Range<Int>], runs: inout TimestampRuns) throws(QueryError) {
        vs.removeAll(keepingCapacity: true)
        steady.removeAll(keepingCapacity: true)
        runs.begin()
        do {
            // `integral`: the run comes from a summarised segment (integers only: no marker); `steadyRun`: one
            // without a decrease. Passed in, not captured as variables: a closure capturing a variable it
            // sees change keeps it in a heap box, made and freed for every series.
            func append(_ timestamps: UnsafeBufferPointer<Int64>, _ values: UnsafeBufferPointer<Double>, integral: Bool, steadyRun: Bool,
                        name: TimestampsIdentity?) {
                let inOrder = timestamps.first.map { first in runs.last(ts).map { $0 < first } ?? true } ?? true
                if inOrder && (integral || !(dropStale && StaleMarker.occurs(in: values))) {
                    if steadyRun { steady.append(vs.count..<(vs.count + values.count)) }
                    runs.append(timestamps, named: name, to: &ts)
                    vs.append(contentsOf: values)
                    return
                }
                if inOrder {
                    // Only stale markers to leave out.
                    runs.append(timestamps, droppingStaleIn: values, named: name, to: &ts)
                    for v in values where !StaleMarker.isStale(v) { vs.append(v) }
                    return
                }
                for i in timestamps.indices {
                    if dropStale && StaleMarker.isStale(values[i]) { continue }
                    if let last = runs.last(ts), timestamps[i] <= last { continue }
                    runs.append(timestamps[i], to: &ts)
                    vs.append(values[i])
                }
            }
            if bySegment {
                // Read in place: a segment is 136 bytes, which reading it out of the array copied.
                try segments.withUnsafeBufferPointer { segments in
                    for k in segments.indices {
                        let integral = segments[k].summary != nil
                        let steadyRun = segments[k].summary.map { !$0.hasResets } ?? false
                        let name = segments[k].timestampsIdentity
                        try selection.forEachRun(series, in: segments[k], reusing: &buffers) {
                            append($0, $1, integral: integral, steadyRun: steadyRun, name: name)
                        }
                    }
                }
            } else {
                try selection.forEachRun(series, reusing: &buffers) { append($0, $1, integral: false, steadyRun: false, name: nil) }
            }
        } catch {
            runs.end(&ts)
            throw .source("\(error) (while reading \(selection.labels(series)))")
        }
        runs.end(&ts)
    }

    // MARK: Instant selectors

    /// An instant selector at every step: the latest sample at or before the reference time, if it
    /// is at most the lookback delta old (a sample exactly that old counts) and not a stale marker.
    /// - Parameter sampleTimes: Return each sample's timestamp in seconds instead of its value
    ///   (for `timestamp(x)`).
    func evaluateSelector(_ selector: VectorSelector, _ grid: StepGrid, sampleTimes: Bool = false) throws(QueryError) -> [StepSeries] {
        let offset = selector.offsetMs
        let lookback = options.lookbackDeltaMs
        let first = referenceTime(selector.at, grid, 0) &- offset
        let last = referenceTime(selector.at, grid, grid.count - 1) &- offset
        let selected = try select(selector, minTimeMs: first &- lookback, maxTimeMs: last)
        var output: [StepSeries] = []
        for series in 0..<selected.count {
            try load(selected, series, dropStale: false)
            var values = [Double](repeating: 0, count: grid.count)
            var present = [Bool](repeating: false, count: grid.count)
            var found = 0
            timestampBuffer.withUnsafeBufferPointer { ts in
                valueBuffer.withUnsafeBufferPointer { vs in
                    values.withUnsafeMutableBufferPointer { valuesOut in
                        present.withUnsafeMutableBufferPointer { presentOut in
                            var next = 0  // samples before `next` are at or before the reference time
                            for step in 0..<grid.count {
                                let reference = referenceTime(selector.at, grid, step) &- offset
                                while next < ts.count && ts[next] <= reference { next += 1 }
                                guard next > 0 else { continue }
                                let k = next - 1
                                if ts[k] < reference &- lookback || StaleMarker.isStale(vs[k]) { continue }
                                valuesOut[step] = sampleTimes ? Double(ts[k]) / 1000 : vs[k]
                                presentOut[step] = true
                                found += 1
                            }
                        }
                    }
                }
            }
            if found > 0 {
                try account(samples: found)
                try account(heldSeries: 1, steps: grid.count)
                output.append(StepSeries(labels: selected.labels(series), values: values, present: present))
            }
        }
        return output
    }

    // MARK: Range selectors

    /// The windows of a range selector over the grid.
    func windowPlan(_ matrix: MatrixSelector, _ grid: StepGrid) -> WindowPlan {
        let selector = matrix.selector
        let ends = (0..<grid.count).map { referenceTime(selector.at, grid, $0) &- selector.offsetMs }
        return WindowPlan(rangeMs: matrix.rangeMs, ends: ends)
    }

    /// Calls `body` once per series of a range-vector argument (a range selector or a subquery)
    /// with all its samples across every window of the grid, stale markers removed.
    func forEachWindowedSeries(
        _ argument: Expr, _ grid: StepGrid,
        _ body: (LabelSet, UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>, WindowPlan) throws(QueryError) -> Void
    ) throws(QueryError) {
        switch argument.unwrapped {
        case let .range(matrix):
            let plan = windowPlan(matrix, grid)
            guard let firstEnd = plan.ends.first, let lastEnd = plan.ends.last else { return }
            let selected = try select(matrix.selector, minTimeMs: firstEnd &- matrix.rangeMs, maxTimeMs: lastEnd)
            for series in 0..<selected.count {
                try load(selected, series, dropStale: true)
                guard !timestampBuffer.isEmpty else { continue }
                let timestamps = timestampBuffer
                let values = valueBuffer
                try timestamps.withUnsafeBufferPointer { (ts) throws(QueryError) in
                    try values.withUnsafeBufferPointer { (vs) throws(QueryError) in
                        try body(selected.labels(series), ts, vs, plan)
                    }
                }
            }
        case let .subquery(subquery):
            let (series, plan) = try evaluateSubquery(subquery, grid)
            for s in series {
                try s.timestamps.withUnsafeBufferPointer { (ts) throws(QueryError) in
                    try s.values.withUnsafeBufferPointer { (vs) throws(QueryError) in
                        try body(s.labels, ts, vs, plan)
                    }
                }
            }
        default:
            throw .evaluation("expected a range vector (a range selector or a subquery), got `\(argument)`")
        }
    }

    /// A range selector evaluated on its own (the top of an instant query): the raw samples in the
    /// window at the first step.
    func rawRange(_ matrix: MatrixSelector, _ grid: StepGrid) throws(QueryError) -> [RangeSeries] {
        var output: [RangeSeries] = []
        try forEachWindowedSeries(.range(matrix), StepGrid.instant(grid.startMs)) { labels, ts, vs, plan throws(QueryError) in
            let end = plan.ends[0]
            var samples: [Sample] = []
            for i in ts.indices where ts[i] >= end &- plan.rangeMs && ts[i] <= end {
                samples.append(Sample(timestampMs: ts[i], value: vs[i]))
            }
            if !samples.isEmpty { output.append(RangeSeries(labels, samples)) }
        }
        return output
    }
}
