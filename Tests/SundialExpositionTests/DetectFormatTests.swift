import SundialExposition
import Testing

/// Guessing the format from the first bytes and the file name.
@Suite struct DetectFormatTests {
    func detect(_ prefix: String, _ fileName: String = "") -> ExpositionFormat {
        var prefix = prefix
        return prefix.withUTF8 { ExpositionParser.detectFormat(prefix: UnsafeRawBufferPointer($0), fileName: fileName) }
    }

    @Test func openMetricsOnlyConstructsInThePrefix() {
        #expect(detect("x 1\n# EOF\n") == .openMetrics)
        #expect(detect("# TYPE x_seconds gauge\n# UNIT x_seconds seconds\n") == .openMetrics)
        #expect(detect("# TYPE x gaugehistogram\n") == .openMetrics)
        #expect(detect("# TYPE x info\n") == .openMetrics)
        #expect(detect("# TYPE x stateset\n") == .openMetrics)
        #expect(detect("# TYPE x unknown\n") == .openMetrics)
        #expect(detect("c_total 1 # {trace_id=\"a\"} 1\n") == .openMetrics)
        #expect(detect("# EOF\r\n") == .openMetrics)
    }

    @Test func textByDefault() {
        #expect(detect("# HELP x x counter\n# TYPE x counter\nx 1\n") == .prometheusText)
        #expect(detect("x{a=\" # {not an exemplar\"} 1\n") == .prometheusText)
        #expect(detect("# TYPE x untyped\n") == .prometheusText)
        #expect(detect("") == .prometheusText)
    }

    @Test func aCutLastLineIsNotLookedAt() {
        #expect(detect("x 1\n# EO") == .prometheusText)
        #expect(detect("x 1\n# EOF") == .prometheusText)
    }

    @Test func fileNamesDecideWhenThePrefixDoesNot() {
        #expect(detect("x 1\n", "scrape.om") == .openMetrics)
        #expect(detect("x 1\n", "SCRAPE.OPENMETRICS") == .openMetrics)
        #expect(detect("x 1\n", "scrape.om.txt") == .openMetrics)
        #expect(detect("x 1\n", "scrape.prom") == .prometheusText)
        #expect(detect("x 1\n", "scrape.txt") == .prometheusText)
        #expect(detect("x 1\n# EOF\n", "scrape.prom") == .openMetrics)
    }
}
