import ArgumentParser
import Foundation
import Sundial

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate Temporal-shaped scrapes, ingest them into a temporary store, and show what it holds.",
        discussion: "Example: sundial demo            (or: sundial demo --keep ./demo-store --hours 24)")

    @Option(help: "Keep the store in this directory instead of a temporary one.") var keep: String?
    @Option(help: "Hours of scrapes to generate (15 s interval, small scale).") var hours = 6
    @Option(help: "Random seed.") var seed: UInt64 = 1

    func run() throws {
        let work = NSTemporaryDirectory() + "sundial-demo-\(UUID().uuidString)"
        let scrapes = work + "/scrapes"
        let storePath = keep ?? work + "/store"
        defer { try? FileManager.default.removeItem(atPath: work) }

        var options = CorpusOptions()
        options.seed = seed
        options.scale = .small
        options.durationMs = Int64(hours) * 3_600_000
        let corpus = TemporalCorpus(options: options)
        print("Generating \(hours) h of scrapes of a small Temporal cluster (~\(Human.count(corpus.seriesCountEstimate)) series, 15 s interval)…")
        let files = try corpus.writeScrapeFiles(to: scrapes)
        let bytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        print("  \(files.count) scrape files, \(Human.bytes(bytes)) of Prometheus text in \(scrapes)\n")

        print("Ingesting into \(storePath)…")
        let store = try Store.open(at: storePath)
        let progress = ProgressBar(enabled: isatty(STDERR_FILENO) != 0, totalFiles: files.count, totalBytes: bytes)
        let report = try Ingestor(store: store).ingest(paths: [scrapes]) { done, read, samples in
            progress.update(filesDone: done, bytes: read, samples: samples)
        }
        progress.finish()
        print(IngestSummary(report: report).text.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        try store.compact()
        print("")
        print(StatsReport(stats: store.statistics(), path: storePath).render(.table))
        print("")
        print(DemoAnswers(store: store).render())
        store.close()
        if keep != nil { print("\nThe store is kept in \(storePath): try `sundial stats --store \(storePath)`.") }
    }
}
