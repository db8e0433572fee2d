/// The kinds of token the PromQL lexer produces (Prometheus' `ItemType`s).
enum TokenKind: Equatable, Sendable {
    case eof
    /// A lexing error; the token's text is the message.
    case error
    case identifier
    /// An identifier containing a colon (recording-rule style names): only valid as a metric name.
    case metricIdentifier
    case number
    case string
    case duration
    case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
    case comma, colon, at
    /// `=` (only valid in label matchers).
    case assign
    /// `=~`
    case regexMatch
    /// `!~`
    case regexNoMatch
    /// An operator (`+`, `==`, `!=`, `and`, `atan2`, …).
    case op(BinaryOperator)
    /// An aggregation keyword (`sum`, `topk`, …).
    case aggregator(AggregationOperator)
    /// Another keyword.
    case keyword(Keyword)
}

/// The keywords that are neither operators nor aggregators.
enum Keyword: String, Sendable, CaseIterable {
    case bool, by, without, on, ignoring, offset, start, end
    case groupLeft = "group_left"
    case groupRight = "group_right"
}

/// One token: its kind, its text as written and the byte offset where it starts.
struct Token: Sendable {
    var kind: TokenKind
    var text: String
    var position: Int

    /// How Prometheus names the token in "unexpected …" messages (`Item.desc()`).
    var desc: String {
        switch kind {
        case .eof: return "end of input"
        case .error: return text
        case .identifier: return "identifier \(goQuote(text))"
        case .metricIdentifier: return "metric identifier \(goQuote(text))"
        case .number: return "number \(goQuote(text))"
        case .string: return "string \(goQuote(text.count > 10 ? String(text.prefix(10)) : text))\(text.count > 10 ? "..." : "")"
        case .duration: return "duration \(goQuote(text))"
        case .op: return "<op:\(text)>"
        case .aggregator: return "<aggr:\(text)>"
        case .keyword: return "<\(text)>"
        case .leftParen: return "\"(\""
        case .rightParen: return "\")\""
        case .leftBrace: return "\"{\""
        case .rightBrace: return "\"}\""
        case .leftBracket: return "\"[\""
        case .rightBracket: return "\"]\""
        case .comma: return "\",\""
        case .colon: return "\":\""
        case .at: return "<op:@>"
        case .assign: return "\"=\""
        case .regexMatch: return "<op:=~>"
        case .regexNoMatch: return "<op:!~>"
        }
    }
}

/// Quotes a string the way Go's `%q` does for printable text: double quotes, `\"` and `\\` escaped,
/// control characters as escapes.
func goQuote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7f {
                out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// Quotes one character the way Go's `%q` does for a rune: `'$'`.
func goQuoteRune(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "'": return "'\\''"
    case "\\": return "'\\\\'"
    case "\n": return "'\\n'"
    case "\t": return "'\\t'"
    default:
        if scalar.value < 0x20 { return "'\\x" + String(scalar.value, radix: 16).leftPadded(to: 2) + "'" }
        return "'" + String(Character(scalar)) + "'"
    }
}

/// Go's `%#U`: `U+0024 '$'`.
func goUnicodeDescription(_ scalar: Unicode.Scalar) -> String {
    "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4) + " " + goQuoteRune(scalar)
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
