import Foundation
import Sundial

/// The store the query benchmarks read: 24 h of standard-scale scrapes (seed 1, 18.4 M samples),
/// ingested and compacted once, then kept in the temporary directory for later runs (package-benchmark
/// runs every benchmark in a process of its own). `SUNDIAL_BENCH_STORE=DIR` reads another store instead,
/// for instance the one `tools/compare-peers --keep DIR` leaves in `DIR/sundial`. Delete
/// `$TMPDIR/sundial-bench-query-*` to rebuild it (after a change of the store format, say).
enum QueryStore {
    /// Where the store is.
    static let path = ProcessInfo.processInfo.environment["SUNDIAL_BENCH_STORE"]
        ?? NSTemporaryDirectory() + "sundial-bench-query-standard-24h-seed1"

    /// Opens the store read-only, building it first when there is none.
    static func open() throws -> Store {
        let complete = path + ".complete"
        if ProcessInfo.processInfo.environment["SUNDIAL_BENCH_STORE"] == nil,
           !FileManager.default.fileExists(atPath: complete) {
            try build()
            FileManager.default.createFile(atPath: complete, contents: Data())
        }
        return try Store.open(at: path, options: .readOnly)
    }

    /// Generates the scrapes, ingests them as `sundial ingest` does, compacts, removes the scrapes.
    static func build() throws {
        let files = FileManager.default
        let scrapes = path + "-scrapes"
        try? files.removeItem(atPath: path)
        try? files.removeItem(atPath: scrapes)
        var options = CorpusOptions()
        options.scale = .standard
        options.durationMs = 24 * 3_600_000
        _ = try TemporalCorpus(options: options).writeScrapeFiles(to: scrapes)
        let store = try Store.open(at: path)
        _ = try Ingestor(store: store).ingest(paths: [scrapes])
        _ = try store.compact()
        store.close()
        try files.removeItem(atPath: scrapes)
    }
}
