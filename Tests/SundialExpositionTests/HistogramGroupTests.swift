import SundialExposition
import Testing

/// The `+Inf` bucket check on histogram groups.
@Suite struct HistogramGroupTests {
    @Test func aGroupWithoutInfIsReportedAtItsLastBucketWhenTheNextGroupStarts() {
        let d = parse("""
        # TYPE h histogram
        h_bucket{op="a",le="1"} 1
        h_bucket{op="a",le="2"} 1
        h_bucket{op="b",le="1"} 1
        h_bucket{op="b",le="+Inf"} 1

        """)
        #expect(errorList(d) == [#"3:17: histogram group of family h has no bucket with le="+Inf""#])
        #expect(d.samples.count == 4)
    }

    @Test func theCheckRunsWhenTheFamilyOrTheInputEnds() {
        let atFamilyEnd = parse("# TYPE h histogram\nh_bucket{le=\"1\"} 1\n# TYPE g gauge\ng 1\n")
        #expect(errorList(atFamilyEnd) == [#"2:10: histogram group of family h has no bucket with le="+Inf""#])
        let atSum = parse("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n")
        #expect(errorList(atSum) == [#"2:10: histogram group of family h has no bucket with le="+Inf""#])
        let atImplicitFamily = parse("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nother 1\n")
        #expect(errorList(atImplicitFamily) == [#"2:10: histogram group of family h has no bucket with le="+Inf""#])
        let atFinish = parse("# TYPE h histogram\nh_bucket{le=\"1\"} 1\n")
        #expect(errorList(atFinish) == [#"2:10: histogram group of family h has no bucket with le="+Inf""#])
        let atEOF = parse("# TYPE h histogram\nh_bucket{le=\"1\"} 1\n# EOF\n", .openMetrics)
        #expect(errorList(atEOF) == [#"2:10: histogram group of family h has no bucket with le="+Inf""#])
    }

    @Test func theErrorIsReportedBeforeTheSampleThatEndsTheGroup() {
        struct Events: ExpositionSink {
            var log: [String] = []
            mutating func metadata(_ metadata: FamilyMetadata) { log.append("meta \(metadata.name)") }
            mutating func sample(_ sample: ParsedSample) { log.append("sample \(sample.line)") }
            mutating func reject(_ error: ExpositionError) { log.append("error \(error.line)") }
        }
        var parser = ExpositionParser(format: .prometheusText, fileName: "t")
        var events = Events()
        var text = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 2\n"
        text.withUTF8 { parser.feed(UnsafeRawBufferPointer($0), into: &events) }
        parser.finish(into: &events)
        #expect(events.log == ["meta h", "sample 2", "error 2", "sample 3"])
    }

    @Test func infMayBeWrittenAnyWayParseFloatReadsIt() {
        for inf in ["+Inf", "Inf", "inf", "+infinity"] {
            let d = parse("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"\(inf)\"} 1\n")
            #expect(d.errors.isEmpty, "\(inf)")
        }
    }

    @Test func labelOrderAndPlaceOfLeDoNotMatterWithinAGroup() {
        let d = parse("""
        # TYPE h histogram
        h_bucket{le="1",op="a",ns="x"} 1
        h_bucket{op="a",le="+Inf",ns="x"} 1
        h_bucket{op="a",ns="x",le="1"} 1
        h_bucket{op="a",ns="x",le="+Inf"} 1

        """)
        #expect(d.errors.isEmpty)
    }

    @Test func spacingDoesNotSeparateAGroupAndLeMayStandInTheMiddle() {
        let d = parse("""
        # TYPE h histogram
        h_bucket{op="a",ns="x",le="1"} 1
        h_bucket{ op = "a" ,ns="x", le="+Inf" } 1
        h_bucket{op="a",le="1",ns="y"} 1
        h_bucket{op="a",le="+Inf",ns="y"} 1
        h_bucket{le="1",op="b"} 1
        h_bucket{le="+Inf",op="b"} 1
        h_bucket{le="1",op="b",ns="z"} 1

        """)
        #expect(errorList(d) == [#"8:10: histogram group of family h has no bucket with le="+Inf""#])
    }

    @Test func groupsDifferingOnlyInOneValueAreSeparate() {
        let d = parse("""
        # TYPE h histogram
        h_bucket{op="a",le="+Inf"} 1
        h_bucket{op="ab",le="1"} 1
        h_bucket{op="a",le="+Inf"} 1
        h_bucket{o="pa",le="+Inf"} 1
        h_bucket{le="+Inf"} 1
        h_bucket{le="5"} 1
        h_bucket{x="",le="5"} 1

        """)
        #expect(errorList(d) == [
            #"3:18: histogram group of family h has no bucket with le="+Inf""#,
            #"8:15: histogram group of family h has no bucket with le="+Inf""#,
        ])
    }

    @Test func aRejectedBucketLineDoesNotEndTheGroup() {
        let d = parse("""
        # TYPE h histogram
        h_bucket{op="a",le="1"} 1
        h_bucket{op="b",le="oops"} 1
        h_bucket{op="a",le="+Inf"} 1

        """)
        #expect(errorList(d) == [#"3:20: le label value "oops" is not a number"#])
    }

    @Test func gaugeHistogramsNeedInfToo() {
        let d = parse("# TYPE g gaugehistogram\ng_bucket{le=\"1\"} 1\ng_gcount 1\ng_gsum 1\n# EOF\n", .openMetrics)
        #expect(errorList(d) == [#"2:10: histogram group of family g has no bucket with le="+Inf""#])
    }

    @Test func untypedBucketsAreNotChecked() {
        let d = parse("x_bucket{le=\"1\"} 1\nx_bucket{le=\"nonsense\"} 1\n")
        #expect(d.errors.isEmpty)
        #expect(d.samples.map(\.familyType) == [.untyped, .untyped])
    }

    @Test func theColumnCountsCharactersBeforeLe() {
        let d = parse("# TYPE h histogram\nh_bucket{op=\"ééé\",le=\"1\"} 1\n")
        #expect(errorList(d) == [#"2:19: histogram group of family h has no bucket with le="+Inf""#])
    }
}
