import SundialStorage

/// A series of a subquery's inner evaluation: its points at the inner steps.
struct SampledSeries {
    var labels: LabelSet
    var timestamps: [Int64]
    var values: [Double]
}

extension Evaluator {
    /// Evaluates a subquery's inner expression once, on one inner grid that covers every window of
    /// the outer grid. As in Prometheus, inner steps are aligned to multiples of the inner step:
    /// the first is the first multiple at or after the earliest window start.
    func evaluateSubquery(_ subquery: Subquery, _ grid: StepGrid) throws(QueryError) -> (series: [SampledSeries], plan: WindowPlan) {
        let step = subquery.stepMs ?? options.defaultSubqueryStepMs
        let ends = (0..<grid.count).map { referenceTime(subquery.at, grid, $0) &- subquery.offsetMs }
        let plan = WindowPlan(rangeMs: subquery.rangeMs, ends: ends)
        guard step > 0 else { throw .invalidArgument("a subquery step must be positive in `\(Expr.subquery(subquery))`") }
        guard let firstEnd = ends.first, let lastEnd = ends.last else { return ([], plan) }
        let earliest = firstEnd &- subquery.rangeMs
        var innerStart = step * (earliest / step)
        if innerStart < earliest { innerStart &+= step }
        guard lastEnd >= innerStart else { return ([], plan) }
        let (span, overflow) = lastEnd.subtractingReportingOverflow(innerStart)
        let innerCount = overflow ? Int64.max : span / step + 1
        guard innerCount <= Int64(options.maxSamples) else {
            throw .limitExceeded("the subquery `\(Expr.subquery(subquery))` needs \(innerCount) inner steps, more than "
                + "QueryOptions.maxSamples (\(options.maxSamples), `sundial query --max-samples`); use a larger subquery step or raise it")
        }
        let innerGrid = StepGrid(startMs: innerStart, stepMs: step, count: Int(innerCount))
        let inner = try evaluateVector(subquery.expression, innerGrid)
        var series: [SampledSeries] = []
        series.reserveCapacity(inner.count)
        for s in inner {
            var sampled = SampledSeries(labels: s.labels, timestamps: [], values: [])
            for i in 0..<innerGrid.count where s.present[i] {
                sampled.timestamps.append(innerGrid.time(i))
                sampled.values.append(s.values[i])
            }
            series.append(sampled)
        }
        return (series, plan)
    }

    /// A subquery evaluated on its own (the top of an instant query): its points in the window.
    func rawSubquery(_ evaluated: (series: [SampledSeries], plan: WindowPlan)) throws(QueryError) -> [RangeSeries] {
        guard let end = evaluated.plan.ends.first else { return [] }
        let start = end &- evaluated.plan.rangeMs
        var output: [RangeSeries] = []
        for s in evaluated.series {
            var samples: [Sample] = []
            for i in s.timestamps.indices where s.timestamps[i] >= start && s.timestamps[i] <= end {
                samples.append(Sample(timestampMs: s.timestamps[i], value: s.values[i]))
            }
            if !samples.isEmpty { output.append(RangeSeries(s.labels, samples)) }
        }
        return output
    }
}
