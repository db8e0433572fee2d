import ArgumentParser
import Foundation
import Sundial

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show what the store holds: series, samples, bytes on disk, bytes per sample, time range, blocks.",
        discussion: "Example: sundial stats --store ./sundial-data --format json")

    @OptionGroup var location: StoreLocation
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

    func run() throws {
        let store = try location.open(writable: false)
        let stats = store.statistics()
        print(StatsReport(stats: stats, path: location.path).render(format))
    }
}

/// Renders ``StoreStatistics`` in the three output formats.
struct StatsReport {
    let stats: StoreStatistics
    let path: String

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return (try? encoder.encode(stats)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        case .csv:
            var lines = [CSV.line(["metric", "series", "samples"])]
            for (name, count) in stats.metrics.sorted(by: { $0.key < $1.key }) {
                lines.append(CSV.line([name, String(count.series), String(count.samples)]))
            }
            return lines.joined(separator: "\n")
        case .table:
            var summary = KeyValueList()
            summary.add(["store", path])
            summary.add(["series", Human.count(stats.series)])
            summary.add(["samples", Human.count(stats.samples)])
            summary.add(["bytes", "\(Human.bytes(stats.bytes)) (\(String(format: "%.3f", stats.bytesPerSample)) bytes/sample)"])
            if let low = stats.minTime, let high = stats.maxTime {
                summary.add(["time range", "\(TimeArgument.format(ms: low)) to \(TimeArgument.format(ms: high))"])
            }
            summary.add(["blocks", "\(stats.blocks) (+ \(Human.count(stats.headSamples)) samples in the write-ahead log)"])
            if !stats.damagedBlocks.isEmpty { summary.add(["damaged", stats.damagedBlocks.joined(separator: ", ")]) }
            var metrics = TextTable(["metric", "series", "samples"])
            for (name, count) in stats.metrics.sorted(by: { $0.value.samples > $1.value.samples || ($0.value.samples == $1.value.samples && $0.key < $1.key) }) {
                metrics.add([name, Human.count(count.series), Human.count(count.samples)])
            }
            return summary.render() + "\n\n" + metrics.render()
        }
    }
}
