import Foundation
import Sundial
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a run of the `sundial` binary that may be killed left behind.
struct KilledRun {
    /// Complete lines written to standard output before the process ended.
    var lines: [String]
    var stderr: String
    /// True when our SIGKILL ended it; false when it exited on its own first.
    var killed: Bool
    var status: Int32

    /// Starts `sundial arguments`, waits `delayMs` (counted from the first line of output when
    /// `afterFirstLine`, else from the start), kills it with SIGKILL and collects its output.
    static func run(_ arguments: [String], delayMs: Int, afterFirstLine: Bool) throws -> KilledRun {
        let process = Process()
        process.executableURL = SundialBinary.url
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let fd = out.fileHandleForReading.fileDescriptor
        var bytes: [UInt8] = []
        var eof = false
        /// Reads what is available until `deadline` (monotonic ns), EOF, or (when `untilNewline`) a newline.
        func pump(until deadline: UInt64, untilNewline: Bool) {
            var chunk = [UInt8](repeating: 0, count: 4096)
            while !eof {
                let now = DispatchTime.now().uptimeNanoseconds
                if now >= deadline { return }
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, Int32(max(1, (deadline - now) / 1_000_000)))
                if ready <= 0 { continue }
                let count = read(fd, &chunk, chunk.count)
                if count <= 0 { eof = true; return }
                bytes.append(contentsOf: chunk[0..<count])
                if untilNewline && chunk[0..<count].contains(10) { return }
            }
        }
        if afterFirstLine { pump(until: DispatchTime.now().uptimeNanoseconds + 10_000_000_000, untilNewline: true) }
        pump(until: DispatchTime.now().uptimeNanoseconds + UInt64(delayMs) * 1_000_000, untilNewline: false)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        bytes.append(contentsOf: out.fileHandleForReading.readDataToEndOfFile())
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        // Only whole lines count: a line is the witness only once its newline is out.
        var lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n")
        lines.removeLast()
        let killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        return KilledRun(lines: lines, stderr: stderr, killed: killed, status: process.terminationStatus)
    }
}

/// The crash tests' own layout arithmetic, the same as `sundial debug-append`'s.
private enum AppendLayout {
    static let metric = "crash_test"
    static let groups = 4
    static let baseMs: Int64 = 1_767_225_600_000
    static let batchSpacingMs: Int64 = 60_000
}

/// Reads every `crash_test` sample of the store at `path` and checks the batches: each present batch
/// complete and stored once, the present batches a prefix 0..<n. Returns n and the problems found.
private func verifyAppendStore(_ store: Store, batchSize: Int) throws -> (batches: Int, problems: [String]) {
    var counts: [Int: Int] = [:]
    var problems: [String] = []
    for series in try store.snapshot().select([.equal("__name__", AppendLayout.metric)]) {
        guard let groupLabel = series.labels["batch_group"], groupLabel.hasPrefix("g"),
              let group = Int(groupLabel.dropFirst()) else {
            problems.append("unexpected series \(series.labels)")
            continue
        }
        try series.forEachSample { sample in
            guard sample.value.isFinite, sample.value >= 0, sample.value < 1e9, sample.value == sample.value.rounded() else {
                problems.append("\(series.labels): value \(sample.value) at \(sample.timestampMs) names no batch")
                return
            }
            let batch = Int(sample.value)
            let j = sample.timestampMs - AppendLayout.baseMs - Int64(batch) * AppendLayout.batchSpacingMs
            if j < 0 || j >= Int64(batchSize) || Int(j) % AppendLayout.groups != group {
                problems.append("\(series.labels): sample at \(sample.timestampMs) = \(sample.value) is not where batch \(batch) puts its samples")
                return
            }
            counts[batch, default: 0] += 1
        }
    }
    let n = counts.count
    for (batch, count) in counts.sorted(by: { $0.key < $1.key }) where count != batchSize {
        problems.append("batch \(batch) has \(count) of its \(batchSize) samples" + (count > batchSize ? " (duplicated)" : " (half-written)"))
    }
    if let highest = counts.keys.max(), highest != n - 1 {
        let missing = (0...highest).filter { counts[$0] == nil }
        problems.append("batches \(missing.prefix(10)) are missing below batch \(highest)")
    }
    return (n, problems)
}

