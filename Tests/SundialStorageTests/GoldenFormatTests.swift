import Foundation
import Testing
@testable import SundialStorage

/// Pins the on-disk format (docs/FORMAT.md: blocks version 8, write-ahead segments and manifests
/// version 1) byte for byte, and that blocks of versions 1, 2 and 4 still read. If a change here is deliberate,
/// bump the format version, update docs/FORMAT.md, and regenerate with `SUNDIAL_UPDATE_GOLDEN=1 swift test
/// --filter GoldenFormatTests`.
@Suite struct GoldenFormatTests {
    static let fixtures = Bundle.module.resourcePath.map { $0 + "/Fixtures" } ?? "Fixtures"
    static let sourceFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// The content every golden file is made from: two histogram buckets sharing timestamps, a
    /// counter with a reset, a gauge with special values, and metadata.
    static func goldenSeries() -> [(LabelSet, [Sample])] {
        let t0: Int64 = 1_732_400_000_000
        let ts = (0..<6).map { t0 + Int64($0) * 15_000 + ($0 == 3 ? 7 : 0) }
        return [
            (LabelSet(name: "persistence_latency_bucket", ["operation": "GetWorkflowExecution", "le": "0.005"]),
             zip(ts, [1, 3, 4, 8, 10, 11] as [Double]).map { Sample(timestampMs: $0, value: $1) }),
            (LabelSet(name: "persistence_latency_bucket", ["operation": "GetWorkflowExecution", "le": "+Inf"]),
             zip(ts, [2, 4, 5, 9, 11, 12] as [Double]).map { Sample(timestampMs: $0, value: $1) }),
            (LabelSet(name: "service_requests", ["namespace": "default", "operation": "StartWorkflowExecution"]),
             zip(ts, [100, 210, 330, 5, 120, 230] as [Double]).map { Sample(timestampMs: $0, value: $1) }),
            (LabelSet(name: "num_goroutines", ["service_name": "history"]),
             [Sample(timestampMs: t0, value: 0.25), Sample(timestampMs: t0 + 20_000, value: .infinity),
              Sample(timestampMs: t0 + 35_000, value: -0.0), Sample(timestampMs: t0 + 50_000, value: StaleMarker.value)]),
        ]
    }

    static let goldenMetadata = [
        MetricMetadata(name: "persistence_latency", kind: .histogram, help: "persistence_latency histogram"),
        MetricMetadata(name: "service_requests", kind: .counter, help: "service_requests counter"),
        MetricMetadata(name: "num_goroutines", kind: .gauge, help: "num_goroutines gauge", unit: ""),
    ]

    private func compare(_ produced: [UInt8], toFixture name: String) throws {
        if ProcessInfo.processInfo.environment["SUNDIAL_UPDATE_GOLDEN"] == "1" {
            try Data(produced).write(to: URL(fileURLWithPath: Self.sourceFixtures + "/" + name))
            return
        }
        let golden = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/" + name)))
        #expect(produced == golden, "\(name) changed: \(produced.count) bytes now, \(golden.count) in the fixture")
    }

    @Test func blockFileBytesMatchTheGoldenFile() throws {
        let dir = TemporaryDirectory("golden")
        defer { dir.remove() }
        let series = Self.goldenSeries().sorted { $0.0 < $1.0 }
        let writer = try BlockWriter(path: dir.path + "/golden.block", series: series.map(\.0), metadata: Self.goldenMetadata)
        // A seek point every 2 values, so that these short chunks carry seek tables (of 2 points, or 1 for
        // the gauge's 4 values).
        writer.seekInterval = 2
        writer.beginWindow()
        // The finite bucket is stored as its difference from the +Inf bucket, which is added first.
        let infinity = try #require(series.firstIndex { $0.0["le"] == "+Inf" })
        let infinityValues = series[infinity].1.map(\.value)
        for (i, (labels, samples)) in series.enumerated() {
            let ts = samples.map(\.timestampMs)
            let vs = samples.map(\.value)
            try ts.withUnsafeBufferPointer { t in
                try vs.withUnsafeBufferPointer { v in
                    try infinityValues.withUnsafeBufferPointer { r in
                        try writer.addChunk(series: i, timestamps: t, values: v,
                                            reference: labels["le"] == "0.005" ? (infinity, r) : nil)
                    }
                }
            }
        }
        let summary = try writer.finish(level: 0)
        #expect(summary?.sampleCount == 22)
        try compare([UInt8](Data(contentsOf: URL(fileURLWithPath: dir.path + "/golden.block"))), toFixture: "golden-v8.block")
    }

