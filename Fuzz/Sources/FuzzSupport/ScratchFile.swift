#if canImport(Glibc)
import Glibc
#endif

/// A file in memory-backed temporary storage, one per process, rewritten for every input: the readers
/// under test take a path.
public enum ScratchFile {
    /// `/dev/shm/sundial-fuzz-<pid>-<name>` (else under `$TMPDIR` or `/tmp`). On ext4, rewriting a file
    /// thousands of times a second waits on the disk (a truncated file is flushed when closed); tmpfs made
    /// the block target 4 times faster.
    public static func path(_ name: String) -> String {
        let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        return "\(directory)/sundial-fuzz-\(getpid())-\(name)"
    }

    /// Replaces the file at `path` with `bytes`; false when it cannot be written.
    @discardableResult
    public static func write(_ bytes: [UInt8], to path: String) -> Bool {
        guard let file = fopen(path, "wb") else { return false }
        defer { fclose(file) }
        return bytes.withUnsafeBytes { raw in
            raw.isEmpty || fwrite(raw.baseAddress, 1, raw.count, file) == raw.count
        }
    }
}
