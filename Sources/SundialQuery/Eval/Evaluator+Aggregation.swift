import SundialStorage

extension Evaluator {
    /// `sum`, `avg`, `count`, `min`, `max`, `group`, `stddev`, `stdvar`, `topk`, `bottomk`,
    /// `quantile` and `count_values`, with `by`/`without`, as Prometheus 2.42 aggregates.
    ///
    /// Group membership is computed once per input series; the per-step work runs over flat
    /// arrays indexed by group and step, never through a dictionary keyed by labels.
    func evaluateAggregation(_ aggregation: Aggregation, _ grid: StepGrid) throws(QueryError) -> [StepSeries] {
        if Accumulation.handles(aggregation.op) {
            var accumulation = Accumulation(aggregation.op, grouping: aggregation.grouping, steps: grid.count)
            // `sum(rate(x[5m]))` and kin: the range function's series are folded in as they come.
            let streamed = try streamRangeFunction(aggregation.expression, grid, selected: { accumulation.reserveCapacity(series: $0) }) {
                accumulation.add($0)
            }
            if !streamed {
                for series in try evaluateVector(aggregation.expression, grid) { accumulation.add(series) }
            }
            let output = accumulation.finish()
            try account(output: output, steps: grid.count)
            return output
        }
        let input = try evaluateVector(aggregation.expression, grid)
        let context = Expr.aggregation(aggregation).description
        let output: [StepSeries]
        switch aggregation.op {
        case .topk, .bottomk:
            let k = try evaluateParameter(aggregation, grid)
            output = try selectK(input, aggregation, k, grid, context: context)
        case .quantile:
            let q = try evaluateParameter(aggregation, grid)
            output = quantiles(input, aggregation, q, grid)
        case .countValues:
            guard let parameter = aggregation.parameter, case let .string(label) = try evaluate(parameter, grid) else {
                throw .evaluation("count_values needs a string parameter in `\(context)`")
            }
            output = try countValues(input, aggregation, label: label, grid, context: context)
        default:
            throw .evaluation("unknown aggregation \(aggregation.op.rawValue) in `\(context)`")
        }
        try account(output: output, steps: grid.count)
        return output
    }

    private func evaluateParameter(_ aggregation: Aggregation, _ grid: StepGrid) throws(QueryError) -> [Double] {
        guard let parameter = aggregation.parameter else {
            throw .evaluation("\(aggregation.op.rawValue) needs a parameter in `\(Expr.aggregation(aggregation))`")
        }
        return try evaluateScalar(parameter, grid)
    }

    /// Assigns each input series a group index; returns the indices and each group's labels.
    private func assignGroups(_ input: [StepSeries], _ grouping: Grouping?) -> (groupOf: [Int], labels: [LabelSet]) {
        var index: [LabelSet: Int] = [:]
        var labels: [LabelSet] = []
        var groupOf: [Int] = []
        groupOf.reserveCapacity(input.count)
        for series in input {
            let key = Accumulation.groupLabels(series.labels, grouping)
            if let g = index[key] {
                groupOf.append(g)
            } else {
                index[key] = labels.count
                groupOf.append(labels.count)
                labels.append(key)
            }
        }
        return (groupOf, labels)
    }

    // MARK: topk bottomk

    /// `topk`/`bottomk` with Go's binary heap, so that ties pick the same series as Prometheus.
    private func selectK(_ input: [StepSeries], _ aggregation: Aggregation, _ kValues: [Double], _ grid: StepGrid,
                         context: String) throws(QueryError) -> [StepSeries] {
        let (groupOf, labels) = assignGroups(input, aggregation.grouping)
        var output = input.map { StepSeries(labels: $0.labels, steps: grid.count) }
        var heaps = [GoHeap](repeating: GoHeap(reverse: aggregation.op == .bottomk), count: labels.count)
        for s in 0..<grid.count {
            let f = kValues[s]
            guard !f.isNaN, f <= 9.223372036854775807e18, f >= -9.223372036854775808e18 else {
                throw .evaluation("Scalar value \(GoFloat.goValue(f)) overflows int64 (in `\(context)`)")
            }
            let k = f >= 9.223372036854775807e18 ? Int.min : Int(f)
            if k < 1 { continue }
            for g in heaps.indices { heaps[g].removeAll() }
            for (i, series) in input.enumerated() where series.present[s] {
                heaps[groupOf[i]].offer(series.values[s], i, k: k)
            }
            for heap in heaps {
                for entry in heap.entries {
                    output[entry.series].present[s] = true
                    output[entry.series].values[s] = entry.value
                }
            }
        }
        return output.filter { !$0.isEmpty }
    }

