import SundialExposition
import Testing

/// Which family a sample belongs to, and what each TYPE allows.
@Suite struct FamilyTests {
    @Test func aSuffixUnknownToTheTypeStartsANewFamily() {
        let d = parse("# TYPE x counter\nx 1\nx_rate 2\nxy 3\n")
        #expect(d.errors.isEmpty)
        #expect(d.samples.map(\.familyName) == ["x", "x_rate", "xy"])
        #expect(d.samples.map(\.familyType) == [.counter, .untyped, .untyped])
    }

    @Test func suffixedNamesUnderUntypedAndUnknownAreFamiliesOfTheirOwn() {
        let text = parse("# TYPE x untyped\nx 1\nx_count 2\nx_sum 3\n")
        #expect(text.errors.isEmpty)
        #expect(text.samples.map(\.familyName) == ["x", "x_count", "x_sum"])
        let om = parse("# TYPE y unknown\ny 1\ny_total 2\n# EOF\n", .openMetrics)
        #expect(om.errors.isEmpty)
        #expect(om.samples.map(\.familyName) == ["y", "y_total"])
        #expect(om.samples.map(\.familyType) == [.unknown, .unknown])
    }

    @Test func aHelpOnlyFamilyIsUntyped() {
        let d = parse("# HELP x just help\nx 1\nx_total 2\n")
        #expect(d.errors.isEmpty)
        #expect(d.samples.map(\.familyName) == ["x", "x_total"])
    }

    @Test func everyAllowedSuffixPerType() {
        let d = parse("""
        # TYPE c counter
        c_total 1
        c_created 1
        # TYPE h histogram
        h_bucket{le="+Inf"} 1
        h_sum 1
        h_count 1
        h_created 1
        # TYPE gh gaugehistogram
        gh_bucket{le="+Inf"} 1
        gh_gsum 1
        gh_gcount 1
        # TYPE s summary
        s{quantile="0.5"} 1
        s_sum 1
        s_count 1
        s_created 1
        # TYPE i info
        i_info{v="1"} 1
        # TYPE st stateset
        st{st="a"} 1
        # TYPE g gauge
        g 1
        # EOF

        """, .openMetrics)
        #expect(d.errors.isEmpty, "\(errorList(d))")
        #expect(d.samples.map(\.familyName) == ["c", "c", "h", "h", "h", "h", "gh", "gh", "gh", "s", "s", "s", "s", "i", "st", "g"])
    }

    @Test func aRejectedSampleDoesNotOpenAFamily() {
        let d = parse("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nother abc\nh_sum 1\n")
        #expect(errorList(d) == [#"3:7: value "abc" is not a number"#])
        #expect(d.samples.map(\.familyName) == ["h", "h"])
    }

    @Test func aRejectedTypeLineLeavesTheFamilyUntyped() {
        let d = parse("# TYPE x bogus\nx 1\n")
        #expect(d.errors.count == 1)
        #expect(d.samples.first?.familyType == .untyped)
    }

    @Test func metadataAfterAnotherFamilyIsAllowedForANewName() {
        let d = parse("# TYPE a gauge\na 1\n# HELP b bee\n# TYPE b counter\nb 2\n")
        #expect(d.errors.isEmpty)
        #expect(d.metadata == [
            FamilyMetadata(name: "a", type: .gauge), FamilyMetadata(name: "b", type: .untyped, help: "bee"),
            FamilyMetadata(name: "b", type: .counter, help: "bee"),
        ])
    }

    @Test func openMetricsUnitIsPartOfTheRecord() {
        let d = parse("# TYPE x_seconds gauge\n# UNIT x_seconds seconds\n# HELP x_seconds Time.\nx_seconds 1\n# EOF\n", .openMetrics)
        #expect(d.errors.isEmpty)
        #expect(d.metadata.last == FamilyMetadata(name: "x_seconds", type: .gauge, help: "Time.", unit: "seconds"))
    }

    @Test func unitIsOnlyACommentInTheTextFormat() {
        let d = parse("# UNIT x_seconds nonsense\nx_seconds 1\n")
        #expect(d.errors.isEmpty)
        #expect(d.metadata.isEmpty)
    }

    @Test func sampleBuffersAreValidDuringTheCall() {
        struct Check: ExpositionSink {
            var seen: [String] = []
            mutating func metadata(_ metadata: FamilyMetadata) {}
            mutating func sample(_ sample: ParsedSample) {
                var raw: [String] = []
                sample.forEachRawLabel { name, value, escaped in
                    raw.append("\(String(decoding: name, as: UTF8.self))=\(String(decoding: value, as: UTF8.self))\(escaped ? "!" : "")")
                }
                seen.append("\(sample.familyNameString())|\(sample.metricNameString())|\(sample.labelCount)|"
                    + raw.joined(separator: ","))
            }
            mutating func reject(_ error: ExpositionError) {}
        }
        var parser = ExpositionParser(format: .prometheusText, fileName: "t")
        var check = Check()
        for piece in ["# TYPE h histogram\nh_bu", "cket{a=\"x\\\\y\",le=\"+Inf\"} 1\nh_sum 2\n"] {
            var piece = piece
            piece.withUTF8 { parser.feed(UnsafeRawBufferPointer($0), into: &check) }
        }
        parser.finish(into: &check)
        #expect(check.seen == [#"h|h_bucket|2|a=x\\y!,le=+Inf"#, "h|h_sum|0|"])
    }
}
