/// Splits PromQL text into tokens with the rules of Prometheus 2.42's lexer (`promql/parser/lex.go`):
/// keywords are case-insensitive, braces switch to label-matcher lexing, a `[` expects a duration,
/// `#` starts a comment to the end of the line, and unbalanced brackets are lexing errors.
///
/// The lexer does not depend on the parser, so the whole input is tokenised up front; lexing stops
/// at the first error, which becomes an `.error` token the parser reports when it reaches it.
struct Lexer {
    private let bytes: [UInt8]
    private let text: String
    private var pos = 0
    private var start = 0
    private var parenDepth = 0
    private var braceOpen = false
    private var bracketOpen = false
    private var gotColon = false
    private(set) var tokens: [Token] = []

    /// Tokenises `text`; the result always ends with an `.eof` or an `.error` token.
    static func tokenize(_ text: String) -> [Token] {
        var lexer = Lexer(text: text)
        lexer.run()
        return lexer.tokens
    }

    private init(text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    // MARK: Driving

    private mutating func run() {
        while true {
            guard let last = tokens.last else {
                step()
                continue
            }
            if last.kind == .eof || last.kind == .error { return }
            step()
        }
    }

    private mutating func step() {
        if braceOpen { lexInsideBraces() } else { lexStatement() }
    }

    private var peekByte: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private func byte(at index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func emit(_ kind: TokenKind) {
        tokens.append(Token(kind: kind, text: slice(start, pos), position: start))
        start = pos
    }

    private mutating func fail(_ message: String) {
        tokens.append(Token(kind: .error, text: message, position: start))
    }

    private func slice(_ from: Int, _ to: Int) -> String {
        String(decoding: bytes[from..<min(to, bytes.count)], as: UTF8.self)
    }

    /// The Unicode scalar starting at byte `index` (for messages about unexpected characters).
    private func scalar(at index: Int) -> Unicode.Scalar {
        var iterator = bytes[index...].makeIterator()
        var decoder = UTF8()
        if case let .scalarValue(s) = decoder.decode(&iterator) { return s }
        return "\u{FFFD}"
    }

    private mutating func skipSpaces() {
        while let b = peekByte, isSpace(b) { pos += 1 }
        start = pos
    }

    private mutating func lexComment() {
        while let b = peekByte, b != UInt8(ascii: "\n"), b != UInt8(ascii: "\r") { pos += 1 }
        start = pos  // Comments are dropped, as the parser skips them.
    }

    // MARK: Statements

    private mutating func lexStatement() {
        guard let b = peekByte else {
            if parenDepth != 0 { return fail("unclosed left parenthesis") }
            if bracketOpen { return fail("unclosed left bracket") }
            return emit(.eof)
        }
        if b == UInt8(ascii: "#") { return lexComment() }
        if isSpace(b) { return skipSpaces() }
        pos += 1
        switch b {
        case UInt8(ascii: ","): emit(.comma)
        case UInt8(ascii: "*"): emit(.op(.multiply))
        case UInt8(ascii: "/"): emit(.op(.divide))
        case UInt8(ascii: "%"): emit(.op(.modulo))
        case UInt8(ascii: "+"): emit(.op(.add))
        case UInt8(ascii: "-"): emit(.op(.subtract))
        case UInt8(ascii: "^"): emit(.op(.power))
        case UInt8(ascii: "@"): emit(.at)
        case UInt8(ascii: "="):
            if peekByte == UInt8(ascii: "=") {
                pos += 1
                emit(.op(.equal))
            } else if peekByte == UInt8(ascii: "~") {
                fail("unexpected character after '=': '~'")
            } else {
                emit(.assign)
            }
        case UInt8(ascii: "!"):
            if peekByte == UInt8(ascii: "=") {
                pos += 1
                emit(.op(.notEqual))
            } else {
                fail("unexpected character after '!': \(peekByte.map { _ in goQuoteRune(scalar(at: pos)) } ?? "EOF")")
            }
        case UInt8(ascii: "<"):
            if peekByte == UInt8(ascii: "=") { pos += 1; emit(.op(.lessOrEqual)) } else { emit(.op(.less)) }
        case UInt8(ascii: ">"):
            if peekByte == UInt8(ascii: "=") { pos += 1; emit(.op(.greaterOrEqual)) } else { emit(.op(.greater)) }
        case UInt8(ascii: "\""), UInt8(ascii: "'"): lexString(quote: b)
        case UInt8(ascii: "`"): lexRawString()
        case UInt8(ascii: "("):
            emit(.leftParen)
            parenDepth += 1
        case UInt8(ascii: ")"):
            emit(.rightParen)
            parenDepth -= 1
            if parenDepth < 0 {
                start = pos - 1
                fail("unexpected right parenthesis ')'")
            }
        case UInt8(ascii: "{"):
            emit(.leftBrace)
            braceOpen = true
        case UInt8(ascii: "["):
            if bracketOpen {
                start = pos - 1
                return fail("unexpected left bracket '['")
            }
            gotColon = false
            emit(.leftBracket)
            skipSpaces()
            bracketOpen = true
            lexDuration()
        case UInt8(ascii: "]"):
            if !bracketOpen { return fail("unexpected right bracket ']'") }
            emit(.rightBracket)
            bracketOpen = false
        default:
            if isDigit(b) || (b == UInt8(ascii: ".") && peekByte.map(isDigit) == true) {
                pos -= 1
                return lexNumberOrDuration()
            }
            if isAlpha(b) || b == UInt8(ascii: ":") {
                if !bracketOpen {
                    pos -= 1
                    return lexKeywordOrIdentifier()
                }
                if gotColon { return fail("unexpected colon \(goQuoteRune(Unicode.Scalar(b)))") }
                emit(.colon)
                gotColon = true
                return
            }
            pos -= 1
            fail("unexpected character: \(goQuoteRune(scalar(at: pos)))")
        }
    }

    // MARK: Inside braces

    private mutating func lexInsideBraces() {
        guard let b = peekByte else { return fail("unexpected end of input inside braces") }
        if b == UInt8(ascii: "#") { return lexComment() }
        if isSpace(b) { return skipSpaces() }
        pos += 1
        switch b {
        case UInt8(ascii: ","): emit(.comma)
        case UInt8(ascii: "\""), UInt8(ascii: "'"): lexString(quote: b)
        case UInt8(ascii: "`"): lexRawString()
        case UInt8(ascii: "="):
            if peekByte == UInt8(ascii: "~") { pos += 1; emit(.regexMatch) } else { emit(.assign) }
        case UInt8(ascii: "!"):
            switch peekByte {
            case UInt8(ascii: "~"): pos += 1; emit(.regexNoMatch)
            case UInt8(ascii: "="): pos += 1; emit(.op(.notEqual))
            default:
                fail("unexpected character after '!' inside braces: \(peekByte.map { _ in goQuoteRune(scalar(at: pos)) } ?? "EOF")")
            }
        case UInt8(ascii: "{"): fail("unexpected left brace '{'")
        case UInt8(ascii: "}"):
            emit(.rightBrace)
            braceOpen = false
        default:
            if isAlpha(b) {
                while let c = peekByte, isAlphaNumeric(c) { pos += 1 }
                return emit(.identifier)
            }
            pos -= 1
            fail("unexpected character inside braces: \(goQuoteRune(scalar(at: pos)))")
        }
    }

    // MARK: Words

    private mutating func lexKeywordOrIdentifier() {
        while let c = peekByte, isAlphaNumeric(c) || c == UInt8(ascii: ":") { pos += 1 }
        let word = slice(start, pos)
        let lower = word.lowercased()
        if let kind = Lexer.keywords[lower] {
            emit(kind)
        } else if lower == "inf" || lower == "nan" {
            emit(.number)
        } else if word.contains(":") {
            emit(.metricIdentifier)
        } else {
            emit(.identifier)
        }
    }

    private static let keywords: [String: TokenKind] = {
        var map: [String: TokenKind] = [
            "and": .op(.and), "or": .op(.or), "unless": .op(.unless), "atan2": .op(.atan2),
        ]
        for op in AggregationOperator.allCases { map[op.rawValue] = .aggregator(op) }
        for keyword in Keyword.allCases { map[keyword.rawValue] = .keyword(keyword) }
        return map
    }()

    // MARK: Numbers and durations

    /// Scans a number; true when what follows cannot continue it (so it is a number, not a duration).
    private mutating func scanNumber() -> Bool {
        var hex = false
        if peekByte == UInt8(ascii: "0"), let x = byte(at: pos + 1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            pos += 2
            hex = true
        }
        let isNumberDigit: (UInt8) -> Bool = { hex ? isHexDigit($0) : isDigit($0) }
        while let c = peekByte, isNumberDigit(c) { pos += 1 }
        if peekByte == UInt8(ascii: ".") {
            pos += 1
            while let c = peekByte, isNumberDigit(c) { pos += 1 }
        }
        if let c = peekByte, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            pos += 1
            if let s = peekByte, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { pos += 1 }
            while let c = peekByte, isDigit(c) { pos += 1 }
        }
        return !(peekByte.map(isAlphaNumeric) ?? false)
    }

    /// Accepts the unit part of a duration (`m`, `h30m`, `ms`…) after its leading digits.
    private mutating func acceptRemainingDuration() -> Bool {
        func accept(_ set: String) -> Bool {
            if let c = peekByte, set.utf8.contains(c) {
                pos += 1
                return true
            }
            return false
        }
        guard accept("smhdwy") else { return false }
        _ = accept("s")
        while accept("0123456789") {
            while accept("0123456789") {}
            guard accept("smhdw") else { return false }
            _ = accept("s")
        }
        // Prometheus reads the next character here without putting it back, so a failure message
        // includes it.
        if let c = peekByte, isAlphaNumeric(c) {
            pos += 1
            return false
        }
        return true
    }

    private mutating func lexNumberOrDuration() {
        if scanNumber() { return emit(.number) }
        if acceptRemainingDuration() { return emit(.duration) }
        fail("bad number or duration syntax: \(goQuote(slice(start, pos)))")
    }

    private mutating func lexDuration() {
        if scanNumber() { return fail("missing unit character in duration") }
        guard acceptRemainingDuration() else {
            return fail("bad duration syntax: \(goQuote(slice(start, pos)))")
        }
        emit(.duration)
    }

    // MARK: Strings

    private mutating func lexString(quote: UInt8) {
        while true {
            guard let c = peekByte else { return fail("unterminated quoted string") }
            pos += 1
            switch c {
            case UInt8(ascii: "\\"):
                if let message = lexEscape(quote: quote) { return fail(message) }
            case UInt8(ascii: "\n"):
                return fail("unterminated quoted string")
            case quote:
                return emit(.string)
            default:
                continue
            }
        }
    }

    /// Validates one escape sequence after a backslash; returns an error message or nil.
    private mutating func lexEscape(quote: UInt8) -> String? {
        guard let c = peekByte else { return "escape sequence not terminated" }
        let digits: Int
        let base: UInt32
        let maximum: UInt32
        switch c {
        case UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"),
             UInt8(ascii: "t"), UInt8(ascii: "v"), UInt8(ascii: "\\"), quote:
            pos += 1
            return nil
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            (digits, base, maximum) = (3, 8, 255)
        case UInt8(ascii: "x"):
            pos += 1
            (digits, base, maximum) = (2, 16, 255)
        case UInt8(ascii: "u"):
            pos += 1
            (digits, base, maximum) = (4, 16, 0x10FFFF)
        case UInt8(ascii: "U"):
            pos += 1
            (digits, base, maximum) = (8, 16, 0x10FFFF)
        default:
            return "unknown escape sequence \(goUnicodeDescription(scalar(at: pos)))"
        }
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let d = peekByte else { return "escape sequence not terminated" }
            let v = hexValue(d)
            guard v < base else { return "illegal character \(goUnicodeDescription(scalar(at: pos))) in escape sequence" }
            value = value * base + v
            pos += 1
        }
        if value > maximum || (0xD800..<0xE000).contains(value) {
            return "escape sequence is an invalid Unicode code point"
        }
        return nil
    }

    private mutating func lexRawString() {
        while let c = peekByte {
            pos += 1
            if c == UInt8(ascii: "`") { return emit(.string) }
        }
        fail("unterminated raw string")
    }
}

// MARK: Character classes (ASCII only, as Prometheus)

@inline(__always) func isSpace(_ b: UInt8) -> Bool {
    b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")
}

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

@inline(__always) func isHexDigit(_ b: UInt8) -> Bool { hexValue(b) < 16 }

@inline(__always) func isAlpha(_ b: UInt8) -> Bool {
    b == UInt8(ascii: "_") || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
}

@inline(__always) func isAlphaNumeric(_ b: UInt8) -> Bool { isAlpha(b) || isDigit(b) }

func hexValue(_ b: UInt8) -> UInt32 {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
    default: 16
    }
}

/// True when `name` is a valid label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
func isValidLabelName(_ name: String) -> Bool {
    guard let first = name.utf8.first, isAlpha(first) else { return false }
    return name.utf8.allSatisfy(isAlphaNumeric)
}
