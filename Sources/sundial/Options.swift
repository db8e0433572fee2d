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

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Parses a duration option, as a validation error when it is malformed.
func parseDuration(_ text: String) throws -> Int64 {
    do { return try TimeArgument.durationMs(text) } catch { throw ValidationError(error.description) }
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
