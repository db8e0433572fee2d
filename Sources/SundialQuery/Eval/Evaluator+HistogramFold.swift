import Dispatch
import SundialStorage

extension Evaluator {
    /// `histogram_quantile(φ, sum by (…, le) (rate(x_bucket[5m])))`, the query behind every latency
    /// panel, in one pass on the worker threads: each worker owns some quantile groups (the `by`
    /// values without `le`) and takes them one at a time: it evaluates the bucket series of a group's sums
    /// in selection order, adds them into the sums' rows in place, computes the group's quantiles from
    /// those rows, and reuses the rows for its next group. No series of the sum is built, and nothing but
    /// the accounting waits on the calling thread. Over a short grid (an instant query) the groups cost more
    /// than the rows: the workers evaluate every series into a row of its own while the first of them makes the
    /// groups, and the calling thread then adds up the sums and computes the quantiles.
    ///
    /// Every sum takes its series in selection order and every quantile reads its buckets in the order
    /// ``histogramQuantile(_:_:_:context:)`` reads them, so the answer is bit-identical to evaluating the
    /// sum and then the quantile; the limits are accounted, once the fold has run, in the order that does.
    /// Returns nil, having done nothing, for another shape (`rate`, `increase` or `delta` over a range
    /// selector under `sum by` with `le`). When the series cannot be shared out (one thread, too few
    /// groups, results that could collide, a bound that is NaN) the selection is evaluated the ordinary way.
    func foldedHistogramQuantile(_ q: [Double], _ argument: Expr, _ grid: StepGrid, context: String) throws(QueryError) -> [StepSeries]? {
        guard case let .aggregation(aggregation) = argument.unwrapped, aggregation.op == .sum, aggregation.parameter == nil,
              case let .by(names)? = aggregation.grouping, names.contains("le"),
              let (kernel, matrix, kernelContext) = try rangeKernel(of: aggregation.expression, grid), kernel.function.readsSummaries,
              let firstEnd = kernel.plan.ends.first, let lastEnd = kernel.plan.ends.last else { return nil }
        let pool = expectParallelSection()
        let selected = try select(matrix.selector, minTimeMs: firstEnd &- matrix.rangeMs, maxTimeMs: lastEnd)
        let threads = threads(for: selected.count)
        if threads <= 1 { pool?.cancelExpectedSection() }
        var fold: HistogramFold?
        var quantiles: QuantileResults?
        var round: SeriesRound?
        if threads > 1 && !resultsMayCollide(kernel, selected, selector: matrix.selector) {
            // The sums' groups come from the labels the kernel's results carry (the metric name dropped).
            let steps = grid.count
            let group: @Sendable (any QuerySelection) -> HistogramFold = { selection in
                HistogramFold(selection, labels: { kernel.outputLabels(selection.labels($0)) }, by: names, steps: steps, threads: threads)
            }
            let usable = { (candidate: HistogramFold) in candidate.quantileGroupCount >= 2 * threads && !candidate.hasNaNBound }
            let scratches = WorkerScratches(threads)
            if selected.count * grid.count <= 1 << 16 {
                // A short grid (an instant query): every series' result is kept, so the workers evaluate the
                // series while the first of them makes the groups, then the calling thread adds up the sums.
                let evaluating = SeriesRound(selected, 0..<selected.count)
                let rows = SeriesRows(count: selected.count, steps: grid.count)
                let claims = WorkClaims(selected.count, workers: threads)
                let grouping = GroupingSlot()
                WorkerPool.shared.perform(iterations: threads) { worker in
                    if worker == 0 { grouping.fold = group(evaluating.selection) }
                    evaluating.evaluate(kernel, claims: claims, worker: worker, into: rows, scratch: &scratches.buffer[worker])
                }
                round = evaluating
                if let candidate = grouping.fold, usable(candidate) {
                    fold = candidate
                    let results = QuantileResults(groups: candidate.quantileGroupCount, steps: grid.count)
                    candidate.evaluate(rows: rows, results: results, q: q)
                    quantiles = results
                }
            } else {
                let candidate = group(selected)
                if usable(candidate) {
                    // One pass: each worker computes its quantile groups in turn (``HistogramFold/evaluate(_:_:worker:scratch:results:q:)``).
                    fold = candidate
                    let folding = SeriesRound(selected, 0..<selected.count)
                    let results = QuantileResults(groups: candidate.quantileGroupCount, steps: grid.count)
                    WorkerPool.shared.perform(iterations: threads) { worker in
                        candidate.evaluate(kernel, folding, worker: worker, scratch: &scratches.buffer[worker], results: results, q: q)
                    }
                    round = folding
                    quantiles = results
                }
            }
        }
        guard let fold, let quantiles, let round else {
            var sums = Accumulation(.sum, grouping: aggregation.grouping, steps: grid.count)
            sums.reserveCapacity(series: selected.count)
            try evaluateInParallel(kernel, selected, selector: matrix.selector, context: kernelContext, holding: false) { sums.add($0) }
            let input = sums.finish()
            try account(output: input, steps: grid.count)
            return try histogramQuantile(q, input, grid, context: context)
        }
        // The limits, in selection order, as the ordinary evaluation counts them.
        for outcome in round.outcomes {
            if let error = outcome.error { throw error }
            try account(samples: outcome.samples)
            try account(samples: outcome.points)
        }
        // What the sum would have held, then the quantiles in the order the ordinary path makes them.
        try account(samples: fold.totalPoints)
        try account(heldSeries: fold.sumsWithValues, steps: grid.count)
        var output: [StepSeries] = []
        for (k, labels) in fold.groupsInOutputOrder() {
            let values = Array(quantiles.values[(k * grid.count)..<((k + 1) * grid.count)])
            let present = Array(quantiles.present[(k * grid.count)..<((k + 1) * grid.count)])
            output.append(StepSeries(labels: labels, values: values, present: present))
        }
        return output
    }
}

/// Where the worker that makes a fold's groups leaves them: written by that worker alone, read once every
/// worker has returned (``WorkerPool/perform(iterations:_:)`` returning orders the two).
private final class GroupingSlot: @unchecked Sendable {
    var fold: HistogramFold?
}
