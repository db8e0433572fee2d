@testable import SundialExposition
import Testing

/// The known-series fast path: a parser reused across documents gives, document by document, exactly what a
/// fresh parser gives, while lines whose series text it validated before skip the label scan.
@Suite struct KnownSeriesTests {
    /// A parser that stores series texts from its first document on (the default waits for the second).
    static func eagerParser(
        _ format: ExpositionFormat, cache: KnownSeries = KnownSeries(), file: String = "t.prom"
    ) -> ExpositionParser {
        ExpositionParser(format: format, fileName: file, knownSeries: cache, storesAtOnce: true)
    }

    /// Parses each document through `parser` (fed in pieces of `pieceSize` bytes, or whole).
    static func parseEach(
        _ documents: [String], with parser: inout ExpositionParser, file: String = "t.prom", pieceSize: Int? = nil
    ) -> [ParsedDocument] {
        documents.map { text in
            parser.startDocument(fileName: file)
            var document = ParsedDocument()
            let bytes = Array(text.utf8)
            let size = max(pieceSize ?? bytes.count, 1)
            var start = 0
            while start < bytes.count {
                let end = min(start + size, bytes.count)
                let piece = Array(bytes[start..<end])
                piece.withUnsafeBytes { parser.feed($0, into: &document) }
                start = end
            }
            parser.finish(into: &document)
            return document
        }
    }

