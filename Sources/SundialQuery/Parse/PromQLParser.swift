import SundialStorage

/// Parses PromQL text into an ``Expr`` with the grammar, precedence and error messages of
/// Prometheus 2.42 (`promql/parser/generated_parser.y`), and type-checks the result.
///
/// ```swift
/// let expr = try PromQLParser.parse(#"sum by (operation) (rate(service_requests{service_name="frontend"}[5m]))"#)
/// expr.valueType // .vector
/// ```
///
/// Errors are ``QueryError/parse(message:position:)`` with the byte offset of the offending token:
/// a missing comma between matchers, a Grafana `$variable`, an unknown function, a range vector
/// where an instant vector is needed, and so on.
public enum PromQLParser {
    /// Parses and type-checks one PromQL expression.
    /// - Parameter query: The PromQL text; `#` comments and any whitespace are allowed.
    /// - Returns: The expression tree.
    /// - Throws: ``QueryError/parse(message:position:)`` at the first problem.
    public static func parse(_ query: String) throws(QueryError) -> Expr {
        var parser = Parser(tokens: Lexer.tokenize(query))
        return try parser.parseQuery()
    }
}

/// The recursive-descent, precedence-climbing parser behind ``PromQLParser``.
struct Parser {
    /// A parsed sub-expression and the byte offset where it starts (for error positions).
    struct Node {
        var expr: Expr
        var start: Int
    }

    private let tokens: [Token]
    private var index = 0

    init(tokens: [Token]) {
        // The lexer always ends with `.eof` or `.error`; guard anyway so `peek` can never fail.
        self.tokens = tokens.isEmpty ? [Token(kind: .eof, text: "", position: 0)] : tokens
    }

    var peek: Token { tokens[index] }

