/// The aggregation operators.
public enum AggregationOperator: String, Sendable, Equatable, CaseIterable {
    /// Sum of the values.
    case sum
    /// Arithmetic mean.
    case avg
    /// Number of series.
    case count
    /// Smallest value.
    case min
    /// Largest value.
    case max
    /// 1 for every group (`group`).
    case group
    /// Population standard deviation.
    case stddev
    /// Population variance.
    case stdvar
    /// The k largest samples, keeping their labels; takes a scalar parameter.
    case topk
    /// The k smallest samples, keeping their labels; takes a scalar parameter.
    case bottomk
    /// Number of series per distinct value, the value becoming a label; takes a string parameter.
    case countValues = "count_values"
    /// The φ-quantile over the group (Hyndman–Fan type 7); takes a scalar parameter.
    case quantile

    /// True for operators that take a parameter before the vector (`topk(5, …)`).
    public var takesParameter: Bool {
        switch self {
        case .topk, .bottomk, .countValues, .quantile: true
        default: false
        }
    }
}

/// `by (…)` or `without (…)` on an aggregation.
public enum Grouping: Sendable, Equatable {
    /// Keep only these labels (an empty list aggregates everything into one series).
    case by([String])
    /// Keep every label except these and the metric name.
    case without([String])
}

/// An aggregation such as `sum by (operation) (rate(x[5m]))`.
public struct Aggregation: Sendable, Equatable {
    /// The operator.
    public var op: AggregationOperator
    /// The aggregated instant-vector expression.
    public var expression: Expr
    /// The parameter of `topk`, `bottomk`, `quantile` (a scalar) or `count_values` (a string).
    public var parameter: Expr?
    /// The grouping; nil aggregates everything into one series, like `by ()`.
    public var grouping: Grouping?

    /// Creates an aggregation.
    public init(_ op: AggregationOperator, _ expression: Expr, parameter: Expr? = nil, grouping: Grouping? = nil) {
        self.op = op
        self.expression = expression
        self.parameter = parameter
        self.grouping = grouping
    }
}

/// The binary operators, with Prometheus' precedence.
public enum BinaryOperator: String, Sendable, Equatable, CaseIterable {
    /// `+`
    case add = "+"
    /// `-`
    case subtract = "-"
    /// `*`
    case multiply = "*"
    /// `/`
    case divide = "/"
    /// `%` (sign of the dividend, as C's `fmod`)
    case modulo = "%"
    /// `^` (right-associative)
    case power = "^"
    /// `atan2`
    case atan2
    /// `==`
    case equal = "=="
    /// `!=`
    case notEqual = "!="
    /// `>`
    case greater = ">"
    /// `<`
    case less = "<"
    /// `>=`
    case greaterOrEqual = ">="
    /// `<=`
    case lessOrEqual = "<="
    /// `and`
    case and
    /// `or`
    case or
    /// `unless`
    case unless

    /// Binding strength: `or` 1, `and unless` 2, comparisons 3, `+ -` 4, `* / % atan2` 5, `^` 6.
    public var precedence: Int {
        switch self {
        case .or: 1
        case .and, .unless: 2
        case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: 3
        case .add, .subtract: 4
        case .multiply, .divide, .modulo, .atan2: 5
        case .power: 6
        }
    }

    /// True for `^`, the only right-associative operator.
    public var isRightAssociative: Bool { self == .power }

    /// True for `== != > < >= <=`.
    public var isComparison: Bool { precedence == 3 }

    /// True for `and or unless`.
    public var isSetOperator: Bool { self == .and || self == .or || self == .unless }

    /// True for the arithmetic operators, whose vector results lose the metric name.
    public var dropsMetricName: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .power, .modulo: true
        default: false
        }
    }
}

/// How series on the two sides of a vector/vector operation are paired.
public struct VectorMatching: Sendable, Equatable {
    /// Which side may have several series per match.
    public enum Cardinality: Sendable, Equatable {
        /// Each match pairs one series with one series.
        case oneToOne
        /// `group_left`: many on the left per one on the right.
        case manyToOne
        /// `group_right`: one on the left per many on the right.
        case oneToMany
        /// Set operators (`and or unless`).
        case manyToMany
    }

    /// The cardinality.
    public var cardinality: Cardinality
    /// The labels of `on(…)` or `ignoring(…)`.
    public var labels: [String]
    /// True for `on(…)`, false for `ignoring(…)` (or no clause, which ignores nothing but the name).
    public var on: Bool
    /// The extra labels of `group_left(…)` / `group_right(…)`, copied from the "one" side.
    public var include: [String]

    /// Creates a matching.
    public init(cardinality: Cardinality = .oneToOne, labels: [String] = [], on: Bool = false, include: [String] = []) {
        self.cardinality = cardinality
        self.labels = labels
        self.on = on
        self.include = include
    }
}

/// A binary operation: arithmetic, comparison (optionally `bool`) or set operation.
public struct BinaryOperation: Sendable, Equatable {
    /// The operator.
    public var op: BinaryOperator
    /// The left operand.
    public var lhs: Expr
    /// The right operand.
    public var rhs: Expr
    /// `bool` on a comparison: return 0/1 instead of filtering.
    public var returnBool: Bool
    /// `on`/`ignoring`/`group_x` modifiers; nil means default matching.
    public var matching: VectorMatching?

    /// Creates a binary operation.
    public init(_ lhs: Expr, _ op: BinaryOperator, _ rhs: Expr, returnBool: Bool = false, matching: VectorMatching? = nil) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.returnBool = returnBool
        self.matching = matching
    }

    /// The matching in effect: the written one, or one-to-one on all labels (many-to-many for set
    /// operators), as Prometheus fills it in.
    public var effectiveMatching: VectorMatching {
        var m = matching ?? VectorMatching()
        if op.isSetOperator && m.cardinality == .oneToOne { m.cardinality = .manyToMany }
        return m
    }
}
