#if canImport(Glibc)
import Glibc
#endif

/// The store's single-writer lock: an exclusive `flock` on `LOCK`, whose text names the holder.
final class WriterLock: Sendable {
    static let fileName = "LOCK"
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Takes the lock or throws ``StorageError/locked(store:holder:)`` naming who holds it.
    static func acquire(directory: String) throws(StorageError) -> WriterLock {
        let path = directory + "/" + fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 256, 0) }
            _ = close(fd)
            guard code == EWOULDBLOCK else { throw .io(path: path, operation: "flock", errno: code) }
            let holder = n > 0 ? String(decoding: buffer.prefix(n), as: UTF8.self)
                .trimmingTrailingNewlines() : "an unknown process"
            throw .locked(store: directory, holder: holder)
        }
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, 255)
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let text = "pid \(getpid()) on \(hostName)\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        return WriterLock(descriptor: fd)
    }

    /// Releases the lock.
    func release() {
        _ = flock(descriptor, LOCK_UN)
    }

    deinit { _ = close(descriptor) }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == "\r" || last == " " { s = s.dropLast() }
        return String(s)
    }
}
