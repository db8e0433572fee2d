import SundialStorage

/// An instant vector selector: a metric name and/or label matchers, an optional offset and `@`.
///
/// ```swift
/// let errors = VectorSelector(metricName: "service_errors", matchers: [.equal("service_name", "frontend")])
/// errors.allMatchers // [service_name="frontend", __name__="service_errors"]
/// ```
public struct VectorSelector: Sendable, Equatable {
    /// The metric name written before the braces, or nil for `{__name__=~"…"}` style selectors.
    public var metricName: String?
    /// The matchers written inside the braces, in order (the metric name is not among them).
    public var matchers: [LabelMatcher]
    /// `offset 5m` in milliseconds (negative for `offset -5m`); 0 when absent.
    public var offsetMs: Int64
    /// The `@` modifier, if any.
    public var at: AtModifier?

    /// Creates a selector.
    public init(metricName: String? = nil, matchers: [LabelMatcher] = [], offsetMs: Int64 = 0, at: AtModifier? = nil) {
        self.metricName = metricName
        self.matchers = matchers
        self.offsetMs = offsetMs
        self.at = at
    }

    /// The matchers the store is asked with: those in braces, then `__name__="metricName"`, as
    /// Prometheus assembles them.
    public var allMatchers: [LabelMatcher] {
        guard let metricName else { return matchers }
        return matchers + [LabelMatcher.equal(metricNameLabel, metricName)]
    }

    /// Equal when name, offset, `@` and every matcher's operation, name and value are equal.
    public static func == (lhs: VectorSelector, rhs: VectorSelector) -> Bool {
        lhs.metricName == rhs.metricName && lhs.offsetMs == rhs.offsetMs && lhs.at == rhs.at
            && lhs.matchers.count == rhs.matchers.count
            && zip(lhs.matchers, rhs.matchers).allSatisfy {
                $0.operation == $1.operation && $0.name == $1.name && $0.value == $1.value
            }
    }
}

/// A range vector selector: `selector[range]`, closed at both ends in Prometheus 2.42.
public struct MatrixSelector: Sendable, Equatable {
    /// The selector, which carries the offset and `@` (written after the range in PromQL).
    public var selector: VectorSelector
    /// The window length in milliseconds.
    public var rangeMs: Int64

    /// Creates a range selector.
    public init(_ selector: VectorSelector, rangeMs: Int64) {
        self.selector = selector
        self.rangeMs = rangeMs
    }
}

/// A subquery: `expression[range:step]`, evaluating an instant-vector expression at every `step`
/// inside each window.
public struct Subquery: Sendable, Equatable {
    /// The inner instant-vector expression.
    public var expression: Expr
    /// The window length in milliseconds.
    public var rangeMs: Int64
    /// The inner step in milliseconds; nil means the engine's default (``QueryOptions/defaultSubqueryStepMs``).
    public var stepMs: Int64?
    /// `offset` in milliseconds.
    public var offsetMs: Int64
    /// The `@` modifier, if any.
    public var at: AtModifier?

    /// Creates a subquery.
    public init(_ expression: Expr, rangeMs: Int64, stepMs: Int64? = nil, offsetMs: Int64 = 0, at: AtModifier? = nil) {
        self.expression = expression
        self.rangeMs = rangeMs
        self.stepMs = stepMs
        self.offsetMs = offsetMs
        self.at = at
    }
}

/// A function call such as `rate(x[5m])`; ``FunctionSignature`` lists the functions and their types.
public struct FunctionCall: Sendable, Equatable {
    /// The function name, case-sensitive as in PromQL (`rate`, `histogram_quantile`).
    public var name: String
    /// The arguments in order.
    public var arguments: [Expr]

    /// Creates a call.
    public init(_ name: String, _ arguments: [Expr]) {
        self.name = name
        self.arguments = arguments
    }
}
