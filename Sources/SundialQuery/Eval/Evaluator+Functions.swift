import SundialStorage

extension Evaluator {
    /// A function call: range-vector functions slide windows (``evaluateRangeFunction(_:_:_:)``);
    /// the others work step by step on instant vectors and scalars.
    func evaluateCall(_ call: FunctionCall, _ grid: StepGrid) throws(QueryError) -> StepValue {
        if let function = RangeFunction(rawValue: call.name) {
            return .vector(try evaluateRangeFunction(call, function, grid))
        }
        let context = Expr.call(call).description
        let arguments = call.arguments
        switch call.name {
        case "time":
            return .scalar((0..<grid.count).map { Double(grid.time($0)) / 1000 })
        case "pi":
            return .scalar([Double](repeating: Double.pi, count: grid.count))
        case "vector":
            let values = try evaluateScalar(try argument(arguments, 0, context), grid)
            return .vector([StepSeries(labels: LabelSet([]), values: values, present: [Bool](repeating: true, count: grid.count))])
        case "scalar":
            let input = try evaluateVector(try argument(arguments, 0, context), grid)
            return .scalar((0..<grid.count).map { s in
                var found = 0
                var value = Double.nan
                for series in input where series.present[s] {
                    found += 1
                    value = series.values[s]
                }
                return found == 1 ? value : .nan
            })
        case "timestamp":
            return .vector(try timestamp(try argument(arguments, 0, context), grid, context: context))
        case "absent":
            let first = try argument(arguments, 0, context)
            let input = try evaluateVector(first, grid)
            var result = StepSeries(labels: absentLabels(first), steps: grid.count)
            for s in 0..<grid.count where !input.contains(where: { $0.present[s] }) {
                result.values[s] = 1
                result.present[s] = true
            }
            return .vector(result.isEmpty ? [] : [result])
        case "sort", "sort_desc":
            // Order matters only for an instant query's result, which the engine orders at the end.
            return .vector(try evaluateVector(try argument(arguments, 0, context), grid))
        case "histogram_quantile":
            let q = try evaluateScalar(try argument(arguments, 0, context), grid)
            let buckets = try argument(arguments, 1, context)
            if let folded = try foldedHistogramQuantile(q, buckets, grid, context: context) { return .vector(folded) }
            return .vector(try histogramQuantile(q, try evaluateVector(buckets, grid), grid, context: context))
        case "histogram_count", "histogram_sum":
            // Native histograms only; classic float samples are skipped, as in Prometheus.
            _ = try evaluateVector(try argument(arguments, 0, context), grid)
            return .vector([])
        case "histogram_fraction":
            _ = try evaluateVector(try argument(arguments, 2, context), grid)
            return .vector([])
        case "label_replace":
            return .vector(try labelReplace(arguments, grid, context: context))
        case "label_join":
            return .vector(try labelJoin(arguments, grid, context: context))
        case "clamp", "clamp_min", "clamp_max", "round":
            return .vector(try clampOrRound(call.name, arguments, grid, context: context))
        default:
            if let date = DateFunction(rawValue: call.name) {
                return .vector(try dateFunction(date, arguments, grid, context: context))
            }
            if let function = MathFunctions.named(call.name) {
                let input = try evaluateVector(try argument(arguments, 0, context), grid)
                return .vector(try mapValues(input, grid, context: context, function))
            }
            throw .evaluation("unknown function with name \(goQuote(call.name))")
        }
    }

    private func argument(_ arguments: [Expr], _ index: Int, _ context: String) throws(QueryError) -> Expr {
        guard index < arguments.count else { throw .evaluation("missing argument \(index + 1) in `\(context)`") }
        return arguments[index]
    }

    /// Applies `transform` to every value and drops the metric name.
    func mapValues(_ input: [StepSeries], _ grid: StepGrid, context: String, _ transform: (Double) -> Double) throws(QueryError) -> [StepSeries] {
        var collector = SeriesCollector(steps: grid.count)
        for series in input {
            let slot = collector.slot(for: series.labels.droppingMetricName)
            for s in 0..<grid.count where series.present[s] {
                try collector.set(slot, s, transform(series.values[s]), context: context)
            }
        }
        return collector.finish()
    }

    /// `timestamp(v)`: the sample's own time for a plain selector, the evaluation time otherwise.
    private func timestamp(_ argument: Expr, _ grid: StepGrid, context: String) throws(QueryError) -> [StepSeries] {
        if case let .vector(selector) = argument.unwrapped {
            let input = try evaluateSelector(selector, grid, sampleTimes: true)
            return try mapValues(input, grid, context: context) { $0 }
        }
        let input = try evaluateVector(argument, grid)
        var collector = SeriesCollector(steps: grid.count)
        for series in input {
            let slot = collector.slot(for: series.labels.droppingMetricName)
            for s in 0..<grid.count where series.present[s] {
                try collector.set(slot, s, Double(grid.time(s)) / 1000, context: context)
            }
        }
        return collector.finish()
    }

    private func clampOrRound(_ name: String, _ arguments: [Expr], _ grid: StepGrid, context: String) throws(QueryError) -> [StepSeries] {
        let input = try evaluateVector(try argument(arguments, 0, context), grid)
        let first = arguments.count > 1 ? try evaluateScalar(arguments[1], grid) : [Double](repeating: 1, count: grid.count)
        let second = arguments.count > 2 ? try evaluateScalar(arguments[2], grid) : []
        var collector = SeriesCollector(steps: grid.count)
        for series in input {
            let slot = collector.slot(for: series.labels.droppingMetricName)
            for s in 0..<grid.count where series.present[s] {
                let v = series.values[s]
                let value: Double
                switch name {
                case "clamp":
                    if second[s] < first[s] { continue }
                    value = GoFloat.max(first[s], GoFloat.min(second[s], v))
                case "clamp_min": value = GoFloat.max(first[s], v)
                case "clamp_max": value = GoFloat.min(first[s], v)
                default:
                    let inverse = 1.0 / first[s]
                    value = (v * inverse + 0.5).rounded(.down) / inverse
                }
                try collector.set(slot, s, value, context: context)
            }
        }
        return collector.finish()
    }
}
