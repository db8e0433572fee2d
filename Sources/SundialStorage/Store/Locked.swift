#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value that one thread at a time reads or changes, behind a `pthread_mutex_t`.
///
/// `Synchronization.Mutex` does the same, but on Linux it locks with a futex that ThreadSanitizer cannot
/// see, so TSan reports every access it orders as a race (a two-thread counter under `Mutex` shows it).
/// The store's shared state uses this lock instead, so that `make test-tsan` reports real races only.
final class Locked<Value>: @unchecked Sendable {
    // Only touched between pthread_mutex_lock and pthread_mutex_unlock.
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock.
    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
