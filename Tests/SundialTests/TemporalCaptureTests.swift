import Foundation
import Testing
@testable import Sundial

/// Ingests the real capture of a Temporal 1.32.0 dev server (Tests/Fixtures/temporal-capture: 24 gzipped
/// scrapes spanning a restart) and checks what a user would ask of it.
@Suite struct TemporalCaptureTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/temporal-capture").path

    @Test func realCaptureIngestsWithoutRejectsAndKeepsEverySeries() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let store = try Store.open(at: scratch.store)
        let report = try Ingestor(store: store).ingest(paths: [Self.fixture])
        #expect(report.files == 24)
        #expect(report.rejectedLines == 0, "\(report.errors.prefix(3))")
        #expect(report.seriesSeen == 39_115)
        #expect(report.samples - report.staleMarkers == 827_460)
        // Series that vanished across the restart got staleness markers.
        #expect(report.staleMarkers > 1000)

        let snapshot = store.snapshot()
        let metadata = snapshot.metadata()
        #expect(metadata["service_requests"]?.kind == .counter)
        #expect(metadata["persistence_latency"]?.kind == .histogram)
        #expect(metadata["persistence_latency"]?.help == "persistence_latency histogram")
        #expect(snapshot.metricNames().contains("service_error_with_type"))
        #expect(!snapshot.metricNames().contains("persistence_errors"))
        #expect(snapshot.labelValues(for: "namespace").contains("temporal_system"))
        // Tally buckets in seconds, up to 1000, with +Inf.
        let bounds = Set(snapshot.labelValues(for: "le"))
        #expect(bounds.isSuperset(of: ["0.001", "1000", "+Inf"]))

        // Counters restart from zero after the restart: some service_requests series go down.
        var resets = 0
        for series in try snapshot.select([.equal("__name__", "service_requests")]) {
            let values = try series.samples().map(\.value).filter { !$0.isNaN }
            resets += zip(values, values.dropFirst()).filter { $1 < $0 }.count
        }
        #expect(resets > 0)
        #expect(try store.check().isHealthy)
        store.close()
    }
}