    /// The value chunks of versions 4 and 8 carry seek points that `verify` checks, and reading from any of them
    /// gives what reading from the start gives.
    @Test(arguments: [("golden-v4.block", 4), ("golden-v8.block", 8)])
    func goldenBlockCarriesSeekPoints(_ fixture: String, version: Int) throws {
        let reader = try BlockReader(path: Self.fixtures + "/" + fixture, level: 0)
        #expect(Int(reader.version) == version)
        var ts: [Int64] = []
        var whole: [Double] = []
        var part: [Double] = []
        var pointCounts: [Int] = []
        for chunks in reader.index.seriesChunks {
            let chunk = try #require(chunks.first)
            try reader.decode(chunk, timestamps: &ts, values: &whole)
            let points = try reader.withChunkBytes(chunk.values) { (raw) throws(FormatError) in
                try ValueCodec.seekPoints(raw, count: ts.count, layout: reader.valueLayout)
            }
            pointCounts.append(points.count)
            for (i, t) in ts.enumerated() {
                let inside = try reader.decode(chunk, from: t, through: t, timestamps: &ts, values: &part)
                #expect(inside == i..<(i + 1))
                #expect(part[i].bitPattern == whole[i].bitPattern)
            }
        }
        #expect(pointCounts.sorted() == [1, 2, 2, 2])
        try reader.verify()
    }

    /// Version 2 summarises the three integral chunks (the bucket, its `+Inf`, the counter with a reset),
    /// not the gauge holding a float, an infinity and a stale marker.
    @Test func goldenBlockCarriesChunkSummaries() throws {
        let reader = try BlockReader(path: Self.fixtures + "/golden-v2.block", level: 0)
        #expect(reader.version == 2)
        var summaries: [String: ChunkValueSummary?] = [:]
        for id in 0..<reader.index.seriesCount {
            let labels = reader.index.labels(ofSeries: id)
            summaries[labels.metricName + (labels["le"] ?? "")] = reader.index.seriesChunks[id].first?.summary
        }
        #expect(summaries["persistence_latency_bucket0.005"] == ChunkValueSummary(first: 1, last: 11, correction: nil))
        #expect(summaries["persistence_latency_bucket+Inf"] == ChunkValueSummary(first: 2, last: 12, correction: nil))
        #expect(summaries["service_requests"] == ChunkValueSummary(first: 100, last: 230, correction: 330))
        #expect(summaries["num_goroutines"] == .some(nil))
        let v1 = try BlockReader(path: Self.fixtures + "/golden-v1.block", level: 0)
        #expect(v1.version == 1)
        #expect(v1.index.seriesChunks.allSatisfy { $0.allSatisfy { $0.summary == nil } })
    }

    @Test(arguments: ["golden-v1.block", "golden-v2.block", "golden-v4.block", "golden-v8.block"])
    func goldenBlockStillReadsBackExactly(_ fixture: String) throws {
        let reader = try BlockReader(path: Self.fixtures + "/" + fixture, level: 0)
        #expect(reader.index.seriesCount == 4)
        #expect(reader.index.metadata.map(\.name) == ["num_goroutines", "persistence_latency", "service_requests"])
        #expect(reader.index.columns.count == 2)  // three series share the scrape timestamps
        var ts: [Int64] = []
        var vs: [Double] = []
        for (labels, samples) in Self.goldenSeries() {
            let id = try #require(reader.index.seriesMatching([.equal("__name__", labels.metricName)] + labels.labels.map { .equal($0.name, $0.value) }).first)
            try reader.decode(try #require(reader.index.seriesChunks[id].first), timestamps: &ts, values: &vs)
            #expect(zip(ts, vs).map { Sample(timestampMs: $0, value: $1) } == samples)
        }
        try reader.verify()
        let composition = try reader.composition()
        #expect(composition.valueChunks["difference"] == 1)
    }

    @Test func writeAheadRecordAndManifestBytesMatchTheGoldenFiles() throws {
        var batch = WriteAheadBatch()
        for (i, (labels, samples)) in Self.goldenSeries().enumerated() {
            batch.newSeries.append((UInt32(i), labels))
            for s in samples {
                batch.refs.append(UInt32(i))
                batch.timestamps.append(s.timestampMs)
                batch.values.append(s.value)
            }
        }
        batch.metadata = Self.goldenMetadata
        try compare(WriteAheadLog.header() + Frame.encode(batch.serialized()), toFixture: "golden-v1.wal")

        var manifest = Manifest()
        manifest.generation = 3
        manifest.walStartSegment = 2
        manifest.nextBlockSequence = 5
        manifest.blocks = [BlockSummary(name: "0000000004.block", minTimeMs: 1_732_400_000_000, maxTimeMs: 1_732_400_075_007,
                                        seriesCount: 4, sampleCount: 22, bytes: 400, level: 1)]
        try compare(manifest.serialized(), toFixture: "golden-v1.manifest")
        #expect(try Manifest(parsing: manifest.serialized(), path: "m") == manifest)
    }
}
