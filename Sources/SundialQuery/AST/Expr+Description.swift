import SundialStorage

extension Expr: CustomStringConvertible {
    /// The expression as PromQL text, formatted as Prometheus prints it
    /// (`sum by (operation) (rate(x[5m]))`); parsing the text gives back an equal tree, up to
    /// parentheses that precedence makes unnecessary.
    public var description: String {
        switch self {
        case let .number(value): return value == .infinity ? "Inf" : GoFloat.format(value)  // "+Inf" would re-parse as unary plus
        case let .string(value): return Literals.quote(value)
        case let .vector(selector): return selector.description
        case let .range(matrix): return matrix.description
        case let .subquery(subquery): return subquery.description
        case let .call(call): return "\(call.name)(\(call.arguments.map(\.description).joined(separator: ", ")))"
        case let .aggregation(aggregation): return aggregation.description
        case let .binary(operation): return operation.description
        case let .unary(op, operand):
            // A unary operator binds like `*`: a looser operand needs parentheses.
            if case let .binary(inner) = operand, inner.op.precedence <= BinaryOperator.multiply.precedence {
                return op.rawValue + "(\(operand))"
            }
            return op.rawValue + operand.description
        case let .parenthesized(inner): return "(\(inner))"
        }
    }
}

extension VectorSelector: CustomStringConvertible {
    /// `name{a="b"} offset 5m @ 100.000`.
    public var description: String { selectorText + modifierText(offsetMs: offsetMs, at: at) }

    var selectorText: String {
        let inner = matchers.map { "\($0.name)\($0.operation.rawValue)\(Literals.quote($0.value))" }.joined(separator: ", ")
        guard let metricName else { return "{\(inner)}" }
        return matchers.isEmpty ? metricName : "\(metricName){\(inner)}"
    }
}

extension MatrixSelector: CustomStringConvertible {
    /// `name{a="b"}[5m] offset 1m`.
    public var description: String {
        selector.selectorText + "[\(Literals.formatDuration(rangeMs))]" + modifierText(offsetMs: selector.offsetMs, at: selector.at)
    }
}

extension Subquery: CustomStringConvertible {
    /// `expr[1h:1m] offset 5m`.
    public var description: String {
        let step = stepMs.map(Literals.formatDuration) ?? ""
        return "\(expression)[\(Literals.formatDuration(rangeMs)):\(step)]" + modifierText(offsetMs: offsetMs, at: at)
    }
}

extension Aggregation: CustomStringConvertible {
    /// `sum by (operation) (x)`, `topk(5, x)`.
    public var description: String {
        var text = op.rawValue
        switch grouping {
        case let .by(labels) where !labels.isEmpty: text += " by (\(labels.joined(separator: ", "))) "
        case let .without(labels): text += " without (\(labels.joined(separator: ", "))) "
        default: break
        }
        text += "("
        if let parameter { text += "\(parameter), " }
        return text + "\(expression))"
    }
}

extension BinaryOperation: CustomStringConvertible {
    /// `a / on (operation) group_left (namespace) b`.
    public var description: String {
        var modifiers = returnBool ? " bool" : ""
        if let matching, !matching.labels.isEmpty || matching.on {
            modifiers += " \(matching.on ? "on" : "ignoring") (\(matching.labels.joined(separator: ", ")))"
            switch matching.cardinality {
            case .manyToOne: modifiers += " group_left (\(matching.include.joined(separator: ", ")))"
            case .oneToMany: modifiers += " group_right (\(matching.include.joined(separator: ", ")))"
            default: break
            }
        }
        return "\(operandText(lhs, isLeft: true)) \(op.rawValue)\(modifiers) \(operandText(rhs, isLeft: false))"
    }

    /// An operand, parenthesised when precedence would otherwise regroup it (trees built in code
    /// have no explicit parentheses; parsed trees keep theirs, so they print unchanged).
    private func operandText(_ operand: Expr, isLeft: Bool) -> String {
        switch operand {
        case let .binary(inner):
            let p = inner.op.precedence
            let wrap = p < op.precedence || (p == op.precedence && (isLeft == op.isRightAssociative))
            return wrap ? "(\(operand))" : operand.description
        case .unary where isLeft && op == .power:
            return "(\(operand))"
        case let .number(value) where isLeft && op == .power && (value < 0 || (value == 0 && value.sign == .minus)):
            return "(\(operand))"
        default:
            return operand.description
        }
    }
}

private func modifierText(offsetMs: Int64, at: AtModifier?) -> String {
    var text = ""
    if offsetMs != 0 { text += " offset \(Literals.formatDuration(offsetMs))" }
    switch at {
    case let .timestamp(ms)?:
        let seconds = Double(ms) / 1000
        text += " @ \(String(format3: seconds))"
    case .start?: text += " @ start()"
    case .end?: text += " @ end()"
    case nil: break
    }
    return text
}

extension String {
    /// Seconds with exactly three decimals, as Prometheus prints an `@` timestamp.
    init(format3 seconds: Double) {
        let millis = Int64((seconds * 1000).rounded())
        let sign = millis < 0 ? "-" : ""
        let magnitude = millis.magnitude
        let fraction = String(magnitude % 1000).leftPadded(to: 3)
        self = "\(sign)\(magnitude / 1000).\(fraction)"
    }
}
