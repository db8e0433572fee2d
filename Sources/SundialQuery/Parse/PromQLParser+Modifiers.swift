import SundialStorage

extension Parser {
    // MARK: Postfix: [range], [range:step], offset, @

    /// Applies the postfix modifiers, which bind tighter than any operator: `x[5m]`,
    /// `expr[1h:1m]`, `x offset 5m`, `x @ 1700000000`, `x @ start()`.
    mutating func parsePostfix(_ base: Node) throws(QueryError) -> Node {
        var node = base
        while true {
            switch peek.kind {
            case .leftBracket: node = try parseRangeOrSubquery(node)
            case .keyword(.offset): node = try parseOffset(node)
            case .at: node = try parseAt(node)
            default: return node
            }
        }
    }

    private mutating func parseRangeOrSubquery(_ node: Node) throws(QueryError) -> Node {
        let open = advance()
        guard peek.kind == .duration else { throw unexpected("subquery selector", expected: "duration") }
        let range = try durationValue(advance())
        switch peek.kind {
        case .rightBracket:
            advance()
            guard case let .vector(selector) = node.expr else {
                throw .parse(message: "ranges only allowed for vector selectors", position: open.position)
            }
            if selector.offsetMs != 0 { throw .parse(message: "no offset modifiers allowed before range", position: open.position) }
            if selector.at != nil { throw .parse(message: "no @ modifiers allowed before range", position: open.position) }
            return Node(expr: .range(MatrixSelector(selector, rangeMs: range)), start: node.start)
        case .colon:
            advance()
            var step: Int64?
            if peek.kind == .duration { step = try durationValue(advance()) }
            guard peek.kind == .rightBracket else {
                throw unexpected("subquery selector", expected: step == nil ? "duration or \"]\"" : "\"]\"")
            }
            advance()
            if let message = TypeRules.subquery(node.expr.valueType) { throw .parse(message: message, position: node.start) }
            return Node(expr: .subquery(Subquery(node.expr, rangeMs: range, stepMs: step)), start: node.start)
        default:
            throw unexpected("subquery or range", expected: "\":\" or \"]\"")
        }
    }

