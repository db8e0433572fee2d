/// The answer to a query in either language, typed: what an embedding program gets instead of text.
///
/// ```swift
/// let answer = try QueryAnswer.evaluate("p99 persistence_latency by operation", on: store.snapshot())
/// for row in answer.rows { print(row.labels, row.values) }
/// ```
public struct QueryAnswer: Sendable {
    /// When the query was evaluated.
    public enum Time: Sendable, Equatable {
        /// At one instant.
        case instant(atMs: Int64)
        /// Over a range of steps.
        case range(startMs: Int64, endMs: Int64, stepMs: Int64)
    }

    /// One column of the answer (one PromQL expression).
    public struct Column: Sendable {
        /// Its heading: `p99`, `rate`, `errors`, or `value` for PromQL.
        public var name: String
        /// The PromQL evaluated.
        public var promQL: String
        /// How values are shown.
        public var unit: CompactTranslator.Unit?
        /// The raw result, exactly as the engine returned it.
        public var result: QueryResult
    }

    /// One row of an instant answer: a group's labels and a value per column.
    public struct Row: Sendable {
        /// The labels identifying the row.
        public var labels: LabelSet
        /// A value per column (NaN where the column had none for this row).
        public var values: [Double]
        /// For percentiles: the bucket bounds each value was interpolated between (nil when not a percentile
        /// or when the value is not inside a finite bucket).
        public var bounds: [(lower: Double, upper: Double)?]
    }

    /// The query as typed.
    public var query: String
    /// True when it was in the compact form.
    public var isCompact: Bool
    /// When it was evaluated.
    public var time: Time
    /// The columns, each with its raw result.
    public var columns: [Column]
    /// Instant answers as rows (empty for range answers).
    public var rows: [Row]
    /// What the compact translation chose (families, units), for the user to see.
    public var notes: [String]

    /// Parses and evaluates `query` (compact form or PromQL) on `source`.
    /// - Parameters:
    ///   - time: when; nil evaluates at the newest sample (`snapshot.timeRange()`).
    /// - Throws: ``QueryError``: parse errors carry the byte offset of the offending token.
    public static func evaluate(_ query: String, on snapshot: Snapshot, time: Time? = nil,
                                options: QueryOptions = QueryOptions()) throws(QueryError) -> QueryAnswer {
        let resolvedTime = time ?? .instant(atMs: snapshot.timeRange()?.maxTimeMs ?? 0)
        let engine = QueryEngine(source: snapshot, options: options)
        let compact = CompactParser.looksCompact(query)
        var columns: [Column] = []
        var notes: [String] = []
        var bucketMetric: String?
        if compact {
            let parsed = try CompactParser.parse(query)
            let plan = try CompactTranslator(metricNames: Set(snapshot.metricNames())).plan(parsed)
            notes = plan.notes
            bucketMetric = plan.bucketMetric
            for column in plan.columns {
                columns.append(Column(name: column.name, promQL: column.promQL, unit: column.unit,
                                      result: try run(engine, column.promQL, resolvedTime)))
            }
        } else {
            let expr = try PromQLParser.parse(query)
            columns.append(Column(name: "value", promQL: query, unit: nil, result: try run(engine, expr, resolvedTime)))
            notes = missingNames(expr, in: snapshot)
        }
        var answer = QueryAnswer(query: query, isCompact: compact, time: resolvedTime, columns: columns, rows: [], notes: notes)
        if case .instant = resolvedTime { answer.rows = rows(columns, bounds: bucketMetric.map { bucketBounds($0, snapshot) }) }
        return answer
    }

    private static func run(_ engine: QueryEngine, _ query: String, _ time: Time) throws(QueryError) -> QueryResult {
        try run(engine, try PromQLParser.parse(query), time)
    }

    private static func run(_ engine: QueryEngine, _ expr: Expr, _ time: Time) throws(QueryError) -> QueryResult {
        switch time {
        case let .instant(atMs): try engine.instant(expr, atMs: atMs)
        case let .range(startMs, endMs, stepMs): try engine.range(expr, startMs: startMs, endMs: endMs, stepMs: stepMs)
        }
    }

    /// Joins the columns' vectors into rows keyed by labels (without the metric name).
    private static func rows(_ columns: [Column], bounds: [Double]?) -> [Row] {
        var index: [LabelSet: Int] = [:]
        var rows: [Row] = []
        for (c, column) in columns.enumerated() {
            let samples: [InstantSample]
            switch column.result {
            case let .vector(vector): samples = vector
            case let .scalar(t, v): samples = [InstantSample(LabelSet([]), timestampMs: t, value: v)]
            default: samples = []
            }
            for sample in samples {
                let key = columns.count > 1 ? sample.labels.setting(metricNameLabel, to: "") : sample.labels
                if index[key] == nil {
                    index[key] = rows.count
                    rows.append(Row(labels: key, values: Array(repeating: .nan, count: columns.count),
                                    bounds: Array(repeating: nil, count: columns.count)))
                }
                let r = index[key] ?? 0
                rows[r].values[c] = sample.value
                if let bounds { rows[r].bounds[c] = bracket(sample.value, bounds) }
            }
        }
        return rows
    }

    /// The finite bucket bounds of a histogram metric, ascending, with 0 as the lowest bucket's lower edge.
    private static func bucketBounds(_ metric: String, _ snapshot: Snapshot) -> [Double] {
        let values = (try? snapshot.select([.equal(metricNameLabel, metric)]).compactMap { $0.labels["le"].flatMap(Double.init) }) ?? []
        return Array(Set(values.filter(\.isFinite))).sorted()
    }

    /// The bounds a value from `histogram_quantile` was interpolated between.
    static func bracket(_ value: Double, _ bounds: [Double]) -> (lower: Double, upper: Double)? {
        guard value.isFinite, let upperIndex = bounds.firstIndex(where: { $0 >= value }) else { return nil }
        let lower = upperIndex == 0 ? min(0, bounds[0]) : bounds[upperIndex - 1]
        return (lower, bounds[upperIndex])
    }

    /// Notes for selectors naming metrics the store does not hold, with the closest names.
    private static func missingNames(_ expr: Expr, in snapshot: Snapshot) -> [String] {
        let names = Set(snapshot.metricNames())
        return expr.selectorMetricNames().filter { !names.contains($0) }.map { name in
            let closest = NameSuggestions.closest(to: name, among: names)
            return "no series named \(name) in the store" + (closest.isEmpty ? "" : "; did you mean \(closest.joined(separator: " or "))?")
        }
    }
}

extension Expr {
    /// The metric names of every selector in the expression.
    func selectorMetricNames() -> [String] {
        switch self {
        case .number, .string: []
        case let .vector(selector): selector.metricName.map { [$0] } ?? []
        case let .range(matrix): matrix.selector.metricName.map { [$0] } ?? []
        case let .subquery(subquery): subquery.expression.selectorMetricNames()
        case let .call(call): call.arguments.flatMap { $0.selectorMetricNames() }
        case let .aggregation(aggregation): aggregation.expression.selectorMetricNames() + (aggregation.parameter?.selectorMetricNames() ?? [])
        case let .binary(operation): operation.lhs.selectorMetricNames() + operation.rhs.selectorMetricNames()
        case let .unary(_, operand): operand.selectorMetricNames()
        case let .parenthesized(inner): inner.selectorMetricNames()
        }
    }
}