    /// Parses `documents` `passes` times through one eager parser and checks every result against a fresh
    /// parser's; returns the parser (for its counters) and the fresh results.
    @discardableResult
    static func expectSameAsFresh(
        _ documents: [String], _ format: ExpositionFormat, passes: Int = 2, pieceSize: Int? = nil,
        cache: KnownSeries = KnownSeries(), sourceLocation: SourceLocation = #_sourceLocation
    ) -> (parser: ExpositionParser, fresh: [ParsedDocument]) {
        var parser = eagerParser(format, cache: cache)
        let fresh = documents.map { parse($0, format) }
        for pass in 1...passes {
            let reused = parseEach(documents, with: &parser, pieceSize: pieceSize)
            for (k, (got, want)) in zip(reused, fresh).enumerated() where got != want {
                Issue.record("pass \(pass), document \(k) (\(format)):\n\(documents[k])\ngot \(got)\nwant \(want)",
                             sourceLocation: sourceLocation)
            }
        }
        return (parser, fresh)
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func aSecondPassThroughAReusedParserHitsAndMatchesAFreshParser(format: ExpositionFormat) {
        let documents = format == .openMetrics
            ? [ChunkingTests.openMetricsText, Self.openMetricsScrape]
            : [TemporalScrapeTests.tally, TemporalScrapeTests.openTelemetry, ChunkingTests.text]
        var parser = Self.eagerParser(format)
        let fresh = documents.map { parse($0, format) }
        #expect(Self.parseEach(documents, with: &parser) == fresh)
        let stored = parser.knownSeries.count
        let hitsAfterFirstPass = parser.knownSeries.hits
        #expect(stored > 0)
        #expect(Self.parseEach(documents, with: &parser) == fresh)
        // Every labelled sample line of the second pass was found: nothing new was stored.
        #expect(parser.knownSeries.count == stored)
        let labelledLines = fresh.flatMap(\.samples).filter { !$0.labels.isEmpty }.count
        #expect(parser.knownSeries.hits - hitsAfterFirstPass >= labelledLines)
        // The same in small pieces, so that lines are split across feed calls.
        #expect(Self.parseEach(documents, with: &parser, pieceSize: 7) == fresh)
    }

    @Test func aParserStoresSeriesFromItsSecondDocumentOn() {
        var parser = ExpositionParser(format: .prometheusText, fileName: "t.prom")
        let document = TemporalScrapeTests.tally
        let fresh = parse(document)
        #expect(Self.parseEach([document], with: &parser) == [fresh])
        #expect(parser.knownSeries.count == 0, "a parser that reads one document stores nothing")
        #expect(Self.parseEach([document], with: &parser) == [fresh])
        #expect(parser.knownSeries.count > 0)
        let hits = parser.knownSeries.hits
        #expect(Self.parseEach([document], with: &parser) == [fresh])
        #expect(parser.knownSeries.hits - hits == fresh.samples.count)
        // Feeding after finish (without startDocument) starts a new document as before.
        var fed = ParsedDocument()
        for _ in 0..<2 {
            var text = document
            text.withUTF8 { parser.feed(UnsafeRawBufferPointer($0), into: &fed) }
            parser.finish(into: &fed)
        }
        #expect(fed.samples == fresh.samples + fresh.samples)
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func aKnownSeriesIsCheckedAgainstTheTypeOfItsDocument(format: ExpositionFormat) {
        let om = format == .openMetrics
        let eof = om ? "# EOF\n" : ""
        let untyped = #"""
        x_bucket{le="abc"} 1
        x_bucket{a="b"} 2
        x_bucket{le="1"} 1
        x_bucket{le="+Inf"} 1
        y{quantile="q"} 1
        y{quantile="0.5"} 1
        y{a="b"} 1
        s{t="a"} 1
        s{s="a"} 1

        """# + eof
        let typed = #"""
        # TYPE x histogram
        x_bucket{le="abc"} 1
        x_bucket{a="b"} 2
        x_bucket{le="1"} 1
        x_bucket{le="+Inf"} 1
        # TYPE y summary
        y{quantile="q"} 1
        y{quantile="0.5"} 1
        y{a="b"} 1

        """# + (om ? "# TYPE s stateset\ns{t=\"a\"} 1\ns{s=\"a\"} 1\ns{s=\"a\"} 2\n" : "") + eof
        let otherTypes = #"""
        # TYPE x gauge
        x_bucket{le="1"} 1
        # TYPE y histogram
        y{quantile="0.5"} 1
        y_bucket{quantile="0.5"} 1

        """# + (om ? "# TYPE x_bucket gaugehistogram\nx_bucket_bucket{le=\"1\"} 1\n" : "") + eof
        let documents = [untyped, typed, otherTypes, typed, untyped, otherTypes]
        let (parser, fresh) = Self.expectSameAsFresh(documents, format)
        #expect(fresh[0].errors.isEmpty, "\(errorList(fresh[0]))")
        let typedErrors = errorList(fresh[1])
        #expect(typedErrors.contains { $0.hasSuffix(#"le label value "abc" is not a number"#) })
        #expect(typedErrors.contains { $0.hasSuffix(#"histogram bucket "x_bucket" has no le label"#) })
        #expect(typedErrors.contains { $0.hasSuffix(#"quantile label value "q" is not a number"#) })
        #expect(typedErrors.contains { $0.hasSuffix(#"summary sample "y" has no quantile label"#) })
        if om {
            #expect(typedErrors.contains { $0.hasSuffix(#"stateset sample "s" has no label named like its family"#) })
            #expect(typedErrors.contains { $0.hasSuffix(#"stateset sample "s" has a value other than 0 or 1"#) })
        }
        #expect(errorList(fresh[2]).contains { $0.contains("contradicts TYPE gauge") })
        #expect(parser.knownSeries.hits > 0)
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func theSuffixOfAKnownSeriesIsMatchedAgainstTheFamilyOfItsDocument(format: ExpositionFormat) {
        let eof = format == .openMetrics ? "# EOF\n" : ""
        let series = #"""
        x_sum_count{a="b"} 1
        x_sum_sum{a="b"} 1
        x_sum{a="b",quantile="1"} 1
        x_bucket{a="b",le="+Inf"} 1
        x_bucket_bucket{a="b",le="+Inf"} 1
        x_count{a="b"} 1
        x_created{a="b"} 1
        x_total{a="b"} 1
        x_info{a="b"} 1
        x_gcount{a="b"} 1
        x_gsum{a="b"} 1
        x_histogram{a="b"} 1
        x{a="b",x="s"} 1

        """#
        var documents = [series + eof]
        let families = ["x", "x_sum", "x_bucket", "x_buck", "x_s", "x_", "x_count", "x_histogram"]
        let types = format == .openMetrics
            ? ["counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset", "unknown"]
            : ["counter", "gauge", "histogram", "summary", "untyped"]
        for family in families {
            for type in types { documents.append("# TYPE \(family) \(type)\n" + series + eof) }
        }
        let (parser, fresh) = Self.expectSameAsFresh(documents, format)
        #expect(fresh.contains { errorList($0).contains { $0.contains("contradicts TYPE") } })
        #expect(Set(fresh.flatMap { $0.samples.map(\.familyName) }).count > 10)
        #expect(parser.knownSeries.hits >= documents.count * 13)
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func aKnownSeriesWithABadValueOrTimestampIsRejectedAsBefore(format: ExpositionFormat) {
        let om = format == .openMetrics
        let eof = om ? "# EOF\n" : ""
        let good = "# TYPE c counter\nc_total{a=\"b\",ü=\"x\"} 1\nc_total{a=\"b\"} 1\ng{a=\"é\"} 1\n" + eof
        let lines = [
            #"c_total{a="b"} abc"#, #"c_total{a="b"} 1e999"#, #"c_total{a="b"}"#, #"c_total{a="b"} "#,
            #"c_total{a="b"}1"#, #"c_total{a="b"}  1"#, "c_total{a=\"b\"}\t1", #"c_total{a="b"} 1 2 3"#,
            #"c_total{a="b"} 1 x"#, #"c_total{a="b"} -1"#, #"c_total{a="b"} 1 1.5"#,
            #"c_total{a="b"} NaN 99999999999999999999"#,
            #"g{a="é"} x"#, #"g{a="é"} 1 # {t="1"} 1"#, #"g{a="é"} 1 }"#, #"g{a="é"}} 1"#, #"g{a="é"} {a="é"} 1"#,
        ]
        var documents = [good]
        for line in lines { documents.append("# TYPE c counter\n\(line)\n" + eof) }
        let (parser, fresh) = Self.expectSameAsFresh(documents, format)
        #expect(fresh.dropFirst().allSatisfy { !$0.errors.isEmpty || !$0.samples.isEmpty })
        #expect(parser.knownSeries.hits >= lines.count)
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func histogramGroupsAreTrackedInEachDocument(format: ExpositionFormat) {
        let eof = format == .openMetrics ? "# EOF\n" : ""
        let complete = #"""
        # TYPE h histogram
        h_bucket{op="a",ns="ü",le="1"} 1
        h_bucket{op="a",ns="ü",le="+Inf"} 1
        h_bucket{le="1",op="b"} 1
        h_bucket{le="+Inf",op="b"} 1
        h_bucket{op="c",le="1",ns="x"} 1
        h_bucket{op="c",le="+Inf",ns="x"} 1
        h_sum{op="a"} 1

        """# + eof
        let missingInf = #"""
        # TYPE h histogram
        h_bucket{op="a",ns="ü",le="1"} 1
        h_bucket{le="1",op="b"} 1
        h_bucket{le="+Inf",op="b"} 1
        h_bucket{op="c",le="1",ns="x"} 1

        """# + eof
        let groupAcrossDocuments = "# TYPE h histogram\nh_bucket{op=\"a\",ns=\"ü\",le=\"+Inf\"} 1\n" + eof
        let documents = [complete, missingInf, groupAcrossDocuments, missingInf, complete]
        let (_, fresh) = Self.expectSameAsFresh(documents, format)
        #expect(errorList(fresh[1]).filter { $0.contains("has no bucket") }.count == 2)
        #expect(fresh[2].errors.isEmpty)
        #expect(fresh[0].errors.isEmpty)
    }

    @Test func exemplarsAfterAKnownSeries() {
        let documents = [
            #"""
            # TYPE c counter
            c_total{a="b"} 1 # {trace_id="x"} 1.0 123
            c_total{a="b # {c}"} 1 # {trace_id="}"} 1
            c_total{a="}"} 1 # {} 1
            c_total{a="x"} 1 # {trace_id="x"} 1.0 123 9
            c_total{a="y"} 1 # {trace_id="x"}
            c_total{a="y"} 1 #
            # TYPE g gauge
            g{a="b"} 1 # {trace_id="x"} 1
            # TYPE h histogram
            h_bucket{le="+Inf"} 1 1.5 # {trace_id="} # {"} 0.5 1.5
            # EOF

            """#,
            #"""
            # TYPE c counter
            c_total{a="b"} 2 # {trace_id="y"} 2.0 124
            c_total{a="b # {c}"} 2
            c_total{a="}"} 2 # {trace_id="z"} 1
            c_total{a="x"} 2 # {trace_id="x"} 1.0
            c_total{a="y"} 2 # {trace_id="x", } 1
            # TYPE g gauge
            g{a="b"} 1 # {trace_id="x"} 1
            # TYPE h histogram
            h_bucket{le="+Inf"} 2 # {trace_id="} # {"} 0.5
            # EOF

            """#,
        ]
        let (parser, fresh) = Self.expectSameAsFresh(documents, .openMetrics, passes: 3)
        #expect(fresh[0].samples.map(\.line) == [2, 3, 4, 11])
        #expect(errorList(fresh[0]) == [
            "5:42: unexpected text after the exemplar timestamp", "6:34: exemplar has no value",
            ##"7:18: expected an exemplar "# {labels} value" after the value"##,
            "9:12: exemplars are only allowed on _total and _bucket samples",
        ])
        #expect(parser.knownSeries.hits >= 2 * 12)
        // The text format rejects exemplars, also after a known series.
        Self.expectSameAsFresh(["c{a=\"b\"} 1\n", "c{a=\"b\"} 1 # {t=\"x\"} 1\n"], .prometheusText)
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func crlfLineEndsGiveTheSameResults(format: ExpositionFormat) {
        let text = format == .openMetrics ? Self.openMetricsScrape : TemporalScrapeTests.tally
        let crlf = text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
        let (parser, fresh) = Self.expectSameAsFresh([text, crlf, text, crlf], format)
        #expect(fresh[1].samples == fresh[0].samples)
        #expect(parser.knownSeries.hits > 0)
        Self.expectSameAsFresh([text, crlf], format, pieceSize: 3)
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func labelValuesWithBracesQuotesAndEscapes(format: ExpositionFormat) {
        let eof = format == .openMetrics ? "# EOF\n" : ""
        let document = #"""
        x{a="}",b="\"}\"",c="\\"} 1
        x{a="} 1"} 2
        x{a="{",b="}}"} 3
        x{a="\n}\\\""} 4
        x{a="ü}",b="x"} 5
        x{a="}"} 6 }
        x{a="}",a="}"} 7
        x{a="\q}"} 8
        x{a="}} 9

        """# + eof
        let (parser, fresh) = Self.expectSameAsFresh([document, document], format, passes: 2)
        #expect(fresh[0].samples.map(\.value) == [1, 2, 3, 4, 5])
        #expect(fresh[0].samples.first?.labels == [
            ParsedLabel(name: "a", value: "}"), ParsedLabel(name: "b", value: "\"}\""),
            ParsedLabel(name: "c", value: "\\"),
        ])
        #expect(fresh[0].errors.count == 4)
        #expect(parser.knownSeries.hits >= 3 * 5)
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func brokenLabelSetsAreRejectedEveryTime(format: ExpositionFormat) {
        let eof = format == .openMetrics ? "# EOF\n" : ""
        let document = #"""
        x{a="1",a="2"} 1
        x{a="1",b="2",} 1
        x{a="1" ,b="2"} 1
        x {a="1"} 1
        x{a=1} 1
        x{1a="1"} 1
        x{a="1"b="2"} 1
        x{a="1"}
        x{a="\xff"} 1

        """# + eof
        let (parser, fresh) = Self.expectSameAsFresh([document, document, document], format)
        #expect(!fresh[0].errors.isEmpty)
        _ = parser
    }

    @Test func metadataRulesDependOnTheDocumentNotOnKnownSeries() {
        let documents = [
            "x{a=\"b\"} 1\n# TYPE x counter\nx{a=\"b\"} 2\n",
            "# TYPE x counter\nx{a=\"b\"} 2\n# HELP x late\n# TYPE y gauge\ny{a=\"b\"} 1\n"
                + "# TYPE x gauge\nx{a=\"b\"} 3\n",
            "# TYPE y gauge\n# HELP y help\ny{a=\"b\"} 1\ny{a=\"b\"} 1\n"
                + "# HELP z z\n# TYPE w gauge\n# TYPE z gauge\n",
        ]
        let (_, fresh) = Self.expectSameAsFresh(documents, .prometheusText, passes: 3)
        #expect(errorList(fresh[0]).contains { $0.contains("comes after its samples") })
        #expect(errorList(fresh[1]) == ["3:8: HELP line for family x comes after its samples",
                                         "6:8: second TYPE line for family x"])
        #expect(errorList(fresh[2]) == ["7:8: TYPE line for family z is separated from its other metadata"])
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func aFullCacheIsClearedAndResultsStayTheSame(format: ExpositionFormat) {
        let text = format == .openMetrics ? Self.openMetricsScrape : TemporalScrapeTests.tally
        let tiny = KnownSeries(maxEntries: 3, maxArenaBytes: 1024)
        let (parser, _) = Self.expectSameAsFresh([text, text, text], format, passes: 2, cache: tiny)
        #expect(tiny.clears > 0)
        #expect(tiny.count <= 3)
        _ = parser
        // A series text too long for the cache is parsed every time.
        let long = "x{a=\"" + String(repeating: "v", count: KnownSeries.maxLength) + "\"} 1\n"
        let (longParser, _) = Self.expectSameAsFresh([long, long], .prometheusText)
        #expect(longParser.knownSeries.count == 0)
    }

    @Test func copiesContinueIndependently() {
        var parser = Self.eagerParser(.prometheusText)
        _ = Self.parseEach([TemporalScrapeTests.tally], with: &parser)
        var copy = parser
        var first = ParsedDocument()
        var second = ParsedDocument()
        var a = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\n"
        var b = TemporalScrapeTests.tally
        parser.startDocument(fileName: "t.prom")
        copy.startDocument(fileName: "t.prom")
        a.withUTF8 { parser.feed(UnsafeRawBufferPointer($0), into: &first) }
        b.withUTF8 { copy.feed(UnsafeRawBufferPointer($0), into: &second) }
        parser.finish(into: &first)
        copy.finish(into: &second)
        #expect(first == parse(a))
        #expect(second == parse(b))
    }

    @Test func startDocumentNamesTheFileAndDropsAHalfReadDocument() {
        var parser = ExpositionParser(format: .openMetrics, fileName: "a.om")
        var document = ParsedDocument()
        var half = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bu"
        half.withUTF8 { parser.feed(UnsafeRawBufferPointer($0), into: &document) }
        parser.startDocument(fileName: "b.om")
        var next = "x{a=\"b\"} z\n# EOF\n"
        next.withUTF8 { parser.feed(UnsafeRawBufferPointer($0), into: &document) }
        parser.finish(into: &document)
        #expect(document.errors.map(\.description) == [#"b.om:1:10: value "z" is not a number"#])
        #expect(parser.fileName == "b.om")
    }

    /// Random valid documents, then random byte edits of them, through one reused parser (pieces of random
    /// size), each compared with a fresh parser. The seed is printed on failure.
    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func randomDocumentsAndEditsMatchAFreshParser(format: ExpositionFormat) {
        let base = UInt64.random(in: 0...UInt64.max)
        let edits: [UInt8] = Array(#"}{"\ ,=#_:.e+-01"#.utf8) + [0x09, 0x0D, 0xC3, 0xA9, 0xFF, UInt8(ascii: "x")]
        var hits = 0
        for k in UInt64(0)..<40 {
            let seed = base &+ k
            var rng = SeededGenerator(seed: seed)
            var documents: [String] = []
            for j in UInt64(0)..<3 {
                var generator = RandomFamilies(seed: seed &* 31 &+ j, format: format)
                var printer = ExpositionPrinter(format: format, seed: seed &+ j)
                printer.write(generator.families())
                documents.append(printer.text)
            }
            var edited: [String] = []
            for document in documents {
                var bytes = Array(document.utf8)
                for _ in 0..<Int.random(in: 1...12, using: &rng) where !bytes.isEmpty {
                    let at = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: bytes[at] = edits.randomElement(using: &rng) ?? 0x7D
                    case 1: bytes.remove(at: at)
                    default: bytes.insert(edits.randomElement(using: &rng) ?? 0x7D, at: at)
                    }
                }
                edited.append(String(decoding: bytes, as: UTF8.self))
            }
            let all = documents + edited + documents
            var parser = Self.eagerParser(format)
            let size = Int.random(in: 1...200, using: &rng)
            let reused = Self.parseEach(all, with: &parser, pieceSize: size)
            hits += parser.knownSeries.hits
            for (n, (got, text)) in zip(reused, all).enumerated() {
                let want = parseInPieces(text, format, size: size)
                #expect(got == want, "seed \(seed) (\(format)), document \(n), pieces of \(size):\n\(text)")
                if got != want { return }
            }
        }
        #expect(hits > 1_000, "the fast path must really run, or the property proves nothing")
    }

    /// An OpenMetrics scrape with the usual families, exemplars and a histogram.
    static let openMetricsScrape = #"""
    # HELP requests Requests served.
    # TYPE requests counter
    requests_total{code="200",path="/a"} 10 # {trace_id="abc"} 1.0 1520879607.789
    requests_total{code="500",path="/a"} 1
    requests_created{code="200",path="/a"} 1520879600.5
    # TYPE latency histogram
    # UNIT latency seconds
    latency_seconds_bucket{le="0.1"} 1
    # TYPE latency_seconds histogram
    # UNIT latency_seconds seconds
    latency_seconds_bucket{path="/a",le="0.1"} 3 # {trace_id="def"} 0.05
    latency_seconds_bucket{path="/a",le="+Inf"} 4
    latency_seconds_count{path="/a"} 4
    latency_seconds_sum{path="/a"} 0.9
    # TYPE q summary
    q{quantile="0.5"} 1 1700000000
    q_sum 2
    # TYPE up gauge
    up{instance="ü"} 1
    # EOF

    """#
}