    // MARK: quantile

    private func quantiles(_ input: [StepSeries], _ aggregation: Aggregation, _ q: [Double], _ grid: StepGrid) -> [StepSeries] {
        let (groupOf, labels) = assignGroups(input, aggregation.grouping)
        var output = labels.map { StepSeries(labels: $0, steps: grid.count) }
        var values = [[Double]](repeating: [], count: labels.count)
        for s in 0..<grid.count {
            for g in values.indices { values[g].removeAll(keepingCapacity: true) }
            for (i, series) in input.enumerated() where series.present[s] { values[groupOf[i]].append(series.values[s]) }
            for g in values.indices where !values[g].isEmpty {
                output[g].values[s] = Quantiles.quantile(q[s], &values[g])
                output[g].present[s] = true
            }
        }
        return output.filter { !$0.isEmpty }
    }

    // MARK: count_values

    private func countValues(_ input: [StepSeries], _ aggregation: Aggregation, label: String, _ grid: StepGrid,
                             context: String) throws(QueryError) -> [StepSeries] {
        guard isValidLabelName(label) else { throw .evaluation("invalid label name \(goQuote(label)) (in `\(context)`)") }
        var grouping = aggregation.grouping ?? .by([])
        if case let .by(names) = grouping { grouping = .by(names + [label]) }
        var collector = SeriesCollector(steps: grid.count)
        for series in input {
            for s in 0..<grid.count where series.present[s] {
                let metric = series.labels.setting(label, to: GoFloat.format(series.values[s]))
                let slot = collector.slot(for: Accumulation.groupLabels(metric, grouping))
                collector.add(slot, s, 1)
            }
        }
        return collector.finish()
    }
}

/// Go's `container/heap` over (value, series) pairs with Prometheus' orderings: for `topk` a
/// min-heap on value (NaN lowest), for `bottomk` a max-heap (NaN highest), so ties and NaNs
/// resolve exactly as in Prometheus.
struct GoHeap {
    struct Entry {
        var value: Double
        var series: Int
    }

    let reverse: Bool
    private(set) var entries: [Entry] = []

    init(reverse: Bool) { self.reverse = reverse }

    mutating func removeAll() { entries.removeAll(keepingCapacity: true) }

    @inline(__always) private func less(_ i: Int, _ j: Int) -> Bool {
        if entries[i].value.isNaN { return true }
        return reverse ? entries[i].value > entries[j].value : entries[i].value < entries[j].value
    }

    /// Offers a sample: kept while fewer than k are held, or when it beats the weakest held.
    mutating func offer(_ value: Double, _ series: Int, k: Int) {
        if entries.isEmpty {
            entries.append(Entry(value: value, series: series))
            return
        }
        let top = entries[0].value
        let beats = reverse ? top > value : top < value
        guard entries.count < k || beats || top.isNaN else { return }
        if entries.count == k {
            if k == 1 {
                entries[0] = Entry(value: value, series: series)
                return
            }
            pop()
        }
        entries.append(Entry(value: value, series: series))
        up(entries.count - 1)
    }

    private mutating func pop() {
        let n = entries.count - 1
        entries.swapAt(0, n)
        down(0, n)
        entries.removeLast()
    }

    private mutating func up(_ start: Int) {
        var j = start
        while j > 0 {
            let i = (j - 1) / 2
            if i == j || !less(j, i) { break }
            entries.swapAt(i, j)
            j = i
        }
    }

    private mutating func down(_ start: Int, _ n: Int) {
        var i = start
        while true {
            let j1 = 2 * i + 1
            if j1 >= n || j1 < 0 { break }
            var j = j1
            let j2 = j1 + 1
            if j2 < n && less(j2, j1) { j = j2 }
            if !less(j, i) { break }
            entries.swapAt(i, j)
            i = j
        }
    }
}
