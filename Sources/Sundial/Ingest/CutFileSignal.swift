import Foundation

/// Tells the parsing threads that the rest of a cut file's pieces need not be parsed: the storing side found a
/// piece that does not fit (the file is parsed again whole) or, in strict mode, a rejected line.
final class CutFileSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var abandoned = false

    /// Marks the file's remaining pieces as not needed.
    func abandon() {
        lock.lock()
        abandoned = true
        lock.unlock()
    }

    /// Whether the file's remaining pieces are not needed.
    var isAbandoned: Bool {
        lock.lock()
        defer { lock.unlock() }
        return abandoned
    }
}
