import Foundation
import Testing
@testable import Sundial

/// A timestamped OpenMetrics file laid out as `sundial generate --openmetrics` lays it out: every scrape lists
/// every family once; metadata only where a family first appears.
/// With `text`, in the Prometheus text format (timestamps in milliseconds).
private func timestampedScrapes(_ count: Int, start: Int = 1_700_000_000, text: Bool = false) -> [String] {
    var lines: [String] = []
    for k in 0..<count {
        let t = text ? "\(start + 15 * k)000" : "\(start + 15 * k).000"
        if k == 0 { lines += ["# HELP app_requests requests served", "# TYPE app_requests counter"] }
        for op in ["get", "put", "list"] { lines.append("app_requests_total{op=\"\(op)\"} \(10 * k + op.count) \(t)") }
        if k == 0 { lines.append("# TYPE app_latency histogram") }
        if text && k == 3 { lines.append("# a comment between scrapes") }
        for op in ["get", "put"] {
            lines.append("app_latency_bucket{op=\"\(op)\",le=\"0.1\"} \(k) \(t)")
            lines.append("app_latency_bucket{op=\"\(op)\",le=\"+Inf\"} \(2 * k) \(t)")
            lines.append("app_latency_sum{op=\"\(op)\"} \(Double(k) / 4) \(t)")
            lines.append("app_latency_count{op=\"\(op)\"} \(2 * k) \(t)")
        }
        if k == 0 { lines += ["# HELP heap_bytes heap in use", "# TYPE heap_bytes gauge"] }
        for service in ["a", "b"] { lines.append("heap_bytes{service=\"\(service)\"} \(1000 + k) \(t)") }
    }
    return lines
}

/// What an ingest of one file stored and reported.
private struct Outcome: Equatable {
    var samples: [String: [Sample]]
    var metadata: [String: String]
    var rejectedLines: Int
    var errors: [String]
    var filesCommitted: Int
    var storedSamples: Int
}

/// Ingests `lines` as one file, cut into the smallest pieces the rule allows (`split`) or whole.
private func ingest(_ lines: [String], split: Bool, strict: Bool = false, name: String = "scrapes.om",
                    report: inout IngestReport) throws -> Outcome {
    let scratch = Scratch()
    defer { scratch.remove() }
    try scratch.write(name, lines.map { $0 + "\n" }.joined())
    let store = try Store.open(at: scratch.store)
    defer { store.close() }
    var options = IngestOptions()
    options.parsingThreads = 2
    options.strict = strict
    options.splitFileBytes = split ? 1 : 0
    options.pieceBytes = 1
    report = try Ingestor(store: store, options: options).ingest(paths: [scratch.scrapes + "/" + name])
    var samples: [String: [Sample]] = [:]
    for series in try store.snapshot().select([try LabelMatcher(.regex, "__name__", ".+")]) {
        samples["\(series.labels)"] = try series.samples()
    }
    let metadata = store.snapshot().metadata().mapValues { "\($0.kind) \($0.help) \($0.unit)" }
    // Errors name the scratch path, which differs between the two runs.
    let errors = report.errors.map { $0.replacingOccurrences(of: scratch.scrapes, with: "") }
    return Outcome(samples: samples, metadata: metadata, rejectedLines: report.rejectedLines, errors: errors,
                   filesCommitted: report.filesCommitted, storedSamples: report.samples)
}

/// Ingests `lines` cut and whole; expects the same outcome and returns it with the cut run's report.
private func ingestBothWays(_ lines: [String], strict: Bool = false, name: String = "scrapes.om") throws -> (Outcome, IngestReport) {
    var whole = IngestReport()
    var cut = IngestReport()
    let expected = try ingest(lines, split: false, strict: strict, name: name, report: &whole)
    let outcome = try ingest(lines, split: true, strict: strict, name: name, report: &cut)
    #expect(whole.piecesParsed == 0)
    #expect(cut.piecesParsed > 1 || cut.filesParsedAgain == 1)
    if strict {
        // Strict mode stops a file at its first bad line, but the lines after it in the same read are still
        // counted: which ones differs between a file read whole and one read in pieces.
        #expect(outcome.samples == expected.samples)
        #expect(outcome.storedSamples == expected.storedSamples)
        #expect(outcome.filesCommitted == expected.filesCommitted)
        #expect(outcome.errors.first == expected.errors.first)
        #expect((outcome.rejectedLines > 0) == (expected.rejectedLines > 0))
    } else {
        #expect(outcome == expected)
    }
    return (outcome, cut)
}

