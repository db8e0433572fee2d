#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything the store can fail with; each case prints as one sentence that says what went wrong
/// and where (file, block, byte offset), so a user can act on it.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another process holds the store's writer lock.
    case locked(store: String, holder: String)
    /// A system call failed on a path.
    case io(path: String, operation: String, errno: Int32)
    /// A sealed block failed a checksum or an invariant.
    case corruptBlock(block: String, offset: Int, reason: String)
    /// The manifest is unreadable.
    case corruptManifest(path: String, reason: String)
    /// A write-ahead segment is damaged somewhere other than its tail.
    case corruptWriteAhead(path: String, offset: Int, reason: String)
    /// A file was written by a newer (or unknown) format version.
    case unsupportedVersion(path: String, found: Int, supported: Int)
    /// The caller passed something invalid.
    case invalidArgument(String)
    /// The store was opened read-only and a write was attempted.
    case readOnly(store: String)
    /// The store handle was closed.
    case closed
    /// A query would read more than a configured limit allows.
    case limitExceeded(String)

    /// One sentence describing the error.
    public var description: String {
        switch self {
        case let .locked(store, holder):
            "the store \(store) is locked by another writer (\(holder)); stop it or open the store read-only"
        case let .io(path, operation, errno):
            "\(operation) \(path) failed: \(String(cString: strerror(errno))) (errno \(errno))"
        case let .corruptBlock(block, offset, reason):
            "block \(block) is damaged at byte \(offset): \(reason)"
        case let .corruptManifest(path, reason):
            "the manifest \(path) is damaged: \(reason); `sundial check --repair` rebuilds it from the blocks present"
        case let .corruptWriteAhead(path, offset, reason):
            "the write-ahead segment \(path) is damaged at byte \(offset): \(reason)"
        case let .unsupportedVersion(path, found, supported):
            "\(path) has format version \(found); this Sundial reads versions \(BlockFile.readableVersions.sorted().map(String.init).joined(separator: ", ")) and writes \(supported) (a newer Sundial wrote it, or its header is damaged)"
        case let .invalidArgument(message):
            message
        case let .readOnly(store):
            "the store \(store) is open read-only"
        case .closed:
            "the store is closed"
        case let .limitExceeded(message):
            message
        }
    }
}