/// Per scrape file of a corpus directory: its timestamp and its number of samples (non-comment lines).
private func corpusFiles(_ directory: String) throws -> [(path: String, timeMs: Int64, samples: Int)] {
    var files: [(String, Int64, Int)] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() where name.hasSuffix(".prom") {
        guard let time = Int64(name.dropFirst("scrape-".count).dropLast(".prom".count)) else { continue }
        let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
        let samples = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.count
        files.append((directory + "/" + name, time, samples))
    }
    return files
}

/// Samples per timestamp over every series of the store.
private func samplesPerTimestamp(_ store: Store) throws -> [Int64: Int] {
    var counts: [Int64: Int] = [:]
    let snapshot = store.snapshot()
    for name in snapshot.metricNames() {
        for series in try snapshot.select([.equal("__name__", name)]) {
            try series.forEachRun { timestamps, _ in
                for t in timestamps { counts[t, default: 0] += 1 }
            }
        }
    }
    return counts
}

/// A knob of `tools/crash-test` (longer runs): an integer from the environment, else `fallback`.
private func crashSetting(_ name: String, _ fallback: Int) -> Int {
    ProcessInfo.processInfo.environment[name].flatMap { Int($0) } ?? fallback
}

private func crashSeed() -> UInt64 {
    if let text = ProcessInfo.processInfo.environment["SUNDIAL_CRASH_SEED"], let seed = UInt64(text) { return seed }
    return UInt64(Date().timeIntervalSince1970 * 1000)
}

@Suite(.serialized) struct CrashTests {
    /// `sundial debug-append` killed with SIGKILL at random moments, the store reopened and checked after each kill.
    @Test func killedAppendsKeepEveryCommittedBatchExactlyOnce() throws {
        try killAppends(label: "append", arguments: [], minimumKills: crashSetting("SUNDIAL_CRASH_APPEND_KILLS", 200), seed: crashSeed())
    }

    /// The same with a head of 64 samples (four batches): the kills land while frozen heads are written into
    /// blocks in the background, published, and compacted.
    @Test func killedAppendsDuringBackgroundSealsKeepEveryCommittedBatchExactlyOnce() throws {
        try killAppends(label: "append-background-seal", arguments: ["--head-sample-limit", "64"],
                        minimumKills: crashSetting("SUNDIAL_CRASH_SEAL_KILLS", 80), seed: crashSeed() &+ 2)
    }

