import ArgumentParser
import Foundation
import Sundial

/// The scale presets of the generator, by name.
enum ScaleName: String, ExpressibleByArgument, CaseIterable {
    case tiny, small, standard, large

    var scale: CorpusScale {
        switch self {
        case .tiny: .tiny
        case .small: .small
        case .standard: .standard
        case .large: .large
        }
    }
}

enum NamingName: String, ExpressibleByArgument, CaseIterable {
    case tally, otel

    var naming: TemporalNaming { self == .tally ? .tally : .openTelemetry }
}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write realistic Temporal-server scrapes: one file per scrape, or one timestamped OpenMetrics file.",
        discussion: """
            Deterministic from --seed. Scales: tiny (~370 series), small (~1,100), standard (~3,400: 30 persistence
            operations x 2 services, 25 service operations x 5 namespaces, 13-bucket histograms), large (~42,000).
            Incident windows raise error ratios and latencies; restarts reset counters and drop a scrape or two.
            Example: sundial generate --scale standard --duration 24h --out scrapes/
                     sundial generate --scale standard --duration 24h --openmetrics corpus.om
            """)

    @Option(help: "Directory for scrape-<unix ms>.prom files.") var out: String?
    @Option(help: "Write one OpenMetrics file with a timestamp on every sample instead.") var openmetrics: String?
    @Option(help: "Size of the simulated server: tiny, small, standard, large.") var scale: ScaleName = .standard
    @Option(help: "How much time the scrapes cover, e.g. 6h, 24h, 30d.") var duration = "6h"
    @Option(help: "Scrape interval, e.g. 15s.") var interval = "15s"
    @Option(help: "Time of the first scrape (Unix seconds, RFC 3339, -24h). Default: 2026-01-01T00:00:00Z.") var start: String?
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Exporter naming: tally (Temporal's default) or otel (OpenTelemetry).") var naming: NamingName = .tally
    @Flag(help: "No incident windows.") var noIncidents = false
    @Flag(help: "No server restarts.") var noRestarts = false

    func validate() throws {
        if (out == nil) == (openmetrics == nil) { throw ValidationError("give exactly one of --out DIR or --openmetrics FILE") }
    }

    func run() throws {
        let corpus = TemporalCorpus(options: try options())
        let started = Date()
        if let out {
            let files = try corpus.writeScrapeFiles(to: out)
            print("wrote \(files.count) scrape files (~\(Human.count(corpus.seriesCountEstimate)) series each) to \(out) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        } else if let openmetrics {
            try corpus.writeOpenMetrics(to: openmetrics)
            print("wrote \(openmetrics) (\(corpus.scrapeCount) scrapes, ~\(Human.count(corpus.seriesCountEstimate)) series) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
    }

    func options() throws -> CorpusOptions {
        var options = CorpusOptions()
        options.seed = seed
        options.scale = scale.scale
        options.naming = naming.naming
        options.durationMs = try parseDuration(duration)
        options.scrapeIntervalMs = try parseDuration(interval)
        if let start { options.startMs = try parseTime(start) }
        options.incidents = !noIncidents
        options.restarts = !noRestarts
        guard options.scrapeIntervalMs > 0, options.durationMs >= options.scrapeIntervalMs else {
            throw ValidationError("--duration must cover at least one --interval")
        }
        return options
    }
}
