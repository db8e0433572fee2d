import ArgumentParser
import Foundation
import Sundial

/// `--store DIR`: default `$SUNDIAL_STORE`, else `./sundial-data`.
struct StoreLocation: ParsableArguments {
    @Option(name: .long, help: "The store directory (default: $SUNDIAL_STORE, else ./sundial-data).")
    var store: String?

    var path: String {
        store ?? ProcessInfo.processInfo.environment["SUNDIAL_STORE"] ?? "./sundial-data"
    }

    /// Opens the store, read-only unless `writable`.
    func open(writable: Bool, options: StoreOptions = StoreOptions()) throws -> Store {
        var options = options
        options.readOnly = !writable
        if !writable && !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("no store at \(path); ingest something first (sundial ingest) or pass --store")
        }
        return try Store.open(at: path, options: options)
    }
}

/// `--format table|json|csv`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Says on standard error which blocks an answer leaves out: damaged ones, and ones a newer Sundial
/// wrote. The store opens without them, so the answer must not pass for a whole one.
func warnAboutLeftOutBlocks(_ snapshot: Snapshot) {
    for (name, error) in snapshot.damagedBlocks {
        printError("warning: block \(name) is left out of this answer: \(error.description); `sundial check` reports on it")
    }
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Parses a duration option, as a validation error when it is malformed.
func parseDuration(_ text: String) throws -> Int64 {
    do { return try TimeArgument.durationMs(text) } catch { throw ValidationError(error.description) }
}

/// Parses a size such as `512MiB`, `2GiB`, `4G` or a plain number of bytes (K, M, G and T count in
/// powers of 1024, with or without `iB`/`B`).
func parseByteSize(_ text: String) throws -> Int {
    let units: [(String, Int)] = [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10),
                                  ("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10),
                                  ("T", 1 << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10), ("B", 1)]
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let (number, unit) = units.first { trimmed.uppercased().hasSuffix($0.0.uppercased()) }
        .map { (String(trimmed.dropLast($0.0.count)), $0.1) } ?? (trimmed, 1)
    guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value > 0,
          value * Double(unit) < Double(Int.max) else {
        throw ValidationError("'\(text)' is not a size; write e.g. 512MiB, 2GiB or a number of bytes")
    }
    return Int(value * Double(unit))
}

/// Parses a time option, as a validation error when it is malformed.
func parseTime(_ text: String) throws -> Int64 {
    do { return try TimeArgument.timeMs(text) } catch { throw ValidationError(error.description) }
}

extension StorageError: LocalizedError {
    public var errorDescription: String? { description }
}

extension IngestError: LocalizedError {
    public var errorDescription: String? { description }
}
