import SundialStorage

/// The static checks Prometheus makes after parsing (`checkAST` in `promql/parser/parse.go`), shared
/// by the parser (which reports them with a byte position) and by ``Expr/validate()`` (for trees
/// built in code). Each returns the Prometheus message, or nil when the node is fine.
enum TypeRules {
    /// A problem with one function call: the message and, when one argument is at fault, its index.
    struct CallProblem {
        var message: String
        var argument: Int?
    }

    static func call(_ name: String, _ argumentTypes: [ValueType]) -> CallProblem? {
        guard let signature = FunctionSignature.named(name) else {
            return CallProblem(message: "unknown function with name \(goQuote(name))")
        }
        let declared = signature.argumentTypes.count
        if signature.variadic == 0 {
            if declared != argumentTypes.count {
                return CallProblem(message: "expected \(declared) argument(s) in call to \(goQuote(name)), got \(argumentTypes.count)")
            }
        } else {
            let required = declared - 1
            if required > argumentTypes.count {
                return CallProblem(message: "expected at least \(required) argument(s) in call to \(goQuote(name)), got \(argumentTypes.count)")
            }
            if signature.variadic > 0 && required + signature.variadic < argumentTypes.count {
                return CallProblem(message: "expected at most \(required + signature.variadic) argument(s) in call to \(goQuote(name)), got \(argumentTypes.count)")
            }
        }
        for (i, type) in argumentTypes.enumerated() {
            var declaredIndex = i
            if i >= declared {
                if signature.variadic == 0 { break }
                declaredIndex = declared - 1
            }
            let want = signature.argumentTypes[declaredIndex]
            if type != want {
                return CallProblem(message: "expected type \(want) in call to function \(goQuote(name)), got \(type)", argument: i)
            }
        }
        return nil
    }

    static func aggregationExpression(_ type: ValueType) -> String? {
        type == .vector ? nil : "expected type instant vector in aggregation expression, got \(type)"
    }

    static func aggregationParameter(_ op: AggregationOperator, _ type: ValueType?) -> String? {
        guard op.takesParameter else { return nil }
        let want: ValueType = op == .countValues ? .string : .scalar
        guard let type else { return "wrong number of arguments for aggregate expression provided, expected 2, got 1" }
        return type == want ? nil : "expected type \(want) in aggregation parameter, got \(type)"
    }

    static func binary(_ op: BinaryOperator, _ lt: ValueType, _ rt: ValueType, returnBool: Bool, matching: VectorMatching?) -> String? {
        if returnBool && !op.isComparison { return "bool modifier can only be used on comparison operators" }
        if op.isComparison && !returnBool && lt == .scalar && rt == .scalar {
            return "comparisons between scalars must use BOOL modifier"
        }
        if let matching, matching.on {
            for label in matching.labels where matching.include.contains(label) {
                return "label \(goQuote(label)) must not occur in ON and GROUP clause at once"
            }
        }
        if lt != .scalar && lt != .vector { return "binary expression must contain only scalar and instant vector types" }
        if rt != .scalar && rt != .vector { return "binary expression must contain only scalar and instant vector types" }
        if lt == .vector && rt == .vector {
            if op.isSetOperator, let matching, matching.cardinality == .manyToOne || matching.cardinality == .oneToMany {
                return "no grouping allowed for \(goQuote(op.rawValue)) operation"
            }
        } else if let matching, !matching.labels.isEmpty {
            return "vector matching only allowed between instant vectors"
        }
        if (lt == .scalar || rt == .scalar) && op.isSetOperator {
            return "set operator \(goQuote(op.rawValue)) not allowed in binary scalar expression"
        }
        return nil
    }

    static func unary(_ type: ValueType) -> String? {
        type == .scalar || type == .vector ? nil
            : "unary expression only allowed on expressions of type scalar or instant vector, got \(goQuote(type.description))"
    }

    static func subquery(_ type: ValueType) -> String? {
        type == .vector ? nil : "subquery is only allowed on instant vector, got \(goTypeName(type)) instead"
    }

    /// Prometheus' internal type names (`ValueType.String()`), used in a few messages.
    static func goTypeName(_ type: ValueType) -> String {
        switch type {
        case .scalar: "scalar"
        case .vector: "vector"
        case .matrix: "matrix"
        case .string: "string"
        }
    }

    static func selector(_ selector: VectorSelector) -> String? {
        if let name = selector.metricName {
            for m in selector.matchers where m.name == metricNameLabel {
                return "metric name must not be set twice: \(goQuote(name)) or \(goQuote(m.value))"
            }
            return nil
        }
        if !selector.matchers.contains(where: { !$0.matchesEmpty }) {
            return "vector selector must contain at least one non-empty matcher"
        }
        return nil
    }

    static func grouping(_ labels: [String]) -> String? {
        for label in labels where !isValidLabelName(label) {
            return "invalid label name \(goQuote(label)) in grouping"
        }
        return nil
    }
}

extension Expr {
    /// Type-checks the tree with the rules the parser applies to text, so that a tree built in code
    /// fails as early and as clearly as a typed query would.
    /// - Throws: ``QueryError/invalidExpression(_:)`` naming the first offending sub-expression.
    public func validate() throws(QueryError) {
        func fail(_ message: String, _ node: Expr) -> QueryError {
            .invalidExpression("\(message) in `\(node)`")
        }
        switch self {
        case .number, .string:
            return
        case let .vector(selector):
            if let message = TypeRules.selector(selector) { throw fail(message, self) }
        case let .range(matrix):
            if let message = TypeRules.selector(matrix.selector) { throw fail(message, self) }
            if matrix.rangeMs <= 0 { throw fail("duration must be greater than 0", self) }
        case let .subquery(subquery):
            try subquery.expression.validate()
            if let message = TypeRules.subquery(subquery.expression.valueType) { throw fail(message, self) }
            if subquery.rangeMs <= 0 || (subquery.stepMs ?? 1) <= 0 { throw fail("duration must be greater than 0", self) }
        case let .call(call):
            for argument in call.arguments { try argument.validate() }
            if let problem = TypeRules.call(call.name, call.arguments.map(\.valueType)) { throw fail(problem.message, self) }
        case let .aggregation(aggregation):
            try aggregation.expression.validate()
            if let parameter = aggregation.parameter { try parameter.validate() }
            if let message = TypeRules.aggregationExpression(aggregation.expression.valueType) { throw fail(message, self) }
            if let message = TypeRules.aggregationParameter(aggregation.op, aggregation.parameter?.valueType) {
                throw fail(message, self)
            }
            if !aggregation.op.takesParameter && aggregation.parameter != nil {
                throw fail("wrong number of arguments for aggregate expression provided, expected 1, got 2", self)
            }
            switch aggregation.grouping {
            case let .by(labels), let .without(labels):
                if let message = TypeRules.grouping(labels) { throw fail(message, self) }
            case nil: break
            }
        case let .binary(operation):
            try operation.lhs.validate()
            try operation.rhs.validate()
            if let message = TypeRules.binary(operation.op, operation.lhs.valueType, operation.rhs.valueType,
                                              returnBool: operation.returnBool, matching: operation.matching) {
                throw fail(message, self)
            }
        case let .unary(_, operand):
            try operand.validate()
            if let message = TypeRules.unary(operand.valueType) { throw fail(message, self) }
        case let .parenthesized(inner):
            try inner.validate()
        }
    }
}
