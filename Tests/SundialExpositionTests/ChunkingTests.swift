import SundialExposition
import Testing

/// Feeding input in pieces, split anywhere, gives the same result as feeding it whole.
@Suite struct ChunkingTests {
    static let text = """
    # HELP service_requests service_requests counter\r
    # TYPE service_requests counter\r
    service_requests{namespace="default",operation="StartWorkflowExecution",service_name="frontend"} 1520\r
    service_requests{namespace="_unknown_",operation="GetSystemInfo",service_name="frontend"} 1.234567e+06 1700000000000
    # a comment

    # TYPE persistence_latency histogram
    persistence_latency_bucket{namespace="default",operation="UpdateWorkflowExecution",service_name="history",le="0.005"} 17
    persistence_latency_bucket{namespace="default",operation="UpdateWorkflowExecution",service_name="history",le="+Inf"} 20
    persistence_latency_sum{namespace="default",operation="UpdateWorkflowExecution",service_name="history"} 0.0381
    persistence_latency_count{namespace="default",operation="UpdateWorkflowExecution",service_name="history"} 20
    bad{a="\\q"} 1
    x{a="ünïcödé \\"quoted\\" \\\\ \\n"} NaN \t
    # TYPE h histogram
    h_bucket{le="1"} 1
    h_sum 1
    last_line_without_newline -Inf
    """

    static let openMetricsText = """
    # TYPE requests counter\r
    # HELP requests Requests \\\\ served.
    requests_total{code="200"} 10 1520879607.789 # {trace_id="abc"} 1.0 1520879607.789\r
    requests_created{code="200"} 1520879600.5

    # TYPE g gauge
    g 1 1.005
    # EOF
    after 1

    """

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func everyPieceSizeGivesTheWholeResult(format: ExpositionFormat) {
        let text = format == .openMetrics ? Self.openMetricsText : Self.text
        let whole = parse(text, format)
        if format == .openMetrics {
            #expect(whole.samples.map(\.familyName) == ["requests", "requests", "g"])
            #expect(whole.errors.map(\.line) == [5, 9])
        } else {
            #expect(whole.samples.count == 10)
            #expect(whole.errors.map(\.line) == [12, 15])
        }
        for size in 1...text.utf8.count {
            let pieces = parseInPieces(text, format, size: size)
            #expect(pieces == whole, "piece size \(size)")
            if pieces != whole { break }
        }
    }

    @Test func randomSplitPointsGiveTheWholeResult() {
        let text = Self.text
        let bytes = Array(text.utf8)
        let whole = parse(text, .prometheusText)
        for seed in UInt64(1)...200 {
            var rng = SeededGenerator(seed: seed)
            var parser = ExpositionParser(format: .prometheusText, fileName: "t.prom")
            var document = ParsedDocument()
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int.random(in: 0...40, using: &rng))
                let piece = Array(bytes[start..<end])
                piece.withUnsafeBytes { parser.feed($0, into: &document) }
                start = end
            }
            parser.finish(into: &document)
            #expect(document == whole, "seed \(seed)")
            if document != whole { break }
        }
    }

    @Test func aLineLongerThanAnyPieceIsKept() {
        let value = String(repeating: "abcdefghij", count: 20_000)
        let text = "# TYPE g gauge\ng{big=\"\(value)\",b=\"c\"} 42\ng{small=\"1\"} 1\n"
        let whole = parse(text, .prometheusText)
        #expect(whole.errors.isEmpty)
        #expect(whole.samples.first?.labels.first?.value == value)
        for size in [1, 2, 3, 7, 64, 4095, 4096, 65_536, 200_000] {
            #expect(parseInPieces(text, .prometheusText, size: size) == whole, "piece size \(size)")
        }
    }

    @Test func emptyPiecesChangeNothing() {
        var parser = ExpositionParser(format: .prometheusText, fileName: "t.prom")
        var document = ParsedDocument()
        for piece in ["", "x 1", "", "\r", "", "\ny 2\n", ""] {
            var piece = piece
            piece.withUTF8 { parser.feed(UnsafeRawBufferPointer($0), into: &document) }
        }
        parser.finish(into: &document)
        #expect(document.errors.isEmpty)
        #expect(document.samples.map(\.name) == ["x", "y"])
    }
}
