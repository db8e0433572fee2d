import SundialStorage

/// Evaluates an expression tree over a grid of steps, one node at a time: every selector reads
/// and decodes each of its series once for the whole grid, then slides across the steps; every
/// operator works on whole step arrays. A range query therefore costs one pass per series, not
/// one pass per step (the design of thanos-io/promql-engine; STYLE.md example 12).
///
/// One evaluator serves one query; it counts the series and samples the query touches so the
/// limits in ``QueryOptions`` can stop it early.
final class Evaluator {
    let source: any QuerySource
    let options: QueryOptions
    /// The outer query's start and end, which `@ start()` and `@ end()` refer to.
    let queryStartMs: Int64
    let queryEndMs: Int64

    private(set) var samplesTouched = 0
    private(set) var seriesSelected = 0
    /// Bytes of step series produced so far (intermediate and final), an upper bound of what the
    /// query holds at once.
    private(set) var bytesProduced = 0

    /// Reused decode buffers for one series at a time.
    var timestampBuffer: [Int64] = []
    var valueBuffer: [Double] = []

    init(source: any QuerySource, options: QueryOptions, queryStartMs: Int64, queryEndMs: Int64) {
        self.source = source
        self.options = options
        self.queryStartMs = queryStartMs
        self.queryEndMs = queryEndMs
    }

    // MARK: Dispatch

    func evaluate(_ expr: Expr, _ grid: StepGrid) throws(QueryError) -> StepValue {
        switch expr {
        case let .number(value):
            return .scalar([Double](repeating: value, count: grid.count))
        case let .string(value):
            return .string(value)
        case let .parenthesized(inner):
            return try evaluate(inner, grid)
        case let .vector(selector):
            return .vector(try evaluateSelector(selector, grid))
        case let .range(matrix):
            return .matrix(try rawRange(matrix, grid))
        case let .subquery(subquery):
            let series = try evaluateSubquery(subquery, grid)
            return .matrix(try rawSubquery(series))
        case let .unary(op, operand):
            return try evaluateUnary(op, operand, grid)
        case let .binary(operation):
            return try evaluateBinary(operation, grid)
        case let .aggregation(aggregation):
            return .vector(try evaluateAggregation(aggregation, grid))
        case let .call(call):
            return try evaluateCall(call, grid)
        }
    }

    /// Evaluates an expression the type checker guarantees is a scalar.
    func evaluateScalar(_ expr: Expr, _ grid: StepGrid) throws(QueryError) -> [Double] {
        switch try evaluate(expr, grid) {
        case let .scalar(values): return values
        default: throw .evaluation("expected a scalar from `\(expr)`")
        }
    }

    /// Evaluates an expression the type checker guarantees is an instant vector.
    func evaluateVector(_ expr: Expr, _ grid: StepGrid) throws(QueryError) -> [StepSeries] {
        switch try evaluate(expr, grid) {
        case let .vector(series): return series
        default: throw .evaluation("expected an instant vector from `\(expr)`")
        }
    }

    // MARK: Unary

    private func evaluateUnary(_ op: UnaryOperator, _ operand: Expr, _ grid: StepGrid) throws(QueryError) -> StepValue {
        let value = try evaluate(operand, grid)
        guard op == .minus else { return value }
        switch value {
        case let .scalar(values):
            return .scalar(values.map { -$0 })
        case var .vector(series):
            for i in series.indices {
                series[i].labels = series[i].labels.droppingMetricName
                for s in series[i].values.indices { series[i].values[s] = -series[i].values[s] }
            }
            try checkUniqueLabels(series, context: Expr.unary(op, operand).description)
            return .vector(series)
        default:
            throw .evaluation("unary minus needs a scalar or an instant vector in `-\(operand)`")
        }
    }

    // MARK: Time references

    /// The evaluation time a selector or subquery uses at `step`: fixed by `@`, otherwise the step's.
    @inline(__always) func referenceTime(_ at: AtModifier?, _ grid: StepGrid, _ step: Int) -> Int64 {
        switch at {
        case nil: grid.time(step)
        case let .timestamp(ms)?: ms
        case .start?: queryStartMs
        case .end?: queryEndMs
        }
    }

    // MARK: Limits

    /// Counts samples or points against ``QueryOptions/maxSamples``.
    func account(samples: Int) throws(QueryError) {
        samplesTouched += samples
        if samplesTouched > options.maxSamples {
            throw .limitExceeded("the query would touch more than \(options.maxSamples) samples (QueryOptions.maxSamples, "
                + "`sundial query --max-samples`); raise it, or shorten the range, widen the step or use more specific matchers")
        }
    }

    /// Counts `count` step series of `steps` points about to be kept against ``QueryOptions/maxMemoryBytes``
    /// (each holds a value and a presence flag per step, plus its labels).
    func account(heldSeries count: Int, steps: Int) throws(QueryError) {
        bytesProduced += count &* (steps &* 9 &+ 128)
        if bytesProduced > options.maxMemoryBytes {
            throw .limitExceeded("the query would hold more than \(options.maxMemoryBytes / (1 << 20)) MiB of results "
                + "(QueryOptions.maxMemoryBytes, `sundial query --max-memory`); raise it, or widen the step, shorten the "
                + "range or aggregate away labels")
        }
    }

    /// Accounts an operator's output: its points against the sample limit and its size against
    /// the memory limit.
    func account(output: [StepSeries], steps: Int) throws(QueryError) {
        try account(samples: output.reduce(0) { $0 + $1.pointCount })
        try account(heldSeries: output.count, steps: steps)
    }

    /// Counts selected series against ``QueryOptions/maxSeries``.
    func account(series: Int) throws(QueryError) {
        seriesSelected += series
        if seriesSelected > options.maxSeries {
            throw .limitExceeded("the query selects more than \(options.maxSeries) series (QueryOptions.maxSeries, "
                + "`sundial query --max-series`); raise it or use more specific matchers")
        }
    }
}
