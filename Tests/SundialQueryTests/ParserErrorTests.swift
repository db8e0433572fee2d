import Foundation
import Testing
@testable import SundialQuery

@Suite struct ParserErrorTests {
    /// The byte offset of the first occurrence of `needle` in `text`.
    private func offset(of needle: String, in text: String) -> Int {
        guard let range = text.range(of: needle) else { return -1 }
        return text.utf8.distance(from: text.startIndex, to: range.lowerBound)
    }

    @Test func missingCommaBetweenMatchersIsRejectedAtTheSecondMatcher() {
        let query = #"histogram_quantile(0.95, sum(rate(persistence_latency_bucket{service="history" service_name="history"}[1m])) by (operation, le))"#
        guard let error = parseError(query) else { return }
        #expect(error.message == #"unexpected identifier "service_name" in label matching, expected "," or "}""#)
        #expect(error.position == offset(of: "service_name", in: query))
    }

    @Test func theDocumentationQueryFailsFirstAtItsGrafanaVariable() {
        guard let error = parseError(DashboardCorpus.missingComma) else { return }
        #expect(error.message == "unexpected character: '$'")
        #expect(error.position == offset(of: "$percentile", in: DashboardCorpus.missingComma))
        // With the variable substituted, the missing comma is what fails.
        let substituted = DashboardCorpus.missingComma.replacingOccurrences(of: "$percentile", with: "0.95")
        guard let second = parseError(substituted) else { return }
        #expect(second.message.hasPrefix("unexpected identifier \"service_name\" in label matching"))
    }

    @Test func dollarVariablesOutsideStringsAreErrors() {
        guard let error = parseError("rate(x[$__rate_interval])") else { return }
        #expect(error.message == "missing unit character in duration")
        guard let other = parseError("sum by ($label) (x)") else { return }
        #expect(other.message == "unexpected character: '$'")
        #expect(other.position == 8)
    }

    @Test(arguments: [
        ("", "no expression found in input", 0),
        ("sum(rate(x[5m])", "unclosed left parenthesis", 15),
        ("x[5m", "unclosed left bracket", 4),
        ("x)", "unexpected \")\"", 1),
        ("rate(x)", #"expected type range vector in call to function "rate", got instant vector"#, 5),
        ("foo(x)", #"unknown function with name "foo""#, 0),
        ("Rate(x[5m])", #"unknown function with name "Rate""#, 0),
        ("rate(x[5m], 1)", #"expected 1 argument(s) in call to "rate", got 2"#, 0),
        ("round()", #"expected at least 1 argument(s) in call to "round", got 0"#, 0),
        ("sum(x[5m])", "expected type instant vector in aggregation expression, got range vector", 4),
        ("topk(x)", "wrong number of arguments for aggregate expression provided, expected 2, got 1", 0),
        ("sum()", "no arguments for aggregate expression provided", 0),
        (#"count_values(1, x)"#, "expected type string in aggregation parameter, got scalar", 13),
        ("1 == 2", "comparisons between scalars must use BOOL modifier", 2),
        ("a + bool b", "bool modifier can only be used on comparison operators", 2),
        ("a and 1", #"set operator "and" not allowed in binary scalar expression"#, 2),
        ("a or on(x) group_left b", #"no grouping allowed for "or" operation"#, 2),
        ("a + on(x) group_left(x) b", #"label "x" must not occur in ON and GROUP clause at once"#, 2),
        ("1 + on(x) b", "vector matching only allowed between instant vectors", 2),
        ("x[5m] + 1", "binary expression must contain only scalar and instant vector types", 0),
        ("-x[5m]", #"unary expression only allowed on expressions of type scalar or instant vector, got "range vector""#, 0),
        ("{}", "vector selector must contain at least one non-empty matcher", 0),
        (#"{a=""}"#, "vector selector must contain at least one non-empty matcher", 0),
        (#"x{__name__="y"}"#, #"metric name must not be set twice: "x" or "y""#, 0),
        (#"x{a="b" c="d"}"#, #"unexpected identifier "c" in label matching, expected "," or "}""#, 8),
        (#"x{a}"#, #"unexpected "}" in label matching, expected label matching operator"#, 3),
        (#"x{a=b}"#, #"unexpected identifier "b" in label matching, expected string"#, 4),
        (#"x{a="b}"#, "unterminated quoted string", 4),
        (#"x{"a"="b"}"#, #"unexpected string "\"a\"" in label matching, expected identifier or "}""#, 2),
        ("sum by x (y)", #"unexpected identifier "x" in grouping opts, expected "(""#, 7),
        ("sum by (a b) (y)", #"unexpected identifier "b" in grouping opts, expected "," or ")""#, 10),
        ("sum by (a:b) (y)", #"unexpected metric identifier "a:b" in grouping opts, expected label"#, 8),
        ("x[5]", "missing unit character in duration", 2),
        ("x[5x]", #"bad duration syntax: "5""#, 2),
        ("x[5mx]", #"bad duration syntax: "5mx""#, 2),
        ("x[0s]", "duration must be greater than 0", 2),
        ("x[5m:1m", "unclosed left bracket", 7),
        ("(x)[5m]", "ranges only allowed for vector selectors", 3),
        ("x offset 5m [5m]", "no offset modifiers allowed before range", 12),
        ("sum(x) offset 5m", "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery", 0),
        ("x offset 1m offset 2m", "offset may not be set multiple times", 0),
        ("x offset 5", #"unexpected number "5" in offset, expected duration"#, 9),
        ("rate(x[5m])[1h:1m][5m:1m]", "subquery is only allowed on instant vector, got matrix instead", 0),
        ("rate(x, )", "trailing commas not allowed in function call args", 6),
        ("x @ 1 @ 2", "@ <timestamp> may not be set multiple times", 0),
        ("x ! y", "unexpected character after '!': ' '", 2),
        ("1 +", "unexpected end of input", 3),
        ("sum x", #"unexpected identifier "x" in aggregation"#, 4),
        (#""a\q""#, "unknown escape sequence U+0071 'q'", 0),
        ("x == = y", #"unexpected "=""#, 5),
        ("1a", #"bad number or duration syntax: "1""#, 0),
    ] as [(String, String, Int)])
    func invalidQueriesReportPrometheusMessagesAndPositions(_ query: String, _ message: String, _ position: Int) {
        guard let error = parseError(query) else { return }
        #expect(error.message == message, "\(query)")
        #expect(error.position == position, "\(query): \(error.message)")
    }

    @Test func errorsPrintWithTheirPosition() {
        let error = QueryError.parse(message: "unclosed left parenthesis", position: 15)
        #expect(error.description == "parse error at byte 15: unclosed left parenthesis")
    }
}
