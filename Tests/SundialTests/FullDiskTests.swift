import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A tmpfs of a fixed size, mounted for one test (root only) and unmounted by `unmount()`.
private struct SmallFileSystem {
    let path: String

    /// Mounts a tmpfs of `size` (e.g. `1m`) at a new directory, or returns why it cannot.
    static func mount(size: String, under parent: String) -> Result<SmallFileSystem, SkipReason> {
        guard getuid() == 0 else { return .failure(SkipReason("needs root to mount a tmpfs")) }
        let path = parent + "/tmpfs"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let result = run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path])
        guard result.status == 0 else { return .failure(SkipReason("mount -t tmpfs is not permitted here: \(result.output)")) }
        return .success(SmallFileSystem(path: path))
    }

    func unmount() { _ = Self.run("/bin/umount", [path]) }

    /// Grows the mount in place (`mount -o remount,size=…`); false when that fails.
    func grow(to size: String) -> Bool { Self.run("/bin/mount", ["-o", "remount,size=\(size)", path]).status == 0 }

    /// Bytes free for an unprivileged writer.
    func freeBytes() -> Int {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    private static func run(_ tool: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}

private struct SkipReason: Error {
    let text: String
    init(_ text: String) { self.text = text }
}

/// `sundial stats --format json` of a store: samples, series and the per-metric counts.
private func storeContents(_ store: String) throws -> (samples: Int, series: Int, metrics: String) {
    let stats = try SundialBinary.run(["stats", "--store", store, "--format", "json"])
    guard stats.status == 0, let json = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any] else {
        return (-1, -1, stats.stderr)
    }
    let metrics = try JSONSerialization.data(withJSONObject: json["metrics"] ?? [:], options: [.sortedKeys])
    return (json["samples"] as? Int ?? -1, json["series"] as? Int ?? -1, String(decoding: metrics, as: UTF8.self))
}

@Suite struct FullDiskTests {
    /// Ingest into a small tmpfs until it is full: a clear error naming the file and "No space left on
    /// device" (no crash, no stack trace), the store consistent and holding exactly what was committed
    /// before, and, once space is freed, ingest completes the data. Root only; skipped with a message otherwise.
    @Test func ingestIntoAFullDiskFailsCleanlyAndCompletesOnceSpaceIsFreed() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let fileSystem: SmallFileSystem
        switch SmallFileSystem.mount(size: "1m", under: scratch.path) {
        case let .success(mounted): fileSystem = mounted
        case let .failure(reason):
            print("FullDiskTests: skipped: \(reason.text)")
            return
        }
        defer { fileSystem.unmount() }
        // Two half hours of tiny scrapes; the second goes in while the disk fills up.
        let first = scratch.path + "/first"
        let second = scratch.path + "/second"
        for (out, start) in [(first, "2026-01-01T00:00:00Z"), (second, "2026-01-01T00:30:00Z")] {
            let generated = try SundialBinary.run(["generate", "--scale", "tiny", "--duration", "30m", "--interval", "30s", "--start", start,
                                                   "--no-incidents", "--no-restarts", "--out", out])
            try #require(generated.status == 0, "\(generated.stderr)")
        }
        // What the store must hold, from the same ingests on an ordinary disk, and the size of the second's block.
        let reference = scratch.path + "/reference"
        for part in [first, second] { _ = try SundialBinary.run(["ingest", "--store", reference, "--quiet", part]) }
        let whole = try storeContents(reference)
        _ = try SundialBinary.run(["ingest", "--store", scratch.path + "/reference-second", "--quiet", second])
        let page = 4096
        let secondBlockPages = (try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/reference-second/blocks")
            .reduce(0) { $0 + Int((try? FileManager.default.attributesOfItem(atPath: scratch.path + "/reference-second/blocks/" + $1)[.size] as? Int) ?? 0) } + page - 1) / page

        let store = fileSystem.path + "/store"
        let ingested = try SundialBinary.run(["ingest", "--store", store, "--quiet", first])
        try #require(ingested.status == 0, "\(ingested.stderr)")
        let afterFirst = try storeContents(store)
        try #require(whole.samples > afterFirst.samples && afterFirst.samples > 0)
        // Fill the disk so that only `free` bytes are left, then ingest the second half hour: nothing free
        // (the log's new segment fails), a page (the block fails), room for the log and the block but not the
        // manifest, and room for those but not for the compaction that follows the commit.
        let ballast = fileSystem.path + "/ballast"
        var failures = 0
        for free in [0, page, (secondBlockPages + 1) * page, (secondBlockPages + 3) * page] {
            try? FileManager.default.removeItem(atPath: ballast)
            let fill = max(0, fileSystem.freeBytes() - free)
            #expect(FileManager.default.createFile(atPath: ballast, contents: Data(count: fill)), "could not write \(fill) bytes of ballast")
            let full = try SundialBinary.run(["ingest", "--store", store, "--quiet", second])
            let context = "\(free) bytes free before the ingest"
            #expect(full.reason == .exit && (full.status == 2 || full.status == 0), "ingest into a full disk: status \(full.status), \(full.stderr) [\(context)]")
            if full.status == 2 {
                failures += 1
                #expect(full.stderr.contains("No space left on device") && full.stderr.contains(fileSystem.path), "\(full.stderr) [\(context)]")
                #expect(!full.stderr.contains("Fatal error") && !full.stderr.contains("Stack dump") && full.stderr.split(separator: "\n").count == 1,
                        "\(full.stderr) [\(context)]")
            }
            print("FullDiskTests: \(free) bytes free: exit \(full.status) \(full.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
            // The store is consistent and holds the first half hour, and the second either whole or not at all.
            let check = try SundialBinary.run(["check", "--store", store])
            #expect(check.status == 0 && check.stdout.contains("no damage found"), "\(check.stdout) \(check.stderr) [\(context)]")
            let contents = try storeContents(store)
            #expect((contents.samples == afterFirst.samples && contents.metrics == afterFirst.metrics)
                    || (contents.samples == whole.samples && contents.metrics == whole.metrics),
                    "\(contents.samples) samples after the failed ingest: \(afterFirst.samples) or \(whole.samples) expected [\(context)]")
        }
        #expect(failures >= 2)
        // Space freed (the mount grown, or else the ballast removed): the same ingest completes, and the
        // store holds everything.
        if !fileSystem.grow(to: "64m") { try FileManager.default.removeItem(atPath: ballast) }
        let again = try SundialBinary.run(["ingest", "--store", store, "--quiet", second])
        #expect(again.status == 0, "\(again.stderr)")
        let contents = try storeContents(store)
        #expect(contents.samples == whole.samples && contents.series == whole.series && contents.metrics == whole.metrics,
                "\(contents.samples) samples, \(whole.samples) expected")
        let check = try SundialBinary.run(["check", "--store", store])
        #expect(check.status == 0 && check.stdout.contains("no damage found"), "\(check.stdout)")
    }
}
