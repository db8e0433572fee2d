import Foundation
import Testing
@testable import Sundial

/// A scratch directory with helpers to write scrape files.
struct Scratch {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "sundial-ingest-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path + "/scrapes", withIntermediateDirectories: true)
    }
    var scrapes: String { path + "/scrapes" }
    var store: String { path + "/store" }
    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: scrapes + "/" + name, atomically: true, encoding: .utf8)
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

private let header = """
    # HELP service_requests service_requests counter
    # TYPE service_requests counter

    """

private func values(_ store: Store, _ name: String, _ matchers: [LabelMatcher] = []) throws -> [[Sample]] {
    try store.snapshot().select([.equal("__name__", name)] + matchers).map { try $0.samples() }
}

@Suite struct IngestTests {
    @Test func scrapeFilesGetTheirTimeFromTheNameAndStaleMarkersWhenSeriesVanish() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try scratch.write("scrape-1732400015000.prom", header + "service_requests{operation=\"A\"} 20\n")
        try scratch.write("scrape-1732400000000.prom", header + "service_requests{operation=\"A\"} 10\nservice_requests{operation=\"B\"} 1\n")
        try scratch.write("scrape-1732400030000.prom", header + "service_requests{operation=\"A\"} 30\nservice_requests{operation=\"B\"} 2\n")
        let store = try Store.open(at: scratch.store)
        let report = try Ingestor(store: store).ingest(paths: [scratch.scrapes])
        #expect(report.files == 3)
        #expect(report.rejectedLines == 0)
        #expect(report.staleMarkers == 1)
        #expect(report.samples == 6)
        let a = try values(store, "service_requests", [.equal("operation", "A")])
        #expect(a == [[Sample(timestampMs: 1_732_400_000_000, value: 10), Sample(timestampMs: 1_732_400_015_000, value: 20),
                       Sample(timestampMs: 1_732_400_030_000, value: 30)]])
        let b = try values(store, "service_requests", [.equal("operation", "B")])[0]
        #expect(b.count == 3)
        #expect(StaleMarker.isStale(b[1].value))
        #expect(b[1].timestampMs == 1_732_400_015_000)
        #expect(store.snapshot().metadata()["service_requests"]?.kind == .counter)
        store.close()
    }

    @Test func reingestingTheSameFilesIsHarmless() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try scratch.write("scrape-1732400000000.prom", header + "service_requests{operation=\"A\"} 10\n")
        try scratch.write("scrape-1732400015000.prom", header + "service_requests{operation=\"A\"} 20\n")
        let store = try Store.open(at: scratch.store)
        _ = try Ingestor(store: store).ingest(paths: [scratch.scrapes])
        let again = try Ingestor(store: store).ingest(paths: [scratch.scrapes + "/scrape-1732400015000.prom", scratch.scrapes])
        #expect(again.newSeries == 0)
        #expect(try values(store, "service_requests").first?.count == 2)
        try store.compact()
        #expect(store.statistics().samples == 2)
        store.close()
    }

    @Test func badLinesAreNamedSkippedAndCounted() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try scratch.write("scrape-1732400000000.prom", header + """
            service_requests{operation="A"} 10
            service_requests{operation="A"} 11
            service_requests{operation="B} 1
            service_requests{operation="C"} zebra
            service_requests{operation="D"} 4

            """)
        let store = try Store.open(at: scratch.store)
        let report = try Ingestor(store: store).ingest(paths: [scratch.scrapes])
        #expect(report.rejectedLines == 3)
        #expect(report.errors.count == 3)
        #expect(report.errors[0].hasPrefix(scratch.scrapes + "/scrape-1732400000000.prom:4:"))
        #expect(report.errors[0].contains("duplicate"))
        #expect(report.errors[1].contains(":5:"))
        #expect(report.errors[2].contains(":6:"))
        #expect(try values(store, "service_requests").count == 2)  // A and D
        store.close()
    }

    @Test func strictModeStoresNothingOfABadFileAndTheRestOfTheGoodOnes() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try scratch.write("scrape-1732400000000.prom", header + "service_requests{operation=\"A\"} 10\n")
        try scratch.write("scrape-1732400015000.prom", header + "service_requests{operation=\"A\"} 20\nservice_requests{operation=\"A\" 1\n")
        try scratch.write("scrape-1732400030000.prom", header + "service_requests{operation=\"A\"} 30\n")
        let store = try Store.open(at: scratch.store)
        var options = IngestOptions()
        options.strict = true
        let report = try Ingestor(store: store, options: options).ingest(paths: [scratch.scrapes])
        #expect(report.rejectedLines == 1)
        #expect(report.filesCommitted == 2)
        #expect(try values(store, "service_requests").first?.map(\.value) == [10, 30])
        store.close()
    }

    @Test func extraLabelsGzipAndStandardTimeOverride() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try scratch.write("a.prom", header + "service_requests{operation=\"A\",cluster=\"old\"} 10\n")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", scratch.scrapes + "/a.prom"]
        try gzip.run()
        gzip.waitUntilExit()
        try FileManager.default.removeItem(atPath: scratch.scrapes + "/a.prom")
        let store = try Store.open(at: scratch.store)
        var options = IngestOptions()
        options.timeMs = 1_700_000_000_000
        options.extraLabels = [Label("cluster", "prod")]
        let report = try Ingestor(store: store, options: options).ingest(paths: [scratch.scrapes + "/a.prom.gz"])
        #expect(report.samples == 1)
        let series = try store.snapshot().select([.equal("__name__", "service_requests")])
        #expect(series.first?.labels["cluster"] == "prod")
        #expect(try series.first?.samples() == [Sample(timestampMs: 1_700_000_000_000, value: 10)])
        store.close()
    }

    @Test func openMetricsWithTimestampsNeedsNoFileTime() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try scratch.write("backfill.om", """
            # TYPE workflow_success counter
            workflow_success_total{namespace="default"} 1 1732400000.000
            workflow_success_total{namespace="default"} 3 1732400015.5
            # EOF

            """)
        let store = try Store.open(at: scratch.store)
        let report = try Ingestor(store: store).ingest(paths: [scratch.scrapes])
        #expect(report.rejectedLines == 0, "\(report.errors)")
        #expect(try values(store, "workflow_success_total").first == [
            Sample(timestampMs: 1_732_400_000_000, value: 1), Sample(timestampMs: 1_732_400_015_500, value: 3)])
        #expect(report.staleMarkers == 0)
        store.close()
    }

    @Test func fileNameTimestampPatterns() {
        #expect(ScrapeFileName.timestampMs(in: "scrape-1732400000000.prom") == 1_732_400_000_000)
        #expect(ScrapeFileName.timestampMs(in: "scrape-1732400000.prom") == 1_732_400_000_000)
        #expect(ScrapeFileName.timestampMs(in: "2024-11-23T22:13:20Z.prom") == 1_732_400_000_000)
        #expect(ScrapeFileName.timestampMs(in: "metrics-2024-11-23T22-13-20Z.txt.gz") == 1_732_400_000_000)
        #expect(ScrapeFileName.timestampMs(in: "20241123T221320Z.prom") == 1_732_400_000_000)
        #expect(ScrapeFileName.timestampMs(in: "2024-11-23T23:13:20.250+01:00.prom") == 1_732_400_000_250)
        #expect(ScrapeFileName.timestampMs(in: "metrics.prom") == nil)
    }
}
