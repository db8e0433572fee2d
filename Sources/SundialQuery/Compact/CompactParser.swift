/// Parses the compact query form (docs/QUERY.md) into a ``CompactQuery``. Errors carry the byte
/// offset of the offending word, so a caret can point at it.
public enum CompactParser {
    /// True when `text` is in the compact form rather than PromQL: it starts with a measure word
    /// (`p99`, `rate`, `increase`, `errors`, `top`), or is `a / b by …` without parentheses.
    public static func looksCompact(_ text: String) -> Bool {
        let words = tokenize(text)
        guard let first = words.first?.text.lowercased() else { return false }
        if first == "rate" || first == "increase" || first == "errors" || first == "top" { return true }
        if isPercentileList(first) { return true }
        if !text.contains("("), words.contains(where: { ["by", "without", "over"].contains($0.text.lowercased()) }) { return true }
        return false
    }

    struct Word {
        var text: String
        var offset: Int
    }

    /// Splits on spaces, keeping `{…}` (with quoted strings) attached to the word before it, and `/` and `,`
    /// separators as their own words when they stand alone.
    static func tokenize(_ text: String) -> [Word] {
        var words: [Word] = []
        var current = ""
        var start = 0
        var depth = 0
        var quote: Character?
        var escaped = false
        var offset = 0
        func flush() {
            if !current.isEmpty { words.append(Word(text: current, offset: start)) }
            current = ""
        }
        for ch in text {
            defer { offset += String(ch).utf8.count }
            if let q = quote {
                current.append(ch)
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == q { quote = nil }
                continue
            }
            if depth > 0 {
                current.append(ch)
                if ch == "\"" || ch == "'" || ch == "`" { quote = ch }
                if ch == "{" { depth += 1 }
                if ch == "}" { depth -= 1 }
                continue
            }
            if ch == " " || ch == "\t" || ch == "\n" {
                flush()
                continue
            }
            if ch == "/" {
                flush()
                words.append(Word(text: "/", offset: offset))
                continue
            }
            if current.isEmpty { start = offset }
            current.append(ch)
            if ch == "{" { depth += 1 }
        }
        flush()
        return words
    }

    static func isPercentileList(_ word: String) -> Bool {
        let parts = word.split(separator: ",", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { percentile(String($0)) != nil }
    }

    /// `p99` → 0.99, `p99.9` → 0.999, `p50` → 0.5.
    static func percentile(_ word: String) -> Double? {
        guard word.count >= 2, word.first == "p" || word.first == "P", let number = Double(word.dropFirst()),
              number >= 0, number <= 100 else { return nil }
        return number / 100
    }

    /// Parses one compact query.
    public static func parse(_ text: String) throws(QueryError) -> CompactQuery {
        var words = tokenize(text)[...]
        func fail(_ message: String, at word: Word?) -> QueryError {
            .parse(message: message, position: word?.offset ?? text.utf8.count)
        }
        var top: Int?
        if let first = words.first, first.text.lowercased() == "top" {
            words = words.dropFirst()
            guard let n = words.first, let value = Int(n.text), value > 0 else {
                throw fail("expected a positive count after top, as in top 5", at: words.first)
            }
            top = value
            words = words.dropFirst()
        }
        guard let measureWord = words.first else { throw fail("expected a measure (p99, rate, increase, errors) or a metric", at: nil) }
        var measure: CompactQuery.Measure
        switch measureWord.text.lowercased() {
        case "rate": measure = .rate; words = words.dropFirst()
        case "increase": measure = .increase; words = words.dropFirst()
        case "errors": measure = .errorRatio; words = words.dropFirst()
        case let word where isPercentileList(word):
            let values = word.split(separator: ",").compactMap { percentile(String($0)) }
            measure = .percentiles(values)
            words = words.dropFirst()
        default:
            measure = .rate  // `a / b` form, checked below
        }
        guard let familyWord = words.first else { throw fail("expected a metric family after the measure", at: nil) }
        let (family, matchers) = try splitSelector(familyWord, fail: fail)
        words = words.dropFirst()
        if let slash = words.first, slash.text == "/" {
            words = words.dropFirst()
            guard let denominatorWord = words.first else { throw fail("expected a metric after /", at: slash) }
            let (denominator, denominatorMatchers) = try splitSelector(denominatorWord, fail: fail)
            if case .rate = measure, measureWord.offset == familyWord.offset {
                measure = .ratio(denominator: denominator, denominatorMatchers: denominatorMatchers)
            } else {
                throw fail("a ratio a / b takes no measure word before it", at: measureWord)
            }
            words = words.dropFirst()
        } else if measureWord.offset == familyWord.offset {
            throw fail("unknown measure \"\(measureWord.text)\"; expected p99 (any percentile), rate, increase, errors or top N", at: measureWord)
        }
        var grouping: [String] = []
        var without = false
        var windowMs = CompactQuery.defaultWindowMs
        while let word = words.first {
            switch word.text.lowercased() {
            case "by", "without":
                without = word.text.lowercased() == "without"
                words = words.dropFirst()
                var labels: [String] = []
                while let next = words.first, !["by", "without", "over"].contains(next.text.lowercased()) {
                    labels.append(contentsOf: next.text.split(whereSeparator: { ",() ".contains($0) }).map(String.init))
                    words = words.dropFirst()
                }
                guard !labels.isEmpty else { throw fail("expected label names after \(word.text)", at: words.first ?? word) }
                for label in labels where !isLabelName(label) { throw fail("\"\(label)\" is not a label name", at: word) }
                grouping = labels
            case "over":
                words = words.dropFirst()
                guard let duration = words.first else { throw fail("expected a duration after over, as in over 5m", at: word) }
                switch Literals.duration(duration.text) {
                case let .success(ms) where ms > 0: windowMs = ms
                case .success: throw fail("the window must be longer than zero", at: duration)
                case let .failure(error): throw fail(error.message + "; expected something like 5m, 1h30m or 24h", at: duration)
                }
                words = words.dropFirst()
            default:
                throw fail("unexpected \"\(word.text)\"; expected by, without or over", at: word)
            }
        }
        return CompactQuery(measure: measure, family: family, matchers: matchers, grouping: grouping, without: without,
                            windowMs: windowMs, top: top)
    }

    private static func splitSelector(_ word: Word, fail: (String, Word?) -> QueryError) throws(QueryError) -> (String, String) {
        let text = word.text
        guard let brace = text.firstIndex(of: "{") else {
            guard isMetricName(text) else { throw fail("\"\(text)\" is not a metric name", word) }
            return (text, "")
        }
        let name = String(text[..<brace])
        guard text.hasSuffix("}") else { throw fail("unclosed { in \(text)", word) }
        guard isMetricName(name) else { throw fail("\"\(name)\" is not a metric name", word) }
        return (name, String(text[text.index(after: brace)..<text.index(before: text.endIndex)]))
    }

    static func isMetricName(_ s: String) -> Bool {
        func isLetter(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b == 0x3A }
        guard let first = s.utf8.first, isLetter(first) else { return false }
        return s.utf8.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    static func isLabelName(_ s: String) -> Bool {
        isMetricName(s) && !s.contains(":")
    }
}