    private mutating func parseOffset(_ node: Node) throws(QueryError) -> Node {
        advance()
        var negative = false
        if peek.kind == .op(.subtract) {
            advance()
            negative = true
        }
        guard peek.kind == .duration else { throw unexpected("offset", expected: "duration") }
        let duration = try durationValue(advance())
        let offset = negative ? -duration : duration
        let twice = QueryError.parse(message: "offset may not be set multiple times", position: node.start)
        var expr = node.expr
        switch expr {
        case var .vector(selector):
            if selector.offsetMs != 0 { throw twice }
            selector.offsetMs = offset
            expr = .vector(selector)
        case var .range(matrix):
            if matrix.selector.offsetMs != 0 { throw twice }
            matrix.selector.offsetMs = offset
            expr = .range(matrix)
        case var .subquery(subquery):
            if subquery.offsetMs != 0 { throw twice }
            subquery.offsetMs = offset
            expr = .subquery(subquery)
        default:
            throw .parse(message: "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                         position: node.start)
        }
        return Node(expr: expr, start: node.start)
    }

    private mutating func parseAt(_ node: Node) throws(QueryError) -> Node {
        advance()
        let modifier: AtModifier
        switch peek.kind {
        case .keyword(.start), .keyword(.end):
            let which = advance()
            guard peek.kind == .leftParen else { throw unexpected("@", expected: "timestamp") }
            advance()
            guard peek.kind == .rightParen else { throw unexpected("@", expected: "timestamp") }
            advance()
            modifier = which.kind == .keyword(.start) ? .start : .end
        default:
            var sign = 1.0
            if case let .op(op) = peek.kind, op == .add || op == .subtract {
                sign = op == .subtract ? -1 : 1
                advance()
            }
            guard peek.kind == .number else { throw unexpected("@", expected: "timestamp") }
            let token = advance()
            let seconds = sign * (Literals.number(token.text) ?? .nan)
            let ms = seconds * 1000
            guard ms.isFinite, ms < 9.2e18, ms > -9.2e18 else {
                throw .parse(message: "timestamp out of bounds for @ modifier: \(GoFloat.format(seconds))", position: token.position)
            }
            modifier = .timestamp(ms: Int64(GoFloat.round(ms)))
        }
        let twice = QueryError.parse(message: "@ <timestamp> may not be set multiple times", position: node.start)
        var expr = node.expr
        switch expr {
        case var .vector(selector):
            if selector.at != nil { throw twice }
            selector.at = modifier
            expr = .vector(selector)
        case var .range(matrix):
            if matrix.selector.at != nil { throw twice }
            matrix.selector.at = modifier
            expr = .range(matrix)
        case var .subquery(subquery):
            if subquery.at != nil { throw twice }
            subquery.at = modifier
            expr = .subquery(subquery)
        default:
            throw .parse(message: "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                         position: node.start)
        }
        return Node(expr: expr, start: node.start)
    }

    // MARK: Calls and aggregations

    /// `( expr, expr, … )`; returns the argument nodes.
    private mutating func parseArguments() throws(QueryError) -> [Node] {
        advance()  // (
        var arguments: [Node] = []
        if peek.kind == .rightParen {
            advance()
            return arguments
        }
        while true {
            arguments.append(try parseExpression(minPrecedence: 0))
            switch peek.kind {
            case .comma:
                let comma = advance()
                if peek.kind == .rightParen {
                    throw .parse(message: "trailing commas not allowed in function call args", position: comma.position)
                }
            case .rightParen:
                advance()
                return arguments
            default:
                throw unexpected()
            }
        }
    }

    mutating func parseCall() throws(QueryError) -> Node {
        let name = advance()
        guard FunctionSignature.named(name.text) != nil else {
            throw .parse(message: "unknown function with name \(goQuote(name.text))", position: name.position)
        }
        let arguments = try parseArguments()
        if let problem = TypeRules.call(name.text, arguments.map(\.expr.valueType)) {
            let position = problem.argument.map { arguments[$0].start } ?? name.position
            throw .parse(message: problem.message, position: position)
        }
        return Node(expr: .call(FunctionCall(name.text, arguments.map(\.expr))), start: name.position)
    }

    mutating func parseAggregation(_ op: AggregationOperator) throws(QueryError) -> Node {
        let opToken = advance()
        var grouping = try parseAggregationModifier()
        guard peek.kind == .leftParen else { throw unexpected("aggregation") }
        let arguments = try parseArguments()
        if grouping == nil { grouping = try parseAggregationModifier() }
        let expected = op.takesParameter ? 2 : 1
        if arguments.isEmpty {
            throw .parse(message: "no arguments for aggregate expression provided", position: opToken.position)
        }
        if arguments.count != expected {
            throw .parse(message: "wrong number of arguments for aggregate expression provided, expected \(expected), got \(arguments.count)",
                         position: opToken.position)
        }
        let expression = arguments[expected - 1]
        let parameter = op.takesParameter ? arguments[0] : nil
        if let message = TypeRules.aggregationExpression(expression.expr.valueType) {
            throw .parse(message: message, position: expression.start)
        }
        if let parameter, let message = TypeRules.aggregationParameter(op, parameter.expr.valueType) {
            throw .parse(message: message, position: parameter.start)
        }
        let aggregation = Aggregation(op, expression.expr, parameter: parameter?.expr, grouping: grouping)
        return Node(expr: .aggregation(aggregation), start: opToken.position)
    }

    private mutating func parseAggregationModifier() throws(QueryError) -> Grouping? {
        switch peek.kind {
        case .keyword(.by):
            advance()
            return .by(try parseGroupingLabels())
        case .keyword(.without):
            advance()
            return .without(try parseGroupingLabels())
        default:
            return nil
        }
    }

    /// `(label, label, …)`; keywords are allowed as label names, as in Prometheus.
    mutating func parseGroupingLabels() throws(QueryError) -> [String] {
        guard peek.kind == .leftParen else { throw unexpected("grouping opts", expected: "\"(\"") }
        advance()
        var labels: [String] = []
        if peek.kind == .rightParen {
            advance()
            return labels
        }
        while true {
            switch peek.kind {
            case .identifier, .aggregator, .keyword, .op(.and), .op(.or), .op(.unless), .op(.atan2):
                labels.append(advance().text)
            default:
                throw unexpected("grouping opts", expected: "label")
            }
            switch peek.kind {
            case .comma:
                advance()
                if peek.kind == .rightParen {
                    advance()
                    return labels
                }
            case .rightParen:
                advance()
                return labels
            default:
                throw unexpected("grouping opts", expected: "\",\" or \")\"")
            }
        }
    }

    /// `bool`, `on(…)`/`ignoring(…)`, `group_left(…)`/`group_right(…)` after a binary operator.
    mutating func parseBinaryModifiers() throws(QueryError) -> (returnBool: Bool, matching: VectorMatching?) {
        var returnBool = false
        if peek.kind == .keyword(.bool) {
            advance()
            returnBool = true
        }
        guard peek.kind == .keyword(.on) || peek.kind == .keyword(.ignoring) else { return (returnBool, nil) }
        let on = advance().kind == .keyword(.on)
        var matching = VectorMatching(cardinality: .oneToOne, labels: try parseGroupingLabels(), on: on)
        if peek.kind == .keyword(.groupLeft) || peek.kind == .keyword(.groupRight) {
            matching.cardinality = advance().kind == .keyword(.groupLeft) ? .manyToOne : .oneToMany
            if peek.kind == .leftParen { matching.include = try parseGroupingLabels() }
        }
        return (returnBool, matching)
    }
}
