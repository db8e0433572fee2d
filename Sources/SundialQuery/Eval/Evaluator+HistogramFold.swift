import Dispatch
import SundialStorage

extension Evaluator {
    /// `histogram_quantile(φ, sum by (…, le) (rate(x_bucket[5m])))`, the query behind every latency
    /// panel, in one pass on the worker threads: each worker owns some quantile groups (the `by`
    /// values without `le`), evaluates the bucket series of their sums in selection order, adds them
    /// into the sums' rows in place, then computes its groups' quantiles from those rows. No series
    /// of the sum is built, and nothing but the accounting waits on the calling thread.
    ///
    /// Every sum takes its series in selection order and every quantile reads its buckets in the order
    /// ``histogramQuantile(_:_:_:context:)`` reads them, so the answer is bit-identical to evaluating the
    /// sum and then the quantile; the limits are accounted as that does. Returns nil, having done
    /// nothing, for another shape (`rate`, `increase` or `delta` over a range selector under `sum by`
    /// with `le`). When the series cannot be shared out (one thread, too few groups, results that
    /// could collide) the selection is evaluated the ordinary way.
    func foldedHistogramQuantile(_ q: [Double], _ argument: Expr, _ grid: StepGrid, context: String) throws(QueryError) -> [StepSeries]? {
        guard case let .aggregation(aggregation) = argument.unwrapped, aggregation.op == .sum, aggregation.parameter == nil,
              case let .by(names)? = aggregation.grouping, names.contains("le"),
              let (kernel, matrix, kernelContext) = try rangeKernel(of: aggregation.expression, grid), kernel.function.readsSummaries,
              let firstEnd = kernel.plan.ends.first, let lastEnd = kernel.plan.ends.last else { return nil }
        let selected = try select(matrix.selector, minTimeMs: firstEnd &- matrix.rangeMs, maxTimeMs: lastEnd)
        let threads = threads(for: selected.count)
        var fold: HistogramFold?
        if threads > 1 && !resultsMayCollide(kernel, selected) {
            // The sums' groups come from the labels the kernel's results carry (the metric name dropped).
            let candidate = HistogramFold(series: selected, labels: { kernel.outputLabels(selected[$0].labels) }, by: names,
                                          steps: grid.count, threads: threads)
            if candidate.quantileGroupCount >= 2 * threads { fold = candidate }
        }
        guard let fold else {
            var sums = Accumulation(.sum, grouping: aggregation.grouping, steps: grid.count)
            sums.reserveCapacity(series: selected.count)
            try evaluateInParallel(kernel, selected, context: kernelContext, holding: false) { sums.add($0) }
            let input = sums.finish()
            try account(output: input, steps: grid.count)
            return try histogramQuantile(q, input, grid, context: context)
        }
        let scratches = WorkerScratches(threads)
        let roundSize = roundSeries(threads: threads, steps: grid.count, perThread: 64)
        var start = 0
        while start < selected.count {
            let range = start..<Swift.min(start + roundSize, selected.count)
            let round = SeriesRound(Array(selected[range]))
            let roundStart = start
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                round.fold(kernel, into: fold, worker: worker, roundStart: roundStart, scratch: &scratches.buffer[worker])
            }
            // The limits, in selection order, as the ordinary evaluation counts them.
            for outcome in round.outcomes {
                if let error = outcome.error { throw error }
                try account(samples: outcome.samples)
                try account(samples: outcome.points)
            }
            start += roundSize
        }
        let plan = fold.quantilePlan()
        let results = QuantileResults(groups: plan.ranges.count, steps: grid.count)
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            results.compute(plan.groupsOwned(by: worker, of: threads), plan.ranges, plan.members, fold, q)
        }
        // What the sum would have held, then the quantiles in the order the ordinary path makes them.
        try account(samples: fold.totalPoints)
        try account(heldSeries: fold.sumsWithValues, steps: grid.count)
        var output: [StepSeries] = []
        for r in plan.ranges.indices {
            let values = Array(results.values[(r * grid.count)..<((r + 1) * grid.count)])
            let present = Array(results.present[(r * grid.count)..<((r + 1) * grid.count)])
            output.append(StepSeries(labels: plan.labels[r], values: values, present: present))
        }
        return output
    }
}
