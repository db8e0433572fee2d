import SundialStorage

extension Evaluator {
    /// A function over a range vector (`rate(x[5m])`, `quantile_over_time(0.9, x[1h])`, …).
    ///
    /// Each series is decoded once for the whole grid; two indices slide the window `[end - range,
    /// end]` across the steps, so a sample enters and leaves the window once. Counter-reset
    /// detection uses a prefix count of decreases so a window without resets costs O(1).
    func evaluateRangeFunction(_ call: FunctionCall, _ function: RangeFunction, _ grid: StepGrid) throws(QueryError) -> [StepSeries] {
        guard let matrixIndex = call.arguments.firstIndex(where: { $0.valueType == .matrix }) else {
            throw .evaluation("\(call.name) needs a range vector argument in `\(Expr.call(call))`")
        }
        let scalarArguments = try scalarArguments(of: call, besides: matrixIndex, grid)
        let argument = call.arguments[matrixIndex]
        var output: [StepSeries] = []
        if case let .range(matrix) = argument.unwrapped {
            // Repeated labels are checked as the series come (see `evaluateInParallel`).
            let kernel = RangeKernel(function: function, scalarArguments: scalarArguments, grid: grid, plan: windowPlan(matrix, grid))
            try evaluateInParallel(kernel, matrix, context: Expr.call(call).description, holding: true) { output.append($0) }
        } else {
            var scratch = RangeKernel.Scratch()
            try forEachWindowedSeries(argument, grid) { labels, ts, vs, plan throws(QueryError) in
                let kernel = RangeKernel(function: function, scalarArguments: scalarArguments, grid: grid, plan: plan)
                if let series = try kernel.apply(labels, ts, vs, &scratch) {
                    try account(samples: series.pointCount)
                    try account(heldSeries: 1, steps: grid.count)
                    output.append(series)
                }
            }
            if function != .absentOverTime { try checkUniqueLabels(output, context: Expr.call(call).description) }
        }
        return function == .absentOverTime ? absentOverTime(output, argument, grid) : output
    }

    /// The scalar arguments of a range function at every step, in call order, the range vector (at
    /// `matrixIndex`) left out.
    private func scalarArguments(of call: FunctionCall, besides matrixIndex: Int, _ grid: StepGrid) throws(QueryError) -> [[Double]] {
        var arguments: [[Double]] = []
        for (i, argument) in call.arguments.enumerated() where i != matrixIndex {
            arguments.append(try evaluateScalar(argument, grid))
        }
        return arguments
    }

    /// Evaluates `expr` when it is a range function over a plain range selector (`rate(x[5m])`),
    /// passing its output series to `consume` one at a time in selection order, so that an aggregation
    /// above it never holds them all. Returns false, having done nothing, for any other expression.
    /// `selected` learns how many series were selected before the first is passed on.
    func streamRangeFunction(_ expr: Expr, _ grid: StepGrid, selected: (Int) -> Void = { _ in },
                             _ consume: (StepSeries) throws(QueryError) -> Void) throws(QueryError) -> Bool {
        guard let (kernel, matrix, context) = try rangeKernel(of: expr, grid) else { return false }
        try evaluateInParallel(kernel, matrix, context: context, holding: false, selected: selected, consume)
        return true
    }

    /// When `expr` is a range function over a plain range selector (`rate(x[5m])`), its kernel, its
    /// selector and its text (for error messages); nil for any other expression.
    func rangeKernel(of expr: Expr, _ grid: StepGrid) throws(QueryError) -> (RangeKernel, MatrixSelector, String)? {
        guard case let .call(call) = expr.unwrapped, let function = RangeFunction(rawValue: call.name), function != .absentOverTime,
              let matrixIndex = call.arguments.firstIndex(where: { $0.valueType == .matrix }),
              case let .range(matrix) = call.arguments[matrixIndex].unwrapped else { return nil }
        let kernel = RangeKernel(function: function, scalarArguments: try scalarArguments(of: call, besides: matrixIndex, grid), grid: grid,
                                 plan: windowPlan(matrix, grid))
        return (kernel, matrix, Expr.call(call).description)
    }

    /// `absent_over_time`: 1 at the steps where no series had a sample in its window, labelled
    /// from the selector's equality matchers.
    private func absentOverTime(_ present: [StepSeries], _ argument: Expr, _ grid: StepGrid) -> [StepSeries] {
        var result = StepSeries(labels: absentLabels(argument), steps: grid.count)
        for step in 0..<grid.count where !present.contains(where: { $0.present[step] }) {
            result.values[step] = 1
            result.present[step] = true
        }
        return result.isEmpty ? [] : [result]
    }

    /// The labels `absent()` and `absent_over_time()` report: the equality matchers of a (range)
    /// selector argument, except the metric name; a label matched twice or by another operator is
    /// left out, as in Prometheus.
    func absentLabels(_ argument: Expr) -> LabelSet {
        let matchers: [LabelMatcher]
        switch argument.unwrapped {
        case let .vector(selector): matchers = selector.allMatchers
        case let .range(matrix): matchers = matrix.selector.allMatchers
        default: return LabelSet([])
        }
        var labels: [String: String] = [:]
        var seen = Set<String>()
        for m in matchers where m.name != metricNameLabel {
            if m.operation == .equal && !seen.contains(m.name) {
                labels[m.name] = m.value
                seen.insert(m.name)
            } else {
                labels[m.name] = nil
            }
        }
        return LabelSet(labels.map { Label($0.key, $0.value) })
    }
}

/// Where a series decreases, so that `rate`/`increase` visit only the resets inside a window
/// instead of every sample: `resets` lists the indices `j` with `values[j] < values[j - 1]`, in order
/// (empty for a series without a decrease, the usual case).
struct ResetIndex {
    private(set) var resets: [Int] = []

    /// Makes room for `capacity` resets.
    mutating func reserveCapacity(_ capacity: Int) {
        resets.reserveCapacity(capacity)
    }

    /// Finds the decreases of `values`. `steady` (ascending, disjoint index ranges) are stretches known
    /// not to decrease inside, from chunk summaries: only their first index, against the value before,
    /// is looked at.
    mutating func rebuild(_ values: UnsafeBufferPointer<Double>, steady: [Range<Int>] = []) {
        resets.removeAll(keepingCapacity: true)
        var next = 1
        for run in steady where run.upperBound > next {
            scan(values, next..<Swift.min(Swift.max(next, run.lowerBound + 1), values.count))
            next = Swift.max(next, run.upperBound)
        }
        scan(values, next..<Swift.max(next, values.count))
    }

    /// Appends the decreases at indices `range` (each against the value before).
    private mutating func scan(_ values: UnsafeBufferPointer<Double>, _ range: Range<Int>) {
        guard range.lowerBound >= 1, let base = values.baseAddress else { return }
        // Eight neighbours at a time; only a block holding a decrease is looked at value by value.
        let raw = UnsafeRawPointer(base)
        let stride = MemoryLayout<Double>.stride
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let current = raw.loadUnaligned(fromByteOffset: i &* stride, as: SIMD8<Double>.self)
            let previous = raw.loadUnaligned(fromByteOffset: (i &- 1) &* stride, as: SIMD8<Double>.self)
            if any(current .< previous) {
                for j in i..<(i + 8) where values[j] < values[j - 1] { resets.append(j) }
            }
            i += 8
        }
        while i < range.upperBound {
            if values[i] < values[i - 1] { resets.append(i) }
            i += 1
        }
    }
}
