import SundialStorage

/// A PromQL expression: the tree ``PromQLParser/parse(_:)`` produces and ``QueryEngine`` evaluates.
///
/// The tree is public and plain so that other front ends (Sundial's compact query language, tests,
/// embedders) can build it directly instead of printing and re-parsing text:
///
/// ```swift
/// // histogram_quantile(0.99, sum by (operation, le) (rate(persistence_latency_bucket[5m])))
/// let rate = Expr.call("rate", .range(VectorSelector(metricName: "persistence_latency_bucket"), rangeMs: 300_000))
/// let summed = Expr.aggregation(Aggregation(.sum, rate, grouping: .by(["operation", "le"])))
/// let p99 = Expr.call("histogram_quantile", .number(0.99), summed)
/// print(p99) // histogram_quantile(0.99, sum by (operation, le) (rate(persistence_latency_bucket[5m])))
/// ```
///
/// Build trees in code with the cases and the helpers below; ``QueryEngine`` type-checks a tree
/// before evaluating it (``Expr/validate()``), exactly as the parser does for text.
public indirect enum Expr: Sendable, Equatable {
    /// A number literal such as `0.95`, `1e3`, `0x1f`, `Inf` or `NaN`; a scalar.
    case number(Double)
    /// A string literal; only meaningful as a function or `count_values` argument.
    case string(String)
    /// An instant vector selector: `service_requests{operation="StartWorkflowExecution"}`.
    case vector(VectorSelector)
    /// A range vector selector: `service_requests[5m]`.
    case range(MatrixSelector)
    /// A subquery: `rate(x[5m])[1h:1m]`.
    case subquery(Subquery)
    /// A function call: `rate(x[5m])`, `histogram_quantile(0.95, …)`.
    case call(FunctionCall)
    /// An aggregation: `sum by (operation) (…)`.
    case aggregation(Aggregation)
    /// A binary operation: `a / on(operation) b`.
    case binary(BinaryOperation)
    /// A unary minus or plus: `-x`.
    case unary(UnaryOperator, Expr)
    /// A parenthesised expression, kept so that printing round-trips.
    case parenthesized(Expr)

    /// The kind of value the expression produces, as PromQL types it.
    public var valueType: ValueType {
        switch self {
        case .number: .scalar
        case .string: .string
        case .vector: .vector
        case .range, .subquery: .matrix
        case let .call(call): FunctionSignature.named(call.name)?.returnType ?? .vector
        case .aggregation: .vector
        case let .binary(operation):
            operation.lhs.valueType == .scalar && operation.rhs.valueType == .scalar ? .scalar : .vector
        case let .unary(_, operand): operand.valueType
        case let .parenthesized(inner): inner.valueType
        }
    }

    /// Structural equality; number literals compare by value with NaN equal to NaN, so that a
    /// parsed `NaN` equals itself.
    public static func == (lhs: Expr, rhs: Expr) -> Bool {
        switch (lhs, rhs) {
        case let (.number(a), .number(b)): a == b || (a.isNaN && b.isNaN)
        case let (.string(a), .string(b)): a == b
        case let (.vector(a), .vector(b)): a == b
        case let (.range(a), .range(b)): a == b
        case let (.subquery(a), .subquery(b)): a == b
        case let (.call(a), .call(b)): a == b
        case let (.aggregation(a), .aggregation(b)): a == b
        case let (.binary(a), .binary(b)): a == b
        case let (.unary(o1, a), .unary(o2, b)): o1 == o2 && a == b
        case let (.parenthesized(a), .parenthesized(b)): a == b
        default: false
        }
    }

    /// The expression without any enclosing parentheses.
    public var unwrapped: Expr {
        var current = self
        while case let .parenthesized(inner) = current { current = inner }
        return current
    }
}

/// The four PromQL value types.
public enum ValueType: String, Sendable, Equatable, CustomStringConvertible {
    /// A single number per evaluation time.
    case scalar
    /// One sample per series per evaluation time.
    case vector
    /// A window of samples per series per evaluation time.
    case matrix
    /// A string literal.
    case string

    /// The name Prometheus uses in its error messages ("instant vector", "range vector", …).
    public var description: String {
        switch self {
        case .scalar: "scalar"
        case .vector: "instant vector"
        case .matrix: "range vector"
        case .string: "string"
        }
    }
}

/// Unary operators: `-x` and `+x`.
public enum UnaryOperator: String, Sendable, Equatable {
    /// Negation; drops the metric name.
    case minus = "-"
    /// Identity; keeps the metric name.
    case plus = "+"
}

/// Where a selector or subquery is anchored by the `@` modifier.
public enum AtModifier: Sendable, Equatable {
    /// `@ 1700000000`: a fixed time (milliseconds since the epoch).
    case timestamp(ms: Int64)
    /// `@ start()`: the start of the range query (the evaluation time for an instant query).
    case start
    /// `@ end()`: the end of the range query (the evaluation time for an instant query).
    case end
}

extension Expr {
    /// A function call with positional arguments: `.call("rate", .range(…))`.
    public static func call(_ name: String, _ arguments: Expr...) -> Expr {
        .call(FunctionCall(name, arguments))
    }

    /// An instant selector for a metric name with extra matchers.
    public static func selector(_ metricName: String, _ matchers: [LabelMatcher] = []) -> Expr {
        .vector(VectorSelector(metricName: metricName, matchers: matchers))
    }

    /// A range selector `selector[range]`.
    public static func range(_ selector: VectorSelector, rangeMs: Int64) -> Expr {
        .range(MatrixSelector(selector, rangeMs: rangeMs))
    }

    /// A binary operation with default (one-to-one, all labels) matching.
    public static func binary(_ lhs: Expr, _ op: BinaryOperator, _ rhs: Expr, returnBool: Bool = false, matching: VectorMatching? = nil) -> Expr {
        .binary(BinaryOperation(lhs, op, rhs, returnBool: returnBool, matching: matching))
    }
}