    /// Kills `sundial debug-append` (with `arguments` added) at random moments until `minimumKills`, reopening
    /// and checking the store after each kill.
    private func killAppends(label: String, arguments: [String], minimumKills: Int, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let scratch = Scratch()
        defer { scratch.remove() }
        let batchSize = 16
        // The loop ends at the minimum number of kills (about a minute on a quiet 2-core machine); the time
        // bound only stops a run that cannot get there (191 kills in 90 s were seen at a load average of 12).
        let timeBound = Double(crashSetting("SUNDIAL_CRASH_APPEND_SECONDS", 300))
        let started = Date()
        var kills = 0
        var iterations = 0
        var witnessedBatches = 0
        var highestWitnessed = -1
        var present = 0
        var checks = 0
        var storesChecked = 0
        print("CrashTests.\(label): seed \(seed) (rerun with SUNDIAL_CRASH_SEED=\(seed))")
        while kills < minimumKills && Date().timeIntervalSince(started) < timeBound {
            iterations += 1
            let delay = Int(rng.next() % 80) + 1
            let afterFirstLine = rng.next() % 4 != 0
            let run = try KilledRun.run(["debug-append", "--store", scratch.store, "--seed", "\(rng.next() % 1_000_000)",
                                         "--batches", "100000", "--batch-size", "\(batchSize)"] + arguments,
                                        delayMs: delay, afterFirstLine: afterFirstLine)
            let context = "seed \(seed), iteration \(iterations), killed after \(delay) ms\(afterFirstLine ? " from its first line" : "")"
            guard run.killed else {
                Issue.record("debug-append ended on its own (status \(run.status)) before the kill: \(run.stderr) [\(context)]")
                break
            }
            kills += 1
            let committed = run.lines.compactMap { line in line.hasPrefix("committed ") ? Int(line.dropFirst("committed ".count)) : nil }
            witnessedBatches += committed.count
            highestWitnessed = max(highestWitnessed, committed.max() ?? -1)

            let store: Store
            do { store = try Store.open(at: scratch.store) } catch {
                Issue.record("the store does not open after the kill: \(error) [\(context)]")
                break
            }
            let (n, problems) = try verifyAppendStore(store, batchSize: batchSize)
            var all = problems
            if n <= highestWitnessed { all.append("batch \(highestWitnessed) was witnessed committed but the store holds only 0..<\(n)") }
            if n < present { all.append("the store held \(present) batches before this run and holds \(n) now") }
            if iterations % 25 == 0 {
                let report = try store.check()
                checks += 1
                if !report.isHealthy { all.append("check: \(report.problems.map(\.description))") }
            }
            store.close()
            present = n
            if !all.isEmpty {
                Issue.record("after kill \(kills): \(all.prefix(8).joined(separator: "; ")) [\(context)]")
                break
            }
            // Long runs (tools/crash-test) start a fresh store every 250 kills: checking reads the whole
            // store after every kill, and that cost should not grow without bound.
            if kills % 250 == 0 {
                try FileManager.default.removeItem(atPath: scratch.store)
                storesChecked += present
                present = 0
                highestWitnessed = -1
            }
        }
        let seconds = Date().timeIntervalSince(started)
        print("CrashTests.\(label): seed \(seed): \(kills) kills in \(iterations) runs, \(String(format: "%.1f", seconds)) s; \(witnessedBatches) commits witnessed, \(storesChecked + present) batches (\((storesChecked + present) * batchSize) samples) stored, the store checked after every kill, \(checks) full checks")
        #expect(kills >= minimumKills, "only \(kills) kills in \(timeBound) s [seed \(seed)]")
        #expect(witnessedBatches > 0, "no commit was witnessed: the kills all came before the first commit [seed \(seed)]")

        // Appending resumes where the store ends.
        let resumed = try SundialBinary.run(["debug-append", "--store", scratch.store, "--batches", "3", "--batch-size", "\(batchSize)"] + arguments)
        #expect(resumed.status == 0, "\(resumed.stderr) [seed \(seed)]")
        #expect(resumed.stdout.contains("resuming at \(present)\n"), "\(resumed.stdout) [seed \(seed)]")
        let store = try Store.open(at: scratch.store)
        defer { store.close() }
        let (n, problems) = try verifyAppendStore(store, batchSize: batchSize)
        #expect(problems.isEmpty && n == present + 3, "\(problems) n=\(n) [seed \(seed)]")
        #expect(try store.check().isHealthy)
    }

