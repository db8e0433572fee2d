import SundialStorage

extension Evaluator {
    /// The value of a string argument (a string literal, possibly parenthesised).
    private func stringArgument(_ arguments: [Expr], _ index: Int, _ context: String) throws(QueryError) -> String {
        guard index < arguments.count, case let .string(value) = try evaluate(arguments[index], StepGrid.instant(0)) else {
            throw .evaluation("argument \(index + 1) must be a string in `\(context)`")
        }
        return value
    }

    /// `label_replace(v, dst, replacement, src, regex)`: where the anchored `regex` matches the
    /// value of `src`, set `dst` to the expanded replacement (removing it when that is empty).
    /// Labels are rewritten once per series; the metric name is kept.
    func labelReplace(_ arguments: [Expr], _ grid: StepGrid, context: String) throws(QueryError) -> [StepSeries] {
        let destination = try stringArgument(arguments, 1, context)
        let replacement = try stringArgument(arguments, 2, context)
        let sourceLabel = try stringArgument(arguments, 3, context)
        let pattern = try stringArgument(arguments, 4, context)
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex("^(?:" + pattern + ")$")
        } catch {
            throw .evaluation("invalid regular expression in label_replace(): \(pattern)")
        }
        guard isValidLabelName(destination) else {
            throw .evaluation("invalid destination label name in label_replace(): \(destination)")
        }
        guard let first = arguments.first else { throw .evaluation("label_replace needs a vector in `\(context)`") }
        let input = try evaluateVector(first, grid)
        return try relabel(input, grid, context: context) { labels in
            let value = labels[sourceLabel] ?? ""
            guard let match = try? regex.wholeMatch(in: value) else { return labels }
            return labels.setting(destination, to: RegexTemplate.expand(replacement, match))
        }
    }

    /// `label_join(v, dst, separator, src…)`: set `dst` to the values of the `src` labels joined
    /// by `separator` (removing it when the result is empty).
    func labelJoin(_ arguments: [Expr], _ grid: StepGrid, context: String) throws(QueryError) -> [StepSeries] {
        let destination = try stringArgument(arguments, 1, context)
        let separator = try stringArgument(arguments, 2, context)
        var sources: [String] = []
        for i in 3..<Swift.max(arguments.count, 3) {
            let name = try stringArgument(arguments, i, context)
            guard isValidLabelName(name) else { throw .evaluation("invalid source label name in label_join(): \(name)") }
            sources.append(name)
        }
        guard isValidLabelName(destination) else {
            throw .evaluation("invalid destination label name in label_join(): \(destination)")
        }
        guard let first = arguments.first else { throw .evaluation("label_join needs a vector in `\(context)`") }
        let input = try evaluateVector(first, grid)
        return try relabel(input, grid, context: context) { labels in
            labels.setting(destination, to: sources.map { labels[$0] ?? "" }.joined(separator: separator))
        }
    }

    /// Rewrites each series' labels once and merges series whose new labels coincide (failing if
    /// two have a value at the same step).
    private func relabel(_ input: [StepSeries], _ grid: StepGrid, context: String,
                         _ rewrite: (LabelSet) -> LabelSet) throws(QueryError) -> [StepSeries] {
        var collector = SeriesCollector(steps: grid.count)
        for series in input {
            let slot = collector.slot(for: rewrite(series.labels))
            for s in 0..<grid.count where series.present[s] {
                try collector.set(slot, s, series.values[s], context: context)
            }
        }
        return collector.finish()
    }

    /// The calendar functions: of each sample's value as Unix seconds, or of the evaluation time
    /// when called without an argument.
    func dateFunction(_ function: DateFunction, _ arguments: [Expr], _ grid: StepGrid, context: String) throws(QueryError) -> [StepSeries] {
        guard let first = arguments.first else {
            var series = StepSeries(labels: LabelSet([]), steps: grid.count)
            for s in 0..<grid.count {
                series.values[s] = function.apply(grid.time(s) / 1000)  // Go's integer division truncates
                series.present[s] = true
            }
            return [series]
        }
        let input = try evaluateVector(first, grid)
        return try mapValues(input, grid, context: context) { value in
            // Go truncates the float to whole seconds; values no int64 can hold give NaN here.
            guard value.isFinite, value > -9.2e18, value < 9.2e18 else { return .nan }
            return function.apply(Int64(value))
        }
    }

}