@Suite struct IngestSplitTests {
    @Test func cuttingFindsFamilyBoundariesOnly() {
        func cut(_ before: String, _ after: String) -> Bool { FilePiece.mayCut(before: Array(after.utf8), after: Array(before.utf8)) }
        #expect(cut("a_total{x=\"1\"} 1 1", "b_total{x=\"1\"} 1 1"))
        #expect(cut("a_total{x=\"1\"} 1 1", "# TYPE b counter"))
        #expect(!cut("h_bucket{le=\"1\"} 1 1", "h_sum 1 1"))
        #expect(!cut("h_bucket{le=\"1\"} 1 1", "h_bucket{le=\"+Inf\"} 1 1"))
        #expect(!cut("a{x=\"1\"} 1 1", "a_b{x=\"1\"} 1 1"))  // could be one family: never cut there
        #expect(!cut("# HELP a x", "a 1 1"))
        #expect(!cut("a 1 1", "# a comment"))
        #expect(!cut("# HELP b x", "# TYPE b counter"))  // the metadata of one family stays together
    }

    @Test func aCutFileStoresWhatTheWholeFileStores() throws {
        let (outcome, report) = try ingestBothWays(timestampedScrapes(40) + ["# EOF"])
        #expect(report.piecesParsed > 20)
        #expect(report.filesParsedAgain == 0)
        #expect(outcome.rejectedLines == 0)
        #expect(outcome.storedSamples == 40 * (3 + 8 + 2))
        #expect(outcome.samples.count == 3 + 8 + 2)
        #expect(outcome.metadata["app_latency"]?.hasPrefix("histogram") == true)
    }

    @Test func aBadLineInALaterPieceIsNamedWithItsLineInTheFile() throws {
        var lines = timestampedScrapes(30) + ["# EOF"]
        lines[300] = lines[300].replacingOccurrences(of: "} ", with: "} zebra ")
        let (outcome, report) = try ingestBothWays(lines)
        #expect(report.filesParsedAgain == 0)
        #expect(outcome.rejectedLines == 1)
        #expect(outcome.errors.count == 1)
        #expect(outcome.errors.first?.hasPrefix("/scrapes.om:301:") == true, "\(outcome.errors)")
    }

    @Test func strictModeStoresNothingOfACutFileWithAnErrorInALatePiece() throws {
        var lines = timestampedScrapes(30) + ["# EOF"]
        lines[lines.count - 2] = "heap_bytes{service=\"b\" 1 1"
        let (outcome, report) = try ingestBothWays(lines, strict: true)
        #expect(report.piecesParsed > 1)
        #expect(report.filesParsedAgain == 0)
        #expect(outcome.filesCommitted == 0)
        #expect(outcome.storedSamples == 0)
        let stored = outcome.samples.values.reduce(0) { $0 + $1.count }
        #expect(stored == 0)
        #expect(outcome.errors.first?.hasPrefix("/scrapes.om:\(lines.count - 1):") == true, "\(outcome.errors)")
    }

    @Test func aMissingEOFIsReportedAfterTheLastLine() throws {
        let lines = timestampedScrapes(20)
        let (outcome, report) = try ingestBothWays(lines)
        #expect(report.filesParsedAgain == 0)
        #expect(outcome.errors == ["/scrapes.om:\(lines.count + 1):1: OpenMetrics input does not end with # EOF"])
    }

    @Test func contentAfterAnEOFInTheMiddleIsReportedOnce() throws {
        var lines = timestampedScrapes(20) + ["# EOF"]
        lines.insert("# EOF", at: 100)
        let (outcome, report) = try ingestBothWays(lines)
        #expect(report.filesParsedAgain == 1)
        #expect(outcome.rejectedLines == 1)
        #expect(outcome.errors.first?.hasPrefix("/scrapes.om:102:") == true, "\(outcome.errors)")
    }

    @Test func metadataForAFamilyOfAnEarlierPieceIsJudgedAsInTheWholeFile() throws {
        var lines = timestampedScrapes(20) + ["# EOF"]
        // A second TYPE for heap_bytes, 200 lines after its first samples: an error the whole file reports.
        let scrape = lines.firstIndex { $0.hasPrefix("heap_bytes") && $0.hasSuffix(" 1700000150.000") } ?? 0
        lines.insert("# TYPE heap_bytes gauge", at: scrape)
        let (outcome, report) = try ingestBothWays(lines)
        #expect(report.filesParsedAgain == 1)
        #expect(outcome.rejectedLines == 1)
        #expect(outcome.errors.first?.contains("TYPE line for family heap_bytes") == true, "\(outcome.errors)")
    }

