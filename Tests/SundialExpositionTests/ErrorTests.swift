import SundialExposition
import Testing

/// One rejected line: what comes before it, the line, and the error it must produce.
struct RejectedLine: Sendable, CustomStringConvertible {
    var prelude: [String] = []
    var line: String
    var format: ExpositionFormat = .prometheusText
    /// `column: message`.
    var expected: String

    var description: String { "\(format) \(line)" }

    /// `ok_before 1`, the prelude, the line, `ok_after 2` (and `# EOF`).
    var document: String {
        let tail = format == .openMetrics ? "# EOF\n" : ""
        return (["ok_before 1"] + prelude + [line, "ok_after 2"]).joined(separator: "\n") + "\n" + tail
    }

    var lineNumber: Int { 2 + prelude.count }
}

/// Every check, with the exact place of the error, and parsing going on after it.
@Suite struct ErrorTests {
    static let textCases: [RejectedLine] = [
        RejectedLine(line: #"x{a="\q"} 1"#, expected: #"6: invalid escape sequence \q in label value"#),
        RejectedLine(line: #"x{a="\"} 1"#, expected: #"5: the quoted value of label "a" is not terminated"#),
        RejectedLine(line: #"x{a="b} 1"#, expected: #"5: the quoted value of label "a" is not terminated"#),
        RejectedLine(line: #"x{a=} 1"#, expected: #"5: label "a" has no value"#),
        RejectedLine(line: #"x{a=b} 1"#, expected: #"5: the value of label "a" must be a double-quoted string"#),
        RejectedLine(line: #"x{a} 1"#, expected: #"4: label "a" has no = and value"#),
        RejectedLine(line: #"x{a="1" b="2"} 1"#, expected: "9: expected , or } after a label value, found b"),
        RejectedLine(line: #"x{a="1""#, expected: "2: label set is not closed with }"),
        RejectedLine(line: #"x{a="1",a="2"} 1"#, expected: #"9: duplicate label name "a""#),
        RejectedLine(line: "1x 1", expected: "1: invalid metric name: it must start with a letter, _ or :, not 1"),
        RejectedLine(line: "x-y 1", expected: "2: invalid character - in metric name"),
        RejectedLine(line: #"x{1a="b"} 1"#, expected: "3: invalid label name: it must start with a letter or _, not 1"),
        RejectedLine(line: #"x{a-b="c"} 1"#, expected: #"4: invalid character - in label name "a""#),
        RejectedLine(line: #"x{a:b="c"} 1"#, expected: #"4: invalid character : in label name "a""#),
        RejectedLine(line: "x abc", expected: #"3: value "abc" is not a number"#),
        RejectedLine(line: "x 0x1p3", expected: #"3: value "0x1p3" is not a number"#),
        RejectedLine(line: "x 1_000", expected: #"3: value "1_000" is not a number"#),
        RejectedLine(line: "x +nan", expected: #"3: value "+nan" is not a number"#),
        RejectedLine(line: "x 1e", expected: #"3: value "1e" is not a number"#),
        RejectedLine(line: "x .", expected: #"3: value "." is not a number"#),
        RejectedLine(line: "x 1e400", expected: #"3: value "1e400" is out of range for a 64-bit float"#),
        RejectedLine(line: "x", expected: #"2: sample "x" has no value"#),
        RejectedLine(line: #"x{a="b"}"#, expected: #"9: sample "x" has no value"#),
        RejectedLine(line: "x 1 1.5", expected: #"5: timestamp "1.5" is not an integer number of milliseconds"#),
        RejectedLine(line: "x 1 9223372036854775808",
                     expected: #"5: timestamp "9223372036854775808" is not an integer number of milliseconds"#),
        RejectedLine(line: "x 1 2 3", expected: "7: unexpected text after the timestamp"),
        RejectedLine(line: #"x 1 # {a="b"} 1"#, expected: "5: exemplars are only allowed in OpenMetrics"),
        RejectedLine(line: #"# HELP x a\qb"#, expected: #"11: invalid escape sequence \q in help text"#),
        RejectedLine(line: #"# HELP x a\"b"#, expected: #"11: invalid escape sequence \" in help text"#),
        RejectedLine(line: "# HELP x a\\", expected: "11: unfinished escape sequence at the end of help text"),
        RejectedLine(line: "# TYPE ", expected: "8: TYPE line has no metric name"),
        RejectedLine(line: "# TYPE 9x gauge", expected: "8: invalid metric name in TYPE line: it must start with a letter, _ or :, not 9"),
        RejectedLine(line: "# TYPE x", expected: #"9: TYPE line for "x" has no type"#),
        RejectedLine(line: "# TYPE x info", expected: #"10: unknown metric type "info" in the text format"#),
        RejectedLine(line: "# TYPE x counter extra", expected: #"10: unknown metric type "counter extra" in the text format"#),
        // Family rules.
        RejectedLine(prelude: ["# TYPE h histogram"], line: #"h_bucket{le="x"} 1"#,
                     expected: #"13: le label value "x" is not a number"#),
        RejectedLine(prelude: ["# TYPE h histogram"], line: #"h_bucket{a="b"} 1"#,
                     expected: #"1: histogram bucket "h_bucket" has no le label"#),
        RejectedLine(prelude: ["# TYPE h histogram"], line: "h 1",
                     expected: #"1: metric name "h" contradicts TYPE histogram of family h"#),
        RejectedLine(prelude: ["# TYPE s summary"], line: #"s{quantile="high"} 1"#,
                     expected: #"12: quantile label value "high" is not a number"#),
        RejectedLine(prelude: ["# TYPE s summary"], line: "s 1",
                     expected: #"1: summary sample "s" has no quantile label"#),
        RejectedLine(prelude: ["# TYPE s summary"], line: "s_bucket 1",
                     expected: #"1: metric name "s_bucket" contradicts TYPE summary of family s"#),
        RejectedLine(prelude: ["# TYPE foo counter"], line: #"foo_bucket{le="1"} 1"#,
                     expected: #"1: metric name "foo_bucket" contradicts TYPE counter of family foo"#),
        RejectedLine(prelude: ["# TYPE g gauge"], line: "g_total 1",
                     expected: #"1: metric name "g_total" contradicts TYPE gauge of family g"#),
        RejectedLine(prelude: ["foo 1"], line: "# TYPE foo counter",
                     expected: "8: TYPE line for family foo comes after its samples"),
        RejectedLine(prelude: ["# TYPE foo counter"], line: "# TYPE foo gauge",
                     expected: "8: second TYPE line for family foo"),
        RejectedLine(prelude: ["# TYPE foo counter", "foo 1", "bar 1"], line: "# TYPE foo counter",
                     expected: "8: second TYPE line for family foo"),
        RejectedLine(prelude: ["foo 1", "bar 1"], line: "# HELP foo again",
                     expected: "8: HELP line for family foo comes after its samples"),
        RejectedLine(prelude: ["# HELP a x", "# HELP b y"], line: "# TYPE a gauge",
                     expected: "8: TYPE line for family a is separated from its other metadata"),
    ]

    static let openMetricsCases: [RejectedLine] = [
        RejectedLine(line: "", format: .openMetrics, expected: "1: blank lines are not allowed in OpenMetrics"),
        RejectedLine(line: "  \t", format: .openMetrics, expected: "1: blank lines are not allowed in OpenMetrics"),
        RejectedLine(line: " x 1", format: .openMetrics,
                     expected: "1: invalid metric name: it must start with a letter, _ or :, not space"),
        RejectedLine(line: "x  1", format: .openMetrics, expected: "3: expected a value after a single space"),
        RejectedLine(line: "x\t1", format: .openMetrics, expected: "2: expected a single space before the value, found tab"),
        RejectedLine(line: #"x{a="b"}  1"#, format: .openMetrics, expected: "10: expected a value after a single space"),
        RejectedLine(line: #"x {a="b"} 1"#, format: .openMetrics, expected: #"3: value "{a="b"}" is not a number"#),
        RejectedLine(line: #"x{a="b",} 1"#, format: .openMetrics,
                     expected: "8: a trailing comma in a label set is not allowed in OpenMetrics"),
        RejectedLine(line: #"x{a = "b"} 1"#, format: .openMetrics, expected: #"4: expected = after label name "a", found space"#),
        RejectedLine(line: "x 1  2", format: .openMetrics, expected: "5: expected a timestamp after a single space"),
        RejectedLine(line: "x 1 NaN", format: .openMetrics, expected: #"5: timestamp "NaN" is not a finite number of seconds"#),
        RejectedLine(line: "x 1 1e300", format: .openMetrics, expected: #"5: timestamp "1e300" is out of range"#),
        RejectedLine(line: "x 1 2 3", format: .openMetrics, expected: "7: unexpected text after the timestamp"),
        RejectedLine(prelude: ["# TYPE c counter"], line: "c_total -1", format: .openMetrics,
                     expected: #"1: counter "c_total" has a negative value"#),
        RejectedLine(prelude: ["# TYPE c counter"], line: "c 1", format: .openMetrics,
                     expected: #"1: metric name "c" contradicts TYPE counter of family c"#),
        RejectedLine(prelude: ["# TYPE i info"], line: "i 1", format: .openMetrics,
                     expected: #"1: metric name "i" contradicts TYPE info of family i"#),
        RejectedLine(prelude: ["# TYPE gh gaugehistogram"], line: "gh_count 1", format: .openMetrics,
                     expected: #"1: metric name "gh_count" contradicts TYPE gaugehistogram of family gh"#),
        RejectedLine(prelude: ["# TYPE s stateset"], line: #"s{s="a"} 2"#, format: .openMetrics,
                     expected: #"1: stateset sample "s" has a value other than 0 or 1"#),
        RejectedLine(prelude: ["# TYPE s stateset"], line: #"s{t="a"} 1"#, format: .openMetrics,
                     expected: #"1: stateset sample "s" has no label named like its family"#),
        RejectedLine(line: "# TYPE x untyped", format: .openMetrics, expected: #"10: unknown metric type "untyped" in OpenMetrics"#),
        RejectedLine(line: "# TYPE x", format: .openMetrics, expected: #"9: TYPE line for "x" has no type"#),
        RejectedLine(line: "# UNIT x_bytes seconds", format: .openMetrics,
                     expected: #"16: unit "seconds" is not a suffix of metric name "x_bytes""#),
        RejectedLine(line: "# UNIT seconds seconds", format: .openMetrics,
                     expected: #"16: unit "seconds" is not a suffix of metric name "seconds""#),
        RejectedLine(line: #"# HELP x a\qb"#, format: .openMetrics, expected: #"11: invalid escape sequence \q in help text"#),
        RejectedLine(prelude: ["# TYPE g gauge"], line: #"g 1 # {a="b"} 1"#, format: .openMetrics,
                     expected: "5: exemplars are only allowed on _total and _bucket samples"),
        RejectedLine(line: #"c_total 1 #{a="b"} 1"#, format: .openMetrics,
                     expected: ##"11: expected an exemplar "# {labels} value" after the value"##),
        RejectedLine(line: #"c_total 1 # {a="b"}"#, format: .openMetrics, expected: "20: exemplar has no value"),
        RejectedLine(line: #"c_total 1 # {a="b"} x"#, format: .openMetrics, expected: #"21: exemplar value "x" is not a number"#),
        RejectedLine(line: #"c_total 1 # {a="b"} 1 Inf"#, format: .openMetrics,
                     expected: #"23: exemplar timestamp "Inf" is not a finite number of seconds"#),
        RejectedLine(line: #"c_total 1 # {a="b"} 1 2 3"#, format: .openMetrics, expected: "24: unexpected text after the exemplar timestamp"),
        RejectedLine(line: #"c_total 1 # {a="b",a="c"} 1"#, format: .openMetrics, expected: #"20: duplicate exemplar label name "a""#),
        RejectedLine(line: #"c_total 1 # {a="\x"} 1"#, format: .openMetrics,
                     expected: #"17: invalid escape sequence \x in exemplar label value"#),
        RejectedLine(line: "c_total 1 # {trace_id=\"\(String(repeating: "ä", count: 121))\"} 1", format: .openMetrics,
                     expected: "13: exemplar labels have 129 characters, more than 128"),
    ]

    @Test(arguments: textCases + openMetricsCases)
    func aBadLineIsReportedWhereItIsAndParsingGoesOn(_ c: RejectedLine) {
        let d = parse(c.document, c.format, file: "scrape.txt")
        #expect(errorList(d) == ["\(c.lineNumber):\(c.expected)"])
        #expect(d.errors.allSatisfy { $0.file == "scrape.txt" })
        #expect(names(d).first == "ok_before")
        #expect(names(d).last == "ok_after")
        #expect(d.samples.last?.line == c.lineNumber + 1)
    }

    @Test func exemplarLabelsOfExactly128CharactersAreAccepted() {
        let d = parse("c_total 1 # {trace_id=\"\(String(repeating: "ä", count: 120))\"} 1\n# EOF\n", .openMetrics)
        #expect(d.errors.isEmpty)
    }

    @Test func errorsPrintAsFileLineColumnMessage() {
        let d = parse("x{a=\"\\q\"} 1\n", file: "scrape.prom")
        #expect(d.errors.map(\.description) == [#"scrape.prom:1:6: invalid escape sequence \q in label value"#])
    }

    @Test func columnsCountCharactersNotBytes() {
        let d = parse("x{a=\"ää\",b=\"\\q\"} 1\n")
        #expect(errorList(d) == [#"1:13: invalid escape sequence \q in label value"#])
    }

    @Test func everyBadLineIsReportedAndEveryGoodLineKept() {
        let d = parse("a{x=\"\\q\"} 1\nb 1\nc abc\nd 2\ne{\n")
        #expect(errorList(d) == [
            #"1:6: invalid escape sequence \q in label value"#, #"3:3: value "abc" is not a number"#,
            "5:2: label set is not closed with }",
        ])
        #expect(names(d) == ["b", "d"])
    }

    @Test func invalidUTF8InLabelValuesAndHelpIsRejected() {
        var parser = ExpositionParser(format: .prometheusText, fileName: "t")
        var d = ParsedDocument()
        let bytes: [UInt8] = Array("x{a=\"".utf8) + [0xC3, 0x28] + Array("\"} 1\n# HELP x ".utf8) + [0xED, 0xA0, 0x80]
            + Array("\ny{a=\"\u{10FFFF}\"} 2\nz{a=\"".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("\"} 3\n".utf8)
        bytes.withUnsafeBytes { parser.feed($0, into: &d) }
        parser.finish(into: &d)
        #expect(errorList(d) == [
            "1:6: label value is not valid UTF-8", "2:10: help text is not valid UTF-8", "4:6: label value is not valid UTF-8",
        ])
        #expect(names(d) == ["y"])
    }

    @Test func openMetricsNeedsEOF() {
        #expect(errorList(parse("x 1\n", .openMetrics)) == ["2:1: OpenMetrics input does not end with # EOF"])
        #expect(errorList(parse("x 1", .openMetrics)) == ["1:4: OpenMetrics input does not end with # EOF"])
        #expect(errorList(parse("", .openMetrics)) == ["1:1: OpenMetrics input does not end with # EOF"])
        #expect(errorList(parse("", .prometheusText)).isEmpty)
    }

    @Test func contentAfterEOFIsReportedOnceAndIgnored() {
        let d = parse("x 1\n# EOF\ny 2\nz 3\n", .openMetrics)
        #expect(errorList(d) == ["3:1: content after # EOF is not allowed in OpenMetrics"])
        #expect(names(d) == ["x"])
        let blank = parse("x 1\n# EOF\n\n", .openMetrics)
        #expect(errorList(blank) == ["3:1: content after # EOF is not allowed in OpenMetrics"])
    }
}
