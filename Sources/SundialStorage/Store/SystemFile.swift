#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thin wrapper over a file descriptor: each system call once, errors converted once to
/// ``StorageError/io(path:operation:errno:)``, no raw C types in the signatures.
final class SystemFile {
    let path: String
    private(set) var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { if descriptor >= 0 { _ = Glibc.close(descriptor) } }

    /// Opens an existing file for reading.
    static func openForReading(_ path: String) throws(StorageError) -> SystemFile {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.io(path: path, operation: "open", errno: errno) }
        return SystemFile(path: path, descriptor: fd)
    }

    /// Opens (creating when missing) a file for reading and writing.
    static func openForWriting(_ path: String, create: Bool = true, truncate: Bool = false) throws(StorageError) -> SystemFile {
        var flags = O_RDWR | O_CLOEXEC
        if create { flags |= O_CREAT }
        if truncate { flags |= O_TRUNC }
        let fd = Glibc.open(path, flags, 0o644)
        guard fd >= 0 else { throw StorageError.io(path: path, operation: "open", errno: errno) }
        return SystemFile(path: path, descriptor: fd)
    }

    /// The file's size in bytes.
    func size() throws(StorageError) -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw StorageError.io(path: path, operation: "stat", errno: errno) }
        return Int(info.st_size)
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(StorageError) {
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw StorageError.io(path: path, operation: "write", errno: errno)
            }
            done += n
        }
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: Int) throws(StorageError) {
        guard !bytes.isEmpty else { return }
        var failure: StorageError?
        bytes.withUnsafeBytes { raw in
            do throws(StorageError) { try write(raw, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(count: Int, at offset: Int) throws(StorageError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        var failure: Int32 = 0
        buffer.withUnsafeMutableBytes { raw in
            while done < count {
                let n = pread(descriptor, raw.baseAddress! + done, count - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { break }
                done += n
            }
        }
        if failure != 0 { throw StorageError.io(path: path, operation: "read", errno: failure) }
        buffer.removeLast(count - done)
        return buffer
    }

    /// Reads the whole file.
    func readAll() throws(StorageError) -> [UInt8] {
        try read(count: size(), at: 0)
    }

    /// Flushes data and metadata to stable storage.
    func sync() throws(StorageError) {
        guard fsync(descriptor) == 0 else { throw StorageError.io(path: path, operation: "fsync", errno: errno) }
    }

    /// Cuts the file to `length` bytes.
    func truncate(to length: Int) throws(StorageError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else {
            throw StorageError.io(path: path, operation: "truncate", errno: errno)
        }
    }

    /// Closes the descriptor now instead of at deinit.
    func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }
}

/// File-system operations on paths.
enum FileSystem {
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func createDirectory(_ path: String) throws(StorageError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw StorageError.io(path: path, operation: "mkdir", errno: errno)
        }
    }

    /// Creates `path` and any missing parents.
    static func createDirectories(_ path: String) throws(StorageError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            try createDirectory(current)
        }
    }

    static func rename(_ from: String, _ to: String) throws(StorageError) {
        guard Glibc.rename(from, to) == 0 else { throw StorageError.io(path: from, operation: "rename", errno: errno) }
    }

    static func remove(_ path: String) throws(StorageError) {
        if unlink(path) != 0 && errno != ENOENT { throw StorageError.io(path: path, operation: "unlink", errno: errno) }
    }

    /// fsyncs a directory so that renames and creations inside it are durable.
    static func syncDirectory(_ path: String) throws(StorageError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.io(path: path, operation: "open directory", errno: errno) }
        defer { _ = close(fd) }
        guard fsync(fd) == 0 else { throw StorageError.io(path: path, operation: "fsync directory", errno: errno) }
    }

    /// The names in a directory, sorted; empty when it does not exist.
    static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The size of a file, or 0 when it cannot be read.
    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Writes `bytes` to `path` atomically: a temporary file, fsync, rename, fsync of the directory.
    static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String) throws(StorageError) {
        let temporary = path + ".tmp"
        let file = try SystemFile.openForWriting(temporary, truncate: true)
        try file.write(bytes, at: 0)
        try file.sync()
        file.close()
        try rename(temporary, path)
        try syncDirectory(directory)
    }
}
