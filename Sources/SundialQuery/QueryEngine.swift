import SundialStorage

/// Evaluates PromQL against a ``QuerySource`` with the semantics of Prometheus 2.42.
///
/// ```swift
/// let engine = QueryEngine(source: store.snapshot())
/// let now: Int64 = 1_732_400_000_000
/// let p95 = try engine.instant(
///     "histogram_quantile(0.95, sum(rate(persistence_latency_bucket[5m])) by (operation, le))", atMs: now)
/// let series = try engine.range("sum(rate(service_requests[2m]))",
///                               startMs: now - 86_400_000, endMs: now, stepMs: 60_000)
/// ```
///
/// A range query reads and decodes each selected series once for the whole range and slides the
/// windows across the steps, so its cost grows with the samples read, not with samples × steps.
/// Results of range queries, and instant vectors (except under `sort`/`sort_desc`), are ordered by
/// labels.
public struct QueryEngine: Sendable {
    /// Where series are read from.
    public let source: any QuerySource
    /// The lookback delta and the limits.
    public let options: QueryOptions

    /// Creates an engine over a source (for a store: `store.snapshot()`).
    public init(source: any QuerySource, options: QueryOptions = QueryOptions()) {
        self.source = source
        self.options = options
    }

    // MARK: Instant queries

    /// Evaluates a query at one instant.
    /// - Parameters:
    ///   - query: PromQL text.
    ///   - atMs: The evaluation time in milliseconds since the epoch.
    /// - Returns: A vector, a scalar, a string, or a matrix for a bare range selector or subquery.
    /// - Throws: ``QueryError`` — a parse error with its byte position, an evaluation error, a
    ///   limit, or a source failure.
    public func instant(_ query: String, atMs: Int64) throws(QueryError) -> QueryResult {
        try instant(try PromQLParser.parse(query), atMs: atMs)
    }

    /// Evaluates an expression tree (for example one built by another query language) at one instant.
    /// - Throws: ``QueryError/invalidExpression(_:)`` when the tree is not well-typed, or any
    ///   evaluation error.
    public func instant(_ expr: Expr, atMs: Int64) throws(QueryError) -> QueryResult {
        try expr.validate()
        let evaluator = Evaluator(source: source, options: options, queryStartMs: atMs, queryEndMs: atMs)
        switch try evaluator.evaluate(expr, StepGrid.instant(atMs)) {
        case let .scalar(values):
            return .scalar(timestampMs: atMs, value: values.first ?? .nan)
        case let .string(value):
            return .string(value)
        case let .matrix(series):
            return .matrix(LabelOrder.sorted(series) { $0.labels })
        case let .vector(series):
            var samples = LabelOrder.sorted(series.filter { $0.present.first == true }
                .map { InstantSample($0.labels, timestampMs: atMs, value: $0.values[0]) }) { $0.labels }
            if case let .call(call) = expr.unwrapped, call.name == "sort" || call.name == "sort_desc" {
                samples = Self.sortedByValue(samples, descending: call.name == "sort_desc")
            }
            return .vector(samples)
        }
    }

    // MARK: Range queries

    /// Evaluates a query at every step from `startMs` to `endMs` (inclusive).
    /// - Parameters:
    ///   - query: PromQL text of scalar or instant-vector type.
    ///   - startMs: The first evaluation time.
    ///   - endMs: The last evaluation time (a step lands on it only if `endMs - startMs` is a
    ///     multiple of `stepMs`).
    ///   - stepMs: The distance between evaluation times; positive.
    /// - Returns: A matrix: one ``RangeSeries`` per series with a sample at each step where it has
    ///   a value, sorted by labels (a scalar query gives one series without labels).
    /// - Throws: ``QueryError``; ``QueryError/invalidArgument(_:)`` for a bad step or range or a
    ///   range-vector query, ``QueryError/limitExceeded(_:)`` for too many steps.
    public func range(_ query: String, startMs: Int64, endMs: Int64, stepMs: Int64) throws(QueryError) -> QueryResult {
        try range(try PromQLParser.parse(query), startMs: startMs, endMs: endMs, stepMs: stepMs)
    }

    /// Evaluates an expression tree at every step from `startMs` to `endMs`.
    public func range(_ expr: Expr, startMs: Int64, endMs: Int64, stepMs: Int64) throws(QueryError) -> QueryResult {
        guard stepMs > 0 else {
            throw .invalidArgument("zero or negative query resolution step widths are not accepted; use a positive step")
        }
        guard endMs >= startMs else { throw .invalidArgument("end timestamp must not be before start time") }
        let (span, overflow) = endMs.subtractingReportingOverflow(startMs)
        let steps = overflow ? Int64.max : span / stepMs + 1
        guard steps <= Int64(options.maxSteps) else {
            throw .limitExceeded("the range query has \(steps) steps, more than QueryOptions.maxSteps (\(options.maxSteps)); "
                + "use a larger step or a shorter range, or raise maxSteps")
        }
        try expr.validate()
        let type = expr.valueType
        guard type == .scalar || type == .vector else {
            throw .invalidArgument("invalid expression type \(goQuote(type.description)) for range query, must be Scalar or instant Vector")
        }
        let grid = StepGrid(startMs: startMs, stepMs: stepMs, count: Int(steps))
        let evaluator = Evaluator(source: source, options: options, queryStartMs: startMs, queryEndMs: endMs)
        switch try evaluator.evaluate(expr, grid) {
        case let .scalar(values):
            let samples = values.indices.map { Sample(timestampMs: grid.time($0), value: values[$0]) }
            return .matrix([RangeSeries(LabelSet([]), samples)])
        case let .vector(series):
            let result = series.compactMap { s -> RangeSeries? in
                var samples: [Sample] = []
                samples.reserveCapacity(s.pointCount)
                for i in 0..<grid.count where s.present[i] {
                    samples.append(Sample(timestampMs: grid.time(i), value: s.values[i]))
                }
                return samples.isEmpty ? nil : RangeSeries(s.labels, samples)
            }
            return .matrix(LabelOrder.sorted(result) { $0.labels })
        case .string, .matrix:
            throw .invalidArgument("invalid expression type \(goQuote(type.description)) for range query, must be Scalar or instant Vector")
        }
    }

    /// Prometheus' `sort`/`sort_desc` order: by value, NaN last, ties in label order.
    private static func sortedByValue(_ samples: [InstantSample], descending: Bool) -> [InstantSample] {
        let indexed = samples.enumerated().map { ($0.offset, $0.element) }
        return indexed.sorted { a, b in
            let (x, y) = (a.1.value, b.1.value)
            if x.isNaN != y.isNaN { return y.isNaN }
            if !x.isNaN && x != y { return descending ? x > y : x < y }
            return a.0 < b.0
        }.map(\.1)
    }
}
