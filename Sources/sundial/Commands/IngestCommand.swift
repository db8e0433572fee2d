import ArgumentParser
import Foundation
import Sundial

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Store scraped metrics files: Prometheus text or OpenMetrics; files, directories, - for stdin, .gz.",
        discussion: """
            Scrapes without per-sample timestamps take their time from --time, else a timestamp in the file name
            (scrape-1732400000000.prom, scrape-1732400000.prom, 2024-11-24T00:00:00Z.prom, 20241124T000000Z.prom),
            else the file's modification time. Bad lines are reported as file:line:column and skipped; the exit
            status is 1 when any line was rejected. Each file is stored whole or not at all.
            Example: sundial ingest --store ./sundial-data --label cluster=prod scrapes/
            """)

    @OptionGroup var location: StoreLocation
    @Option(help: "The time of samples without a timestamp (Unix seconds, RFC 3339, now, -6h).") var time: String?
    @Option(name: .customLong("label"), help: "A label added to every series, k=v; repeatable.") var labels: [String] = []
    @Flag(help: "Stop a file at its first bad line and store nothing of it.") var strict = false
    @Flag(help: "No progress bar.") var quiet = false
    @Flag(help: "Do not write staleness markers for series that vanish between scrape files.") var noStaleMarkers = false
    @Argument(help: "Files, directories (searched recursively), or - for standard input.") var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("name at least one file, directory or -") }
        for label in labels where !label.contains("=") { throw ValidationError("--label \(label): expected name=value") }
    }

    func run() throws {
        useOneMallocArena()
        var options = IngestOptions()
        options.timeMs = try time.map(parseTime)
        options.extraLabels = labels.map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return Label(String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
        options.strict = strict
        options.staleMarkers = !noStaleMarkers
        let store = try location.open(writable: true)
        defer { store.close() }
        let files = try InputFile.expand(paths, timeOverrideMs: options.timeMs)
        let progress = ProgressBar(enabled: !quiet && isatty(STDERR_FILENO) != 0, totalFiles: files.count,
                                   totalBytes: files.reduce(0) { $0 + $1.bytes })
        let report = try Ingestor(store: store, options: options).ingest(files: files) { files, bytes, samples in
            progress.update(filesDone: files, bytes: bytes, samples: samples)
        }
        progress.finish()
        for error in report.errors { printError(error) }
        if report.rejectedLines > report.errors.count {
            printError("… and \(report.rejectedLines - report.errors.count) more rejected lines")
        }
        print(IngestSummary(report: report).text)
        if report.rejectedLines > 0 { throw ExitCode(1) }
    }
}

/// glibc gives each thread that allocates its own malloc arena; ingest's parsing threads allocate the
/// batches that the storing thread frees, so each arena keeps freed pages of its own and the process held
/// about 20 MB more at its peak (docs/PERFORMANCE.md, "Ingest (issue 3)"). One arena keeps them in one
/// pool; the threads allocate rarely enough that they do not wait on its lock.
/// Swift's Glibc module leaves out `malloc.h`, so `mallopt` is looked up by name.
private func useOneMallocArena() {
    #if canImport(Glibc)
    typealias MalloptFunction = @convention(c) (Int32, Int32) -> Int32
    let arenaMaximum: Int32 = -8  // M_ARENA_MAX in malloc.h
    guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "mallopt") else { return }
    _ = unsafeBitCast(symbol, to: MalloptFunction.self)(arenaMaximum, 1)
    #endif
}

/// The one-paragraph summary printed at the end of an ingest.
struct IngestSummary {
    let report: IngestReport
    var text: String {
        let rate = report.samplesPerSecond >= 1e6
            ? String(format: "%.2fM", report.samplesPerSecond / 1e6) : String(format: "%.0f", report.samplesPerSecond)
        var pieces = ""
        if report.piecesParsed > 0 || report.filesParsedAgain > 0 {
            pieces = "; \(Human.count(report.piecesParsed)) pieces parsed in parallel"
            if report.filesParsedAgain > 0 { pieces += ", \(Human.count(report.filesParsedAgain)) files parsed again whole" }
        }
        return """
            files      \(Human.count(report.files)) (\(Human.count(report.filesCommitted)) stored, \(Human.bytes(report.bytes))\(pieces))
            samples    \(Human.count(report.samples)) (\(Human.count(report.staleMarkers)) staleness markers)
            series     \(Human.count(report.seriesSeen)) in these files; \(Human.count(report.newSeries)) new, \(Human.count(report.totalSeries)) in the store
            rejected   \(Human.count(report.rejectedLines)) lines
            time       \(String(format: "%.2f", report.seconds)) s, \(rate) samples/s
            """
    }
}

/// A one-line progress bar on standard error, redrawn at most ten times a second.
final class ProgressBar {
    private let enabled: Bool
    private let totalFiles: Int
    private let totalBytes: Int
    private let started = Date()
    private var lastDraw = Date.distantPast

    init(enabled: Bool, totalFiles: Int, totalBytes: Int) {
        self.enabled = enabled
        self.totalFiles = totalFiles
        self.totalBytes = totalBytes
    }

    func update(filesDone: Int, bytes: Int, samples: Int) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let fraction = totalBytes > 0 ? min(1, Double(bytes) / Double(totalBytes)) : Double(filesDone) / Double(max(totalFiles, 1))
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let eta = fraction > 0.01 ? elapsed / fraction - elapsed : 0
        let rate = String(format: "%.2f", Double(samples) / elapsed / 1e6)
        let line = "\r[\(bar)] files \(filesDone)/\(totalFiles)  \(Human.bytes(bytes))/\(Human.bytes(totalBytes))  "
            + "\(rate)M samples/s  \(TimeArgument.format(durationMs: Int64(eta * 1000))) left "
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: 100) + "\r").utf8))
    }
}
