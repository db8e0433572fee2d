import SundialExposition
import Testing

/// The constructs of OpenMetrics 1.0, one by one.
@Suite struct OpenMetricsTests {
    static let fullDocument = """
    # HELP requests Requests served.
    # TYPE requests counter
    requests_total{code="200"} 10 1520879607.789 # {trace_id="abc"} 1.0 1520879607.789
    requests_created{code="200"} 1520879600.5
    # TYPE latency_seconds histogram
    # UNIT latency_seconds seconds
    latency_seconds_bucket{le="0.1"} 1 # {trace_id="x"} 0.05
    latency_seconds_bucket{le="+Inf"} 2
    latency_seconds_sum 0.3
    latency_seconds_count 2
    latency_seconds_created 1520879600
    # TYPE queue gaugehistogram
    queue_bucket{le="1"} 3
    queue_bucket{le="+Inf"} 4
    queue_gcount 4
    queue_gsum 2.5
    # TYPE build info
    build_info{version="1.2"} 1
    # TYPE state stateset
    state{state="ready"} 1
    state{state="busy"} 0
    # TYPE rpc summary
    rpc{quantile="0.5"} 0.2
    rpc_sum 4
    rpc_count 9
    # TYPE temp gauge
    temp -1.5e-3
    # TYPE misc unknown
    misc NaN
    free +Inf
    # EOF

    """

    @Test func aDocumentWithEveryTypeParsesCleanly() {
        let d = parse(Self.fullDocument, .openMetrics, file: "t.om")
        #expect(d.errors.isEmpty, "\(errorList(d))")
        #expect(d.samples.count == 20)
        #expect(d.samples.map(\.familyName) == [
            "requests", "requests", "latency_seconds", "latency_seconds", "latency_seconds", "latency_seconds",
            "latency_seconds", "queue", "queue", "queue", "queue", "build", "state", "state", "rpc", "rpc", "rpc",
            "temp", "misc", "free",
        ])
        #expect(d.samples.map(\.familyType) == [
            .counter, .counter, .histogram, .histogram, .histogram, .histogram, .histogram,
            .gaugeHistogram, .gaugeHistogram, .gaugeHistogram, .gaugeHistogram, .info, .stateset, .stateset,
            .summary, .summary, .summary, .gauge, .unknown, .unknown,
        ])
        #expect(d.metadata.contains(FamilyMetadata(name: "latency_seconds", type: .histogram, unit: "seconds")))
        #expect(d.metadata.contains(FamilyMetadata(name: "requests", type: .counter, help: "Requests served.")))
    }

    @Test func timestampsAreSecondsTruncatedToMillisecondsLikePrometheus() {
        let d = parse("""
        a 1 1520879607.789
        b 1 1.005
        c 1 -1.0005
        d 1 1520879607
        e 1 1.5e3
        # EOF

        """, .openMetrics)
        #expect(d.errors.isEmpty, "\(errorList(d))")
        // 1.005 * 1000 is 1004.9999999999999 in binary floating point: Prometheus truncates it to 1004.
        #expect(d.samples.map(\.timestampMs) == [1_520_879_607_789, 1004, -1000, 1_520_879_607_000, 1_500_000])
    }

    @Test func exemplarsAreSkippedButTheSampleIsKept() {
        let d = parse("""
        # TYPE c counter
        c_total 5 # {trace_id="abc",span_id="d\\"e"} 1.0 1520879607.789
        c_total{x="y"} 6 1520879607.789 # {} 2
        # EOF

        """, .openMetrics)
        #expect(d.errors.isEmpty, "\(errorList(d))")
        #expect(d.samples.map(\.value) == [5, 6])
        #expect(d.samples.map(\.seriesText) == ["c_total", "c_total{x=\"y\"}"])
        #expect(d.samples[1].timestampMs == 1_520_879_607_789)
    }

    @Test func helpTextMayEscapeQuotesInOpenMetrics() {
        let d = parse("# HELP x say \\\"hi\\\"\\n\n# EOF\n", .openMetrics)
        #expect(d.errors.isEmpty)
        #expect(d.metadata.first?.help == "say \"hi\"\n")
    }

    @Test func unitAndHelpMayBeEmpty() {
        let d = parse("# HELP x\n# UNIT x\n# EOF\n", .openMetrics)
        #expect(d.errors.isEmpty, "\(errorList(d))")
        #expect(d.metadata.last == FamilyMetadata(name: "x", type: .unknown, help: "", unit: ""))
    }

    @Test func eofWithoutFinalNewlineAndCarriageReturns() {
        let d = parse("# TYPE g gauge\r\ng 1\r\n# EOF", .openMetrics)
        #expect(d.errors.isEmpty, "\(errorList(d))")
        #expect(d.samples.count == 1)
    }

    @Test func otherCommentsAreToleratedInOpenMetrics() {
        let d = parse("# a comment\n#another\ng 1\n# EOF\n", .openMetrics)
        #expect(d.errors.isEmpty)
        #expect(d.samples.count == 1)
    }

    @Test func anEmptyDocumentIsJustEOF() {
        let d = parse("# EOF\n", .openMetrics)
        #expect(d.errors.isEmpty)
        #expect(d.samples.isEmpty)
    }

    @Test func untypedIsATextWordAndGaugehistogramAnOpenMetricsWord() {
        let om = parse("# TYPE x untyped\n# EOF\n", .openMetrics)
        #expect(errorList(om) == ["1:10: unknown metric type \"untyped\" in OpenMetrics"])
        let text = parse("# TYPE x gaugehistogram\n")
        #expect(errorList(text) == ["1:10: unknown metric type \"gaugehistogram\" in the text format"])
    }
}