    @Test func aDuplicateSampleAcrossACutIsRejectedAsInTheWholeFile() throws {
        var lines = timestampedScrapes(20) + ["# EOF"]
        // heap_bytes{service="a"} of scrape 10 again after the next scrape's app_requests: other families between.
        let first = lines.firstIndex { $0.hasPrefix("heap_bytes{service=\"a\"}") && $0.hasSuffix(" 1700000150.000") } ?? 0
        lines.insert(lines[first].replacingOccurrences(of: "} 1010 ", with: "} 7 "), at: first + 6)
        lines.insert("# TYPE dup_marker gauge", at: first + 6)
        let (outcome, report) = try ingestBothWays(lines)
        #expect(report.filesParsedAgain == 1)
        #expect(outcome.rejectedLines == 1)
        #expect(outcome.errors.first?.contains("duplicate sample") == true, "\(outcome.errors)")
        #expect(outcome.errors.first?.contains("at the same time as line \(first + 1)") == true, "\(outcome.errors)")
    }

    @Test func aRejectedLineWhereTheFileWouldBeCutKeepsItsFamilyOpen() throws {
        var lines = timestampedScrapes(10) + ["# EOF"]
        // Between two buckets of a group of the declared histogram: the text rule would cut before the bad line,
        // which opens no family, so the group goes on and gets its +Inf bucket.
        let bucket = lines.firstIndex { $0.hasPrefix("app_latency_bucket{op=\"get\",le=\"0.1\"}") } ?? 0
        lines.insert("zzz{op=\"get\" 1 1", at: bucket + 1)
        let (outcome, report) = try ingestBothWays(lines)
        #expect(report.filesParsedAgain == 1)
        #expect(outcome.rejectedLines == 1)
        #expect(outcome.errors.first?.hasPrefix("/scrapes.om:\(bucket + 2):") == true, "\(outcome.errors)")
    }

    @Test func aFileWithNowhereToCutIsReadWhole() throws {
        var report = IngestReport()
        var lines = timestampedScrapes(3) + ["# EOF"]
        _ = try ingest(lines, split: true, name: "one.om", report: &report)
        #expect(report.piecesParsed > 1)
        lines = ["# TYPE x gauge"] + (0..<50).map { "x{k=\"\($0)\"} 1 1700000000" } + ["# EOF"]
        let outcome = try ingest(lines, split: true, name: "onefamily.om", report: &report)
        #expect(report.piecesParsed == 0)  // one family: nowhere to cut
        #expect(outcome.storedSamples == 50)
    }

    @Test func aTextFormatFileCutStoresWhatTheWholeFileStores() throws {
        let (outcome, report) = try ingestBothWays(timestampedScrapes(20, text: true), name: "scrapes.prom")
        #expect(report.piecesParsed > 10)
        #expect(report.filesParsedAgain == 0)
        #expect(outcome.rejectedLines == 0, "\(outcome.errors)")
        #expect(outcome.storedSamples == 20 * 13)
    }

    @Test func randomlyDamagedFilesStoreAndReportTheSameCutOrWhole() throws {
        var random = SplitMixRandom(seed: 0x5EED)
        let damages = [
            "zzz{op=\"x\" 1 1", "# TYPE heap_bytes gauge", "# HELP app_requests again", "# EOF", "",
            "app_latency_bucket{op=\"get\",le=\"0.5\"} 1 1700000000.000", "heap_bytes{service=\"a\"} 1 1700000015.000",
            "# TYPE new_family counter", "new_family_total 1 1700000030.000", "app_requests_total{op=\"get\"} -1 1700000045.000",
        ]
        for round in 0..<40 {
            let text = round % 4 == 3
            var lines = timestampedScrapes(12, text: text) + (text ? [] : ["# EOF"])
            for _ in 0..<Int(random.next() % 4 + 1) {
                let at = Int(random.next() % UInt64(lines.count))
                switch random.next() % 3 {
                case 0: lines.insert(damages[Int(random.next() % UInt64(damages.count))], at: at)
                case 1: lines.remove(at: at)
                default: lines.insert(lines[at], at: min(lines.count, at + Int(random.next() % 30)))
                }
            }
            _ = try ingestBothWays(lines, strict: random.next() % 4 == 0, name: text ? "scrapes.prom" : "scrapes.om")
        }
    }
}

/// A small seeded generator (SplitMix64), so that a failure repeats.
private struct SplitMixRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