    var peekNext: Token { tokens[Swift.min(index + 1, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    /// "unexpected <token>[ in context][, expected …]", or the lexer's message at an error token.
    func unexpected(_ context: String = "", expected: String = "") -> QueryError {
        let token = peek
        if token.kind == .error { return .parse(message: token.text, position: token.position) }
        var message = "unexpected " + token.desc
        if !context.isEmpty { message += " in " + context }
        if !expected.isEmpty { message += ", expected " + expected }
        return .parse(message: message, position: token.position)
    }

    // MARK: Expressions

    mutating func parseQuery() throws(QueryError) -> Expr {
        if peek.kind == .eof { throw .parse(message: "no expression found in input", position: peek.position) }
        let node = try parseExpression(minPrecedence: 0)
        guard peek.kind == .eof else { throw unexpected() }
        return node.expr
    }

    /// Precedence climbing over the binary operators; `^` is right-associative, the rest left.
    mutating func parseExpression(minPrecedence: Int) throws(QueryError) -> Node {
        var lhs = try parseUnary()
        while case let .op(op) = peek.kind, op.precedence >= minPrecedence {
            let opToken = advance()
            let (returnBool, matching) = try parseBinaryModifiers()
            let rhs = try parseExpression(minPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            lhs = try makeBinary(lhs, op, opToken, returnBool: returnBool, matching: matching, rhs)
        }
        return lhs
    }

    /// A unary `-`/`+` binds like `*`: its operand takes only `^` (and the postfix modifiers).
    /// `-` directly on a number literal folds into the literal, as Prometheus does.
    private mutating func parseUnary() throws(QueryError) -> Node {
        guard case let .op(op) = peek.kind, op == .add || op == .subtract else {
            let primary = try parsePrimary()
            return try parsePostfix(primary)
        }
        let token = advance()
        let operand = try parseExpression(minPrecedence: BinaryOperator.power.precedence)
        if case let .number(value) = operand.expr {
            return Node(expr: .number(op == .subtract ? -value : value), start: token.position)
        }
        if let message = TypeRules.unary(operand.expr.valueType) {
            throw .parse(message: message, position: token.position)
        }
        return Node(expr: .unary(op == .subtract ? .minus : .plus, operand.expr), start: token.position)
    }

    private mutating func makeBinary(_ lhs: Node, _ op: BinaryOperator, _ opToken: Token, returnBool: Bool,
                                     matching: VectorMatching?, _ rhs: Node) throws(QueryError) -> Node {
        let lt = lhs.expr.valueType
        let rt = rhs.expr.valueType
        if let message = TypeRules.binary(op, lt, rt, returnBool: returnBool, matching: matching) {
            let position = message.hasPrefix("binary expression must contain")
                ? (lt != .scalar && lt != .vector ? lhs.start : rhs.start) : opToken.position
            throw .parse(message: message, position: position)
        }
        let kept = lt == .vector && rt == .vector ? matching : nil
        let operation = BinaryOperation(lhs.expr, op, rhs.expr, returnBool: returnBool, matching: kept)
        return Node(expr: .binary(operation), start: lhs.start)
    }

    // MARK: Primary expressions

    private mutating func parsePrimary() throws(QueryError) -> Node {
        let token = peek
        switch token.kind {
        case .number:
            advance()
            guard let value = Literals.number(token.text) else {
                throw .parse(message: "error parsing number: strconv.ParseFloat: parsing \(goQuote(token.text)): invalid syntax",
                             position: token.position)
            }
            return Node(expr: .number(value), start: token.position)
        case .string:
            advance()
            return Node(expr: .string(Literals.unquote(token.text)), start: token.position)
        case .leftParen:
            advance()
            let inner = try parseExpression(minPrecedence: 0)
            guard peek.kind == .rightParen else { throw unexpected() }
            advance()
            return Node(expr: .parenthesized(inner.expr), start: token.position)
        case .leftBrace:
            let matchers = try parseMatchers()
            return try makeSelector(VectorSelector(metricName: nil, matchers: matchers), at: token.position)
        case .identifier:
            if peekNext.kind == .leftParen { return try parseCall() }
            return try parseMetricSelector()
        case .metricIdentifier, .keyword(.by), .keyword(.without), .keyword(.offset), .keyword(.start), .keyword(.end),
             .op(.and), .op(.or), .op(.unless):
            return try parseMetricSelector()
        case let .aggregator(op):
            switch peekNext.kind {
            case .leftParen, .keyword(.by), .keyword(.without): return try parseAggregation(op)
            default:
                advance()
                throw unexpected("aggregation")
            }
        case .eof:
            throw .parse(message: "unexpected end of input", position: token.position)
        default:
            throw unexpected()
        }
    }

    private mutating func parseMetricSelector() throws(QueryError) -> Node {
        let nameToken = advance()
        var matchers: [LabelMatcher] = []
        if peek.kind == .leftBrace { matchers = try parseMatchers() }
        return try makeSelector(VectorSelector(metricName: nameToken.text, matchers: matchers), at: nameToken.position)
    }

    private func makeSelector(_ selector: VectorSelector, at position: Int) throws(QueryError) -> Node {
        if let message = TypeRules.selector(selector) { throw .parse(message: message, position: position) }
        return Node(expr: .vector(selector), start: position)
    }

    /// `{name op "value", …}` with an optional trailing comma.
    private mutating func parseMatchers() throws(QueryError) -> [LabelMatcher] {
        advance()  // {
        var matchers: [LabelMatcher] = []
        if peek.kind == .rightBrace {
            advance()
            return matchers
        }
        while true {
            guard peek.kind == .identifier else { throw unexpected("label matching", expected: "identifier or \"}\"") }
            let name = advance()
            let operation: LabelMatcher.Operation
            switch peek.kind {
            case .assign: operation = .equal
            case .op(.notEqual): operation = .notEqual
            case .regexMatch: operation = .regex
            case .regexNoMatch: operation = .notRegex
            default: throw unexpected("label matching", expected: "label matching operator")
            }
            advance()
            guard peek.kind == .string else { throw unexpected("label matching", expected: "string") }
            let value = advance()
            do {
                matchers.append(try LabelMatcher(operation, name.text, Literals.unquote(value.text)))
            } catch {
                throw .parse(message: error.description, position: name.position)
            }
            switch peek.kind {
            case .comma:
                advance()
                if peek.kind == .rightBrace {
                    advance()
                    return matchers
                }
            case .rightBrace:
                advance()
                return matchers
            default:
                throw unexpected("label matching", expected: "\",\" or \"}\"")
            }
        }
    }

    /// A duration token's value in milliseconds; zero is refused as Prometheus refuses it.
    mutating func durationValue(_ token: Token) throws(QueryError) -> Int64 {
        switch Literals.duration(token.text) {
        case let .success(ms):
            if ms == 0 { throw .parse(message: "duration must be greater than 0", position: token.position) }
            return ms
        case let .failure(error):
            throw .parse(message: error.message, position: token.position)
        }
    }
}
