/// Everything a query can fail with. Each case prints as one sentence that says what went wrong and
/// where: a parse error carries the byte offset of the offending token so a caller can draw a caret.
///
/// ```swift
/// do { _ = try PromQLParser.parse("sum(rate(x[5m])") }
/// catch let error { print(error) } // parse error at byte 15: unclosed left parenthesis
/// ```
public enum QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The query text is not valid PromQL; `position` is the byte offset (0-based, UTF-8) of the
    /// token where the problem was found.
    case parse(message: String, position: Int)
    /// An expression tree built in code is not well-typed (the same checks the parser makes).
    case invalidExpression(String)
    /// Evaluation failed as Prometheus would fail it (many-to-many matching, duplicate series, …);
    /// the message names the sub-expression.
    case evaluation(String)
    /// The query would read or produce more than a configured limit allows; the message says
    /// which ``QueryOptions`` field to raise.
    case limitExceeded(String)
    /// The caller passed bad query parameters (for example a step of zero).
    case invalidArgument(String)
    /// The data source failed while reading.
    case source(String)

    /// One sentence describing the error.
    public var description: String {
        switch self {
        case let .parse(message, position): "parse error at byte \(position): \(message)"
        case let .invalidExpression(message): "invalid expression: \(message)"
        case let .evaluation(message): message
        case let .limitExceeded(message): message
        case let .invalidArgument(message): message
        case let .source(message): "reading the data source failed: \(message)"
        }
    }

    /// For a parse error, the message without the position; otherwise the description.
    public var message: String {
        if case let .parse(message, _) = self { return message }
        return description
    }
}
