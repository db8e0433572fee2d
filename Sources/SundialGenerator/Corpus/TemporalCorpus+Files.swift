import Foundation

/// A file of the corpus could not be written.
public struct CorpusWriteError: Error, CustomStringConvertible, Sendable {
    /// The file or directory concerned.
    public let path: String
    /// What went wrong, from the operating system.
    public let reason: String

    /// One sentence a user can act on.
    public var description: String { "could not write \(path): \(reason)" }
}

extension TemporalCorpus {
    /// Writes every answered scrape as `DIR/scrape-<unix ms>.prom` (Prometheus text, no timestamps); with
    /// several instances, as `DIR/temporal-<k>/scrape-<unix ms>.prom`. Failed scrapes have no file.
    ///
    /// Memory stays flat: one scrape buffer is reused.
    /// - Parameter directory: created if missing.
    /// - Returns: the paths written, instance by instance, in time order.
    /// - Throws: ``CorpusWriteError`` naming the file that could not be created or written.
    @discardableResult
    public func writeScrapeFiles(to directory: String) throws -> [String] {
        var paths: [String] = []
        var buffer: [UInt8] = []
        for instance in 0..<instanceCount {
            let folder = instanceCount == 1 ? directory : directory + "/" + instanceName(instance)
            try createDirectory(folder)
            var iterator = makeIterator(instance: instance)
            while let (_, timestampMs) = iterator.nextScrape(replacing: &buffer) {
                let path = folder + "/scrape-\(timestampMs).prom"
                do {
                    try Data(buffer).write(to: URL(fileURLWithPath: path))
                } catch {
                    throw CorpusWriteError(path: path, reason: "\(error)")
                }
                paths.append(path)
            }
        }
        return paths
    }

    /// Writes the whole corpus as one OpenMetrics 1.0 file, as `promtool tsdb create-blocks-from openmetrics`
    /// takes it: every sample with its timestamp in float seconds, each family's `# HELP`/`# TYPE` once
    /// (before its first sample), `# EOF` at the end.
    ///
    /// Scrapes are streamed in time order (all instances of one timestamp together), so memory stays flat
    /// for any duration. With several instances every series gets an `instance="temporal-<k>:9090"` label,
    /// as Prometheus would add; with one instance the series are exactly those of the scrape files.
    /// Timestamps are written so that Prometheus's parser (which truncates `seconds * 1000`) gets the exact
    /// millisecond back.
    /// - Parameter path: the file to create or replace.
    /// - Throws: ``CorpusWriteError`` if the file cannot be created or written.
    public func writeOpenMetrics(to path: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty { try createDirectory(parent) }
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw CorpusWriteError(path: path, reason: "cannot create the file")
        }
        defer { try? handle.close() }
        var engines: [ScrapeEngine] = (0..<instanceCount).map { instance in
            let labels = instanceCount == 1 ? [] : [("instance", instanceName(instance) + ":9090")]
            let catalog = instanceCount == 1
                ? catalogs[instance]
                : SeriesCatalog(options: options, schedule: schedules[instance], extraLabels: labels)
            return engine(instance: instance, catalog: catalog)
        }
        var headerWritten: [Bool]? = Array(repeating: false, count: engines.first?.catalog.layout.families.count ?? 0)
        var buffer: [UInt8] = []
        do {
            for index in 0..<scrapeCount {
                buffer.removeAll(keepingCapacity: true)
                for k in engines.indices where engines[k].step() {
                    let suffix = [0x20] + TemporalCorpus.openMetricsTimestamp(schedules[k].timestampMs(index))
                    engines[k].render(into: &buffer, timestampSuffix: suffix, headerWritten: &headerWritten)
                }
                try handle.write(contentsOf: buffer)
            }
            try handle.write(contentsOf: Array("# EOF\n".utf8))
        } catch {
            throw CorpusWriteError(path: path, reason: "\(error)")
        }
    }

    /// Unix ms as OpenMetrics float seconds (`1767225615.023`) that Prometheus reads back as exactly `ms`.
    ///
    /// Prometheus converts with `int64(seconds * 1000)`, truncating; when the nearest double to the decimal
    /// seconds lands just below the millisecond, the next double up is written instead (its shortest digits).
    /// - Parameter ms: Unix milliseconds (not negative).
    /// - Returns: the ASCII text.
    static func openMetricsTimestamp(_ ms: Int64) -> [UInt8] {
        let whole = ms / 1000, fraction = ms % 1000
        var text = Array(String(whole).utf8)
        if fraction != 0 {
            var digits = Array(String(fraction).utf8)
            while digits.count < 3 { digits.insert(0x30, at: 0) }
            while digits.last == 0x30 { digits.removeLast() }
            text.append(0x2E)
            text += digits
        }
        guard var seconds = Double(String(decoding: text, as: UTF8.self)) else { return text }
        if Int64(seconds * 1000) == ms { return text }
        for _ in 0..<8 {
            seconds = seconds.nextUp
            if Int64(seconds * 1000) == ms { return Array(seconds.description.utf8) }
        }
        return text
    }

    private func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CorpusWriteError(path: path, reason: "\(error)")
        }
    }
}
