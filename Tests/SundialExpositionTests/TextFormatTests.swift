import SundialExposition
import Testing

/// The constructs of the Prometheus text format 0.0.4, one by one.
@Suite struct TextFormatTests {
    @Test func helpTextUnescapesBackslashAndNewline() {
        let d = parse(#"# HELP x a\\b\nc"# + "\n# TYPE x gauge\nx 1\n")
        #expect(d.errors.isEmpty)
        #expect(d.metadata.last == FamilyMetadata(name: "x", type: .gauge, help: "a\\b\nc"))
    }

    @Test func helpIsEverythingAfterOneBlankAfterTheName() {
        let d = parse("# HELP x  two  spaces  \n#\tHELP\ty\ttab\n")
        #expect(d.errors.isEmpty)
        #expect(d.metadata.map(\.help) == [" two  spaces  ", "tab"])
    }

    @Test func helpMayBeEmpty() {
        let d = parse("# HELP x\nx 1\n")
        #expect(d.errors.isEmpty)
        #expect(d.metadata == [FamilyMetadata(name: "x", type: .untyped, help: "")])
    }

    @Test func tallyHelpThatRepeatsTheNameAndTypeIsJustText() {
        let d = parse("# HELP service_requests service_requests counter\n# TYPE service_requests counter\nservice_requests 3\n")
        #expect(d.errors.isEmpty)
        #expect(d.metadata.last == FamilyMetadata(name: "service_requests", type: .counter, help: "service_requests counter"))
        #expect(d.samples.first?.familyType == .counter)
    }

    @Test func metadataIsReportedAccumulatedOnEveryLine() {
        let d = parse("# HELP x the x\n# TYPE x summary\nx_sum 1\n")
        #expect(d.metadata == [
            FamilyMetadata(name: "x", type: .untyped, help: "the x"),
            FamilyMetadata(name: "x", type: .summary, help: "the x"),
        ])
    }

    @Test(arguments: [
        ("counter", MetricType.counter), ("gauge", .gauge), ("histogram", .histogram), ("summary", .summary),
        ("untyped", .untyped),
    ])
    func everyTextTypeWordIsAccepted(word: String, type: MetricType) {
        let d = parse("# TYPE x \(word)\n")
        #expect(d.errors.isEmpty)
        #expect(d.metadata == [FamilyMetadata(name: "x", type: type)])
    }

    @Test func commentsAndBlankLinesMayStandAnywhere() {
        let d = parse("\n# a comment\n#no space comment\n# TYPE x histogram\n\n# HELPx not help\nx_bucket{le=\"+Inf\"} 1\n   \n\t# indented comment\nx_count 1\n# EOF is only a comment here\ny 2\n")
        #expect(d.errors.isEmpty)
        #expect(names(d) == ["x_bucket", "x_count", "y"])
        #expect(d.samples.map(\.line) == [7, 10, 12])
    }

    @Test func labelValuesUnescapeTheThreeEscapes() {
        let d = parse(#"x{a="q\"uote",b="back\\slash",c="new\nline",d="ünï"} 1"# + "\n")
        #expect(d.errors.isEmpty)
        #expect(d.samples.first?.labels == [
            ParsedLabel(name: "a", value: "q\"uote"), ParsedLabel(name: "b", value: "back\\slash"),
            ParsedLabel(name: "c", value: "new\nline"), ParsedLabel(name: "d", value: "ünï"),
        ])
    }

    @Test func timestampsAreOptionalSignedIntegerMilliseconds() {
        let d = parse("a 1\nb 2 1700000000123\nc 3 -5\nd{x=\"y\"} 4 \t 0 \n")
        #expect(d.errors.isEmpty)
        #expect(d.samples.map(\.timestampMs) == [nil, 1_700_000_000_123, -5, 0])
    }

    @Test func specialValuesAndExponents() {
        let d = parse("""
        a NaN
        b +Inf
        c -Inf
        d Inf
        e 1.048576e+06
        f 1e+06
        g -0
        h 1.6777216e+07
        i .5
        j 5.
        k infinity
        l nan
        m 1E-3

        """)
        #expect(d.errors.isEmpty)
        let values = d.samples.map(\.value)
        #expect(values[0].isNaN)
        #expect(values[1] == .infinity && values[2] == -.infinity && values[3] == .infinity)
        #expect(values[4] == 1_048_576 && values[5] == 1_000_000)
        #expect(values[6] == 0 && values[6].sign == .minus)
        #expect(values[7] == 16_777_216 && values[8] == 0.5 && values[9] == 5)
        #expect(values[10] == .infinity && values[11].isNaN && values[12] == 0.001)
    }

    @Test func countersWithAndWithoutTotal() {
        let d = parse("""
        # TYPE service_requests counter
        service_requests{operation="A"} 1
        service_requests_total{operation="A"} 2
        service_requests_created{operation="A"} 1.7e9
        # TYPE otel_requests_total counter
        otel_requests_total 3

        """)
        #expect(d.errors.isEmpty)
        #expect(d.samples.map(\.familyName) == ["service_requests", "service_requests", "service_requests", "otel_requests_total"])
        #expect(d.samples.allSatisfy { $0.familyType == .counter })
    }

    @Test func histogramSamplesBelongToTheirFamily() {
        let d = parse("""
        # TYPE persistence_latency histogram
        persistence_latency_bucket{operation="A",le="0.005"} 1
        persistence_latency_bucket{operation="A",le="+Inf"} 2
        persistence_latency_sum{operation="A"} 0.01
        persistence_latency_count{operation="A"} 2
        persistence_latency_created{operation="A"} 1.7e9

        """)
        #expect(d.errors.isEmpty)
        #expect(d.samples.count == 5)
        #expect(d.samples.allSatisfy { $0.familyName == "persistence_latency" && $0.familyType == .histogram })
    }

    @Test func familyNamesContainingTotalAreNeverStripped() {
        let d = parse("""
        # TYPE chasm_total_size histogram
        chasm_total_size_bucket{le="1024"} 1
        chasm_total_size_bucket{le="+Inf"} 1
        chasm_total_size_sum 700
        chasm_total_size_count 1
        chasm_total 5

        """)
        #expect(d.errors.isEmpty)
        #expect(d.samples.map(\.familyName) == ["chasm_total_size", "chasm_total_size", "chasm_total_size", "chasm_total_size", "chasm_total"])
        #expect(d.samples.last?.familyType == .untyped)
    }

    @Test func summaryQuantilesSumAndCount() {
        let d = parse("""
        # TYPE rpc summary
        rpc{quantile="0.5"} 1
        rpc{quantile="0.99"} 3
        rpc_sum 10
        rpc_count 5

        """)
        #expect(d.errors.isEmpty)
        #expect(d.samples.allSatisfy { $0.familyName == "rpc" && $0.familyType == .summary })
    }

    @Test func gaugesUntypedAndSamplesWithoutType() {
        let d = parse("# TYPE g gauge\ng -3.5\n# TYPE u untyped\nu 1\nfree 2\nfree_bucket 3\n")
        #expect(d.errors.isEmpty)
        #expect(d.samples.map(\.familyType) == [.gauge, .untyped, .untyped, .untyped])
        #expect(d.samples.map(\.familyName) == ["g", "u", "free", "free_bucket"])
    }

    @Test func trailingWhitespaceAndCarriageReturns() {
        let d = parse("# TYPE x gauge \t\r\nx{a=\"b\"} 1 \t\r\ny 2 1000  \r\n\r\n")
        #expect(d.errors.isEmpty)
        #expect(d.samples.map(\.value) == [1, 2])
        #expect(d.samples[1].timestampMs == 1000)
        #expect(d.metadata.last?.type == .gauge)
    }

    @Test func metricNamesWithColons() {
        let d = parse("# TYPE job:requests:rate5m gauge\njob:requests:rate5m{job=\"a\"} 1\n:leading 2\n")
        #expect(d.errors.isEmpty)
        #expect(names(d) == ["job:requests:rate5m", ":leading"])
        #expect(d.samples[0].familyType == .gauge)
    }

    @Test func blanksAroundEveryTokenAndATrailingComma() {
        let d = parse("  x { a = \"1\" ,\tb=\"2\", } 7\n x{}8\n")
        #expect(d.errors.isEmpty)
        #expect(d.samples.map(labelPairs) == [["a=1", "b=2"], []])
        #expect(d.samples.map(\.value) == [7, 8])
        #expect(d.samples.map(\.seriesText) == ["x { a = \"1\" ,\tb=\"2\", }", "x{}"])
    }

    @Test func seriesTextIsTheIdentityExactlyAsWritten() {
        let d = parse("up 1\nup{job=\"a\\\\b\"} 1\n")
        #expect(d.samples.map(\.seriesText) == ["up", "up{job=\"a\\\\b\"}"])
        #expect(d.samples[1].labels == [ParsedLabel(name: "job", value: "a\\b")])
    }

    @Test func labelsKeepTheirWrittenOrder() {
        let d = parse("x{z=\"1\",a=\"2\",m=\"3\"} 1\n")
        #expect(d.samples.first.map(labelPairs) == ["z=1", "a=2", "m=3"])
    }

    @Test func manyLabelsGrowTheSpanBuffer() {
        let labels = (0..<100).map { "l\($0)=\"v\($0)\"" }.joined(separator: ",")
        let d = parse("x{\(labels)} 1\ny{a=\"b\"} 2\n")
        #expect(d.errors.isEmpty)
        #expect(d.samples.first?.labels.count == 100)
        #expect(d.samples.first?.labels.last == ParsedLabel(name: "l99", value: "v99"))
        #expect(d.samples.last.map(labelPairs) == ["a=b"])
    }

    @Test func linesReadCountsEveryLine() {
        var parser = ExpositionParser(format: .prometheusText, fileName: "t")
        var d = ParsedDocument()
        let text = "# c\n\nx 1\ny 2"
        var copy = text
        copy.withUTF8 { parser.feed(UnsafeRawBufferPointer($0), into: &d) }
        #expect(parser.linesRead == 3)
        parser.finish(into: &d)
        #expect(parser.linesRead == 4)
        #expect(d.samples.map(\.line) == [3, 4])
    }

    @Test func aFinishedParserStartsANewDocument() {
        var parser = ExpositionParser(format: .prometheusText, fileName: "t")
        var d = ParsedDocument()
        for _ in 0..<2 {
            var text = "# TYPE x gauge\nx 1\n"
            text.withUTF8 { parser.feed(UnsafeRawBufferPointer($0), into: &d) }
            parser.finish(into: &d)
        }
        #expect(d.errors.isEmpty)
        #expect(d.samples.map(\.line) == [2, 2])
    }
}