    /// `sundial ingest` killed with SIGKILL at random moments: every scrape file is in the store whole or
    /// not at all, and an uninterrupted ingest afterwards completes the corpus.
    @Test func killedIngestsStoreWholeFilesOrNothing() throws {
        let seed = crashSeed() &+ 1
        var rng = SplitMix64(seed: seed)
        let scratch = Scratch()
        defer { scratch.remove() }
        let generate = try SundialBinary.run(["generate", "--scale", "tiny", "--duration", "450s", "--interval", "15s",
                                              "--no-incidents", "--no-restarts", "--seed", "\(seed % 1000)", "--out", scratch.scrapes])
        try #require(generate.status == 0, "\(generate.stderr)")
        let files = try corpusFiles(scratch.scrapes)
        try #require(files.count == 30, "generated \(files.count) files")
        let corpusSamples = files.reduce(0) { $0 + $1.samples }
        let expected = Dictionary(uniqueKeysWithValues: files.map { ($0.timeMs, $0.samples) })

        let minimumKills = crashSetting("SUNDIAL_CRASH_INGEST_KILLS", 60)
        let timeBound = Double(crashSetting("SUNDIAL_CRASH_INGEST_SECONDS", 150))
        let started = Date()
        var kills = 0
        var iterations = 0
        var completedRuns = 0
        var mustHave = Set<Int64>()
        var partialStates = 0
        print("CrashTests.ingest: seed \(seed) (rerun with SUNDIAL_CRASH_SEED=\(seed &- 1))")
        while kills < minimumKills && Date().timeIntervalSince(started) < timeBound {
            iterations += 1
            // A random run of consecutive files, so the store fills up over several interrupted runs.
            let count = Int(rng.next() % 12) + 1
            let first = Int(rng.next() % UInt64(files.count - count + 1))
            let chosen = files[first..<(first + count)]
            let delay = Int(rng.next() % 250) + 1
            let run = try KilledRun.run(["ingest", "--store", scratch.store, "--quiet"] + chosen.map(\.path),
                                        delayMs: delay, afterFirstLine: false)
            let context = "seed \(seed), iteration \(iterations), files \(first)..<\(first + count), killed after \(delay) ms"
            if run.killed {
                kills += 1
            } else if run.status == 0 {
                completedRuns += 1
                for file in chosen { mustHave.insert(file.timeMs) }
            } else {
                Issue.record("ingest failed with status \(run.status): \(run.stderr) [\(context)]")
                break
            }
            let store: Store
            do { store = try Store.open(at: scratch.store) } catch {
                Issue.record("the store does not open after the kill: \(error) [\(context)]")
                break
            }
            let counts = try samplesPerTimestamp(store)
            store.close()
            var problems: [String] = []
            for (time, found) in counts.sorted(by: { $0.key < $1.key }) {
                guard let want = expected[time] else {
                    problems.append("\(found) samples at \(time), which is no file's time")
                    continue
                }
                if found != want { problems.append("file at \(time) is partly stored: \(found) of \(want) samples") }
            }
            for time in mustHave.sorted() where counts[time] == nil {
                problems.append("file at \(time) was stored by a completed ingest and is gone")
            }
            if !problems.isEmpty {
                Issue.record("after kill \(kills): \(problems.prefix(8).joined(separator: "; ")) [\(context)]")
                break
            }
            if !counts.isEmpty && counts.count < files.count { partialStates += 1 }
            // Once everything is in, start afresh so later kills land in real work again.
            if counts.count == files.count {
                try FileManager.default.removeItem(atPath: scratch.store)
                mustHave = []
            }
        }
        let seconds = Date().timeIntervalSince(started)
        print("CrashTests.ingest: seed \(seed): \(kills) kills in \(iterations) runs (\(completedRuns) finished first), \(String(format: "%.1f", seconds)) s; \(partialStates) reopenings held some files but not all")
        #expect(kills >= minimumKills, "only \(kills) kills in \(timeBound) s [seed \(seed)]")

        // An uninterrupted ingest completes the corpus exactly.
        let final = try SundialBinary.run(["ingest", "--store", scratch.store, "--quiet", scratch.scrapes])
        #expect(final.status == 0, "\(final.stderr) [seed \(seed)]")
        let store = try Store.open(at: scratch.store, options: .readOnly)
        let counts = try samplesPerTimestamp(store)
        store.close()
        #expect(counts == expected, "after the final ingest the store differs from the corpus [seed \(seed)]")
        #expect(counts.values.reduce(0, +) == corpusSamples)
        let check = try SundialBinary.run(["check", "--store", scratch.store])
        #expect(check.status == 0 && check.stdout.contains("no damage found"), "\(check.stdout) [seed \(seed)]")
    }
}
