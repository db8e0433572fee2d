import Foundation

/// One input of an ingest run, with the time its untimestamped samples get and where that came from.
public struct InputFile: Sendable, Equatable {
    /// The path, or `-` for standard input.
    public var path: String
    /// The scrape time, when known.
    public var timeMs: Int64?
    /// Bytes on disk (0 for standard input).
    public var bytes: Int
    /// The directory the file was found in: scrapes of one directory form one target for staleness.
    public var target: String

    /// Expands paths (files, directories recursively, `-`) into files sorted by time, then path.
    /// Hidden files and directories are skipped; in directories only files that look like scrapes
    /// (`.prom`, `.txt`, `.om`, `.openmetrics`, `.metrics`, with optional `.gz`, or no extension) are taken.
    public static func expand(_ paths: [String], timeOverrideMs: Int64?) throws(IngestError) -> [InputFile] {
        var files: [InputFile] = []
        let manager = FileManager.default
        for path in paths {
            if path == "-" {
                files.append(InputFile(path: "-", timeMs: timeOverrideMs, bytes: 0, target: "-"))
                continue
            }
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .unreadable(path: path, reason: "no such file or directory")
            }
            if isDirectory.boolValue {
                guard let walker = manager.enumerator(atPath: path) else { throw .unreadable(path: path, reason: "cannot list the directory") }
                var found: [String] = []
                while let relative = walker.nextObject() as? String {
                    let name = (relative as NSString).lastPathComponent
                    if name.hasPrefix(".") {
                        walker.skipDescendants()
                        continue
                    }
                    let full = path + "/" + relative
                    var childIsDirectory: ObjCBool = false
                    if manager.fileExists(atPath: full, isDirectory: &childIsDirectory), !childIsDirectory.boolValue,
                       looksLikeScrape(name) {
                        found.append(full)
                    }
                }
                for file in found { files.append(try describe(file, timeOverrideMs: timeOverrideMs)) }
            } else {
                files.append(try describe(path, timeOverrideMs: timeOverrideMs))
            }
        }
        return files.sorted { ($0.timeMs ?? .min, $0.path) < ($1.timeMs ?? .min, $1.path) }
    }

    static func looksLikeScrape(_ name: String) -> Bool {
        var base = name
        if base.hasSuffix(".gz") { base = String(base.dropLast(3)) }
        guard let dot = base.lastIndex(of: ".") else { return true }
        let ext = base[base.index(after: dot)...].lowercased()
        return ["prom", "txt", "om", "openmetrics", "metrics", "text"].contains(ext) || ext.allSatisfy(\.isNumber)
    }

    static func describe(_ path: String, timeOverrideMs: Int64?) throws(IngestError) -> InputFile {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        let name = (path as NSString).lastPathComponent
        let modified = (attributes[.modificationDate] as? Date).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
        let time = timeOverrideMs ?? ScrapeFileName.timestampMs(in: name) ?? modified
        return InputFile(path: path, timeMs: time, bytes: (attributes[.size] as? Int) ?? 0,
                         target: (path as NSString).deletingLastPathComponent)
    }
}

/// Reads a scrape time out of a file name (docs: README "Ingest"). Recognised, first match wins:
/// - Unix milliseconds, 13 digits: `scrape-1732400000000.prom`;
/// - Unix seconds, 10 digits: `scrape-1732400000.prom`;
/// - ISO 8601 / RFC 3339 in UTC or with an offset, with `:` or `-` between time fields or none:
///   `2024-11-24T00:00:00Z`, `2024-11-24T00-00-00Z`, `20241124T000000Z`, `2024-11-24_00-00-00` (UTC assumed
///   without a zone), with optional fractional seconds.
public enum ScrapeFileName {
    /// The time in Unix milliseconds, or nil when the name holds none.
    public static func timestampMs(in name: String) -> Int64? {
        if let iso = isoTimestamp(in: name) { return iso }
        var digits = ""
        var runs: [String] = []
        for ch in name {
            if ch.isASCII && ch.isNumber { digits.append(ch) } else {
                if !digits.isEmpty { runs.append(digits) }
                digits = ""
            }
        }
        if !digits.isEmpty { runs.append(digits) }
        if let ms = runs.first(where: { $0.count == 13 }), let value = Int64(ms) { return value }
        if let s = runs.first(where: { $0.count == 10 }), let value = Int64(s) { return value * 1000 }
        return nil
    }

    private static let isoPattern = try? NSRegularExpression(
        pattern: #"(\d{4})-?(\d{2})-?(\d{2})[T_ ](\d{2})[:\-]?(\d{2})[:\-]?(\d{2})(?:[.,](\d{1,9}))?(Z|[+\-]\d{2}:?\d{2})?"#)

    static func isoTimestamp(in name: String) -> Int64? {
        guard let pattern = isoPattern else { return nil }
        let range = NSRange(name.startIndex..., in: name)
        guard let match = pattern.firstMatch(in: name, range: range) else { return nil }
        func group(_ i: Int) -> String? {
            guard let r = Range(match.range(at: i), in: name) else { return nil }
            return String(name[r])
        }
        guard let y = group(1).flatMap(Int.init), let mo = group(2).flatMap(Int.init), let d = group(3).flatMap(Int.init),
              let h = group(4).flatMap(Int.init), let mi = group(5).flatMap(Int.init), let s = group(6).flatMap(Int.init),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        var components = DateComponents()
        components.year = y; components.month = mo; components.day = d
        components.hour = h; components.minute = mi; components.second = s
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        guard let date = calendar.date(from: components) else { return nil }
        var ms = Int64(date.timeIntervalSince1970) * 1000
        if let fraction = group(7) {
            let padded = (fraction + "000").prefix(3)
            ms += Int64(padded) ?? 0
        }
        if let zone = group(8), zone != "Z" {
            let sign: Int64 = zone.hasPrefix("-") ? -1 : 1
            let digits = zone.dropFirst().filter(\.isNumber)
            let hours = Int64(digits.prefix(2)) ?? 0
            let minutes = Int64(digits.suffix(2)) ?? 0
            ms -= sign * (hours * 3_600_000 + minutes * 60_000)
        }
        return ms
    }
}
