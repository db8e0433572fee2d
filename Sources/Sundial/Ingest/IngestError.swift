/// Why ingest could not read or store an input (bad lines are not errors of this kind: they are
/// reported as ``ExpositionError``s and skipped).
public enum IngestError: Error, Sendable, CustomStringConvertible {
    /// A file or directory could not be read.
    case unreadable(path: String, reason: String)
    /// No timestamp for a scrape: standard input without `--time`.
    case noTimestamp(path: String)
    /// The store refused the data.
    case storage(StorageError)

    /// One sentence.
    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        case let .noTimestamp(path): "\(path) has samples without timestamps and no time was given; pass --time"
        case let .storage(error): error.description
        }
    }
}
