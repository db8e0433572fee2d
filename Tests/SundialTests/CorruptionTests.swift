import Foundation
import Sundial
import Testing

/// The corruption campaign's store: four blocks (one per day, the first with several data frames), two
/// write-ahead segments of committed batches, a manifest and a lock. Every value is known, so a query's
/// answer says exactly which samples are there.
private enum CorruptionStore {
    static let metric = "corruption_test"
    static let series = 8
    static let dayMs: Int64 = 86_400_000
    static let windowMs: Int64 = 2 * 3_600_000
    /// 2026-01-01T00:00:00Z.
    static let baseMs: Int64 = 1_767_225_600_000
    static let blockDays = 4
    /// Write-ahead batches: commit `i` gives every series one sample of value 2^i on day 4, so the sum of
    /// a series over that window is the bit mask of the batches present.
    static let walCommits = 40
    static let firstSegmentCommits = 20

    static func labels(_ s: Int) -> LabelSet { LabelSet(name: metric, ["series": "s\(s)"]) }

    /// Builds the store at `path`; returns per series the expected sum of each window (days 0...4).
    static func build(at path: String, seed: UInt64) throws -> [[Double]] {
        var rng = SplitMix64(seed: seed)
        var options = StoreOptions()
        options.compactAutomatically = false
        options.syncOnCommit = false
        var sums = [[Double]](repeating: [Double](repeating: 0, count: blockDays + 1), count: series)
        let store = try Store.open(at: path, options: options)
        let refs = try (0..<series).map { try store.reference(for: labels($0)) }
        for day in 0..<blockDays {
            // Day 0 holds enough samples of random values for several 64 KiB data frames.
            let count = day == 0 ? 1_400 : 100
            let spacing: Int64 = day == 0 ? 5_000 : 60_000
            var batch = store.makeBatch()
            for (s, ref) in refs.enumerated() {
                for i in 0..<count {
                    let value = Double(rng.next() % 1_000_000_000)
                    batch.append(ref, timestampMs: baseMs + Int64(day) * dayMs + spacing * Int64(i + 1), value: value)
                    sums[s][day] += value
                }
            }
            try store.commit(batch)
            try store.flush()
        }
        store.close()
        for session in 0..<2 {
            // Two sessions: each writer open starts a new segment.
            let writer = try Store.open(at: path, options: options)
            let range = session == 0 ? 0..<firstSegmentCommits : firstSegmentCommits..<walCommits
            for i in range {
                var batch = writer.makeBatch()
                for s in 0..<series {
                    batch.append(try writer.reference(for: labels(s)), timestampMs: walTimeMs(i), value: Double(UInt64(1) << UInt64(i)))
                }
                try writer.commit(batch)
            }
            writer.close()
        }
        for s in 0..<series { sums[s][blockDays] = Double((UInt64(1) << UInt64(walCommits)) - 1) }
        return sums
    }

    static func walTimeMs(_ i: Int) -> Int64 { baseMs + Int64(blockDays) * dayMs + 60_000 * Int64(i + 1) }

    /// The end of day `d`'s window, where `sum_over_time(...[2h])` covers exactly that window.
    static func windowEndSeconds(_ day: Int) -> Int64 { (baseMs + Int64(day) * dayMs + windowMs) / 1000 }

    /// `sum_over_time` of every series over the windows of `days` (consecutive), through `sundial query`:
    /// per series label, per day, the sum. Nil values when the query failed, with its result.
    static func query(_ store: String, days: ClosedRange<Int>) throws -> (sums: [String: [Int: Double]]?, result: SundialBinary.Result) {
        let result = try SundialBinary.run(["query", "--store", store, "--format", "json",
                                            "--from", "\(windowEndSeconds(days.lowerBound))", "--to", "\(windowEndSeconds(days.upperBound))",
                                            "--step", "1d", "sum_over_time(\(metric)[2h])"])
        guard result.status == 0,
              let json = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let data = json["data"] as? [String: Any], let rows = data["result"] as? [[String: Any]] else { return (nil, result) }
        var sums: [String: [Int: Double]] = [:]
        for row in rows {
            guard let labels = row["metric"] as? [String: String], let name = labels["series"],
                  let values = row["values"] as? [[Any]] else { continue }
            for pair in values {
                guard pair.count == 2, let t = pair[0] as? Double, let text = pair[1] as? String, let v = Double(text) else { continue }
                let day = Int((Int64(t) - windowEndSeconds(0)) / (dayMs / 1000))
                sums[name, default: [:]][day] = v
            }
        }
        return (sums, result)
    }
}

/// A knob of `tools/corruption-test`: an integer from the environment, else `fallback`.
private func corruptionSetting(_ name: String, _ fallback: UInt64) -> UInt64 {
    ProcessInfo.processInfo.environment[name].flatMap { UInt64($0) } ?? fallback
}

/// What the campaign counted, per kind of file damaged.
private struct Tally {
    var trials = 0
    var detected = 0
    var undetectableByDesign = 0
    var repaired = 0
    var lostBlocks = 0
    var lostBatches = 0
}

@Suite(.serialized) struct CorruptionTests {
    /// Random damage (bit flips, truncations, zero-filled ranges) to every kind of file of a store, one per
    /// trial on a fresh copy. Each trial drives the binary (so a crash fails the trial, not the test run):
    /// `check` names the damaged file (and for a block the byte range), queries over undamaged blocks
    /// answer as before, `check --repair` moves damaged blocks aside saying what they held, and afterwards
    /// the store checks clean with the undamaged data intact.
    @Test func everyDamageIsFoundNamedAndRepairedWithoutLosingUndamagedData() throws {
        let seed = corruptionSetting("SUNDIAL_CORRUPTION_SEED", UInt64(Date().timeIntervalSince1970 * 1000))
        let trials = Int(corruptionSetting("SUNDIAL_CORRUPTION_TRIALS", 100))
        print("CorruptionTests: seed \(seed) (rerun with SUNDIAL_CORRUPTION_SEED=\(seed))")
        let scratch = Scratch()
        defer { scratch.remove() }
        let pristine = scratch.path + "/pristine"
        let expected = try CorruptionStore.build(at: pristine, seed: seed)
        var files: [(path: String, kind: StoreFileKind)] = [("LOCK", .lock), ("MANIFEST", .manifest)]
        let blocks = try FileManager.default.contentsOfDirectory(atPath: pristine + "/blocks").filter { $0.hasSuffix(".block") }.sorted()
        let segments = try FileManager.default.contentsOfDirectory(atPath: pristine + "/wal").filter { $0.hasSuffix(".wal") }.sorted()
        try #require(blocks.count == CorruptionStore.blockDays && segments.count >= 2, "\(blocks) \(segments)")
        files += blocks.map { ("blocks/" + $0, .block) } + segments.map { ("wal/" + $0, .wal) }
        let walBytes = try segments.map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: pristine + "/wal/" + $0))) }
        var rng = SplitMix64(seed: seed)
        var tallies: [StoreFileKind: Tally] = [:]
        var failures: [String] = []
        var trial = 0
        let started = Date()
        while trial < trials && failures.count < 5 {
            let copy = scratch.path + "/trial"
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: pristine, toPath: copy)
            guard let damage = try Damage.apply(to: copy, files: files, rng: &rng) else { continue }
            trial += 1
            var tally = tallies[damage.kind] ?? Tally()
            tally.trials += 1
            var problems: [String] = []
            let outcome = try runTrial(copy, damage: damage, blocks: blocks, segments: segments, walBytes: walBytes,
                                       expected: expected, problems: &problems)
            if outcome.detected { tally.detected += 1 }
            if outcome.undetectableByDesign { tally.undetectableByDesign += 1 }
            if outcome.repaired { tally.repaired += 1 }
            tally.lostBlocks += outcome.lostBlocks
            tally.lostBatches += outcome.lostBatches
            tallies[damage.kind] = tally
            if !problems.isEmpty { failures.append("trial \(trial), \(damage): " + problems.joined(separator: "; ")) }
        }
        let seconds = Date().timeIntervalSince(started)
        for kind in StoreFileKind.allCases {
            let t = tallies[kind] ?? Tally()
            print("CorruptionTests: \(kind.rawValue): \(t.trials) trials, \(t.detected) detected by check, \(t.undetectableByDesign) undetectable by design (a log cut at a frame boundary; LOCK holds no data), \(t.repaired) repaired, \(t.lostBlocks) blocks moved aside, \(t.lostBatches) log batches lost")
        }
        print("CorruptionTests: seed \(seed): \(trial) trials in \(String(format: "%.1f", seconds)) s, \(failures.count) failed")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n")) [seed \(seed)]")
    }

    private struct Outcome {
        var detected = false
        var undetectableByDesign = false
        var repaired = false
        var lostBlocks = 0
        var lostBatches = 0
    }

    /// Runs check, queries, check --repair, check and queries again on a damaged copy.
    private func runTrial(_ store: String, damage: Damage, blocks: [String], segments: [String], walBytes: [[UInt8]],
                          expected: [[Double]], problems: inout [String]) throws -> Outcome {
        var outcome = Outcome()
        func ran(_ what: String, _ result: SundialBinary.Result, allowed: Set<Int32>) -> Bool {
            guard result.exitedNormally, allowed.contains(result.status) else {
                problems.append("\(what) \(result.exitedNormally ? "exited with \(result.status)" : "crashed (signal \(result.status))"): \(result.stdout.suffix(300)) \(result.stderr.suffix(300))")
                return false
            }
            return true
        }
        let check = try SundialBinary.run(["check", "--store", store])
        guard ran("check", check, allowed: [0, 1]) else { return outcome }
        let named: String
        switch damage.kind {
        case .manifest: named = "damaged: MANIFEST"
        case .block, .wal: named = "damaged: " + damage.file
        case .lock: named = "\u{0}"
        }
        let lines = check.stdout.split(separator: "\n").map(String.init)
        let line = lines.first { $0.hasPrefix(named) }
        outcome.detected = line != nil && check.status == 1
        let damagedBlockDay = damage.kind == .block ? blocks.firstIndex(of: String(damage.file.dropFirst("blocks/".count))) : nil
        switch damage.kind {
        case .lock:
            outcome.undetectableByDesign = true
            if check.status != 0 { problems.append("check reports damage to LOCK, which holds no data: \(check.stdout)") }
        case .wal:
            let segment = segments.firstIndex(of: String(damage.file.dropFirst("wal/".count))) ?? 0
            let boundaries = Set([0, 8] + Damage.walFrames(walBytes[segment]).map(\.upperBound))
            if damage.operation == .truncation && boundaries.contains(damage.range.lowerBound) {
                outcome.undetectableByDesign = true
            } else if !outcome.detected {
                problems.append("check does not name \(damage.file): \(check.stdout)")
            }
        case .manifest, .block:
            if !outcome.detected { problems.append("check does not name \(damage.file): \(check.stdout)") }
        }
        if damage.kind == .block, let line, damage.operation != .truncation {
            let ranges = reportedRanges(line)
            if !ranges.contains(where: { $0.overlaps(damage.range) }) {
                problems.append("check's byte ranges \(ranges) miss the damage: \(line)")
            }
        }

        // Before repair: queries over undamaged blocks answer as before; a damaged manifest is a clear error.
        if damage.kind == .manifest {
            let (_, result) = try CorruptionStore.query(store, days: 0...CorruptionStore.blockDays)
            if !ran("query", result, allowed: [2]) || !result.stderr.contains("MANIFEST") || !result.stderr.contains("check --repair") {
                problems.append("a query on a store with a damaged manifest should fail naming it and the way out: \(result.stderr)")
            }
        } else {
            var spans: [ClosedRange<Int>] = []
            if let day = damagedBlockDay {
                if day > 0 { spans.append(0...(day - 1)) }
                spans.append((day + 1)...CorruptionStore.blockDays)
            } else {
                spans.append(0...CorruptionStore.blockDays)
            }
            for span in spans {
                let (sums, result) = try CorruptionStore.query(store, days: span)
                guard ran("query", result, allowed: [0]), let sums else { continue }
                compare(sums, expected, days: span, lostDay: nil, damage: damage, when: "before repair", problems: &problems)
            }
        }

        let repair = try SundialBinary.run(["check", "--store", store, "--repair"])
        guard ran("check --repair", repair, allowed: [0, 1]) else { return outcome }
        if let day = damagedBlockDay, outcome.detected {
            let samples = (day == 0 ? 1_400 : 100) * CorruptionStore.series
            let name = blocks[day]
            if repair.stdout.contains("moved to damaged/\(name); lost \(samples) samples of \(CorruptionStore.series) series between") {
                outcome.repaired = true
                outcome.lostBlocks = 1
            } else {
                problems.append("check --repair does not say it moved \(name) aside with its \(samples) samples: \(repair.stdout)")
            }
            if !FileManager.default.fileExists(atPath: store + "/damaged/" + name) { problems.append("damaged/\(name) is missing") }
        } else if damage.kind == .manifest {
            outcome.repaired = repair.stdout.contains("rebuilt from the \(blocks.count) blocks present")
            if !outcome.repaired { problems.append("check --repair did not rebuild the manifest: \(repair.stdout)") }
        } else if damage.kind == .wal && outcome.detected {
            outcome.repaired = true
        }
        let after = try SundialBinary.run(["check", "--store", store])
        if ran("check after repair", after, allowed: [0]), !after.stdout.contains("no damage found") {
            problems.append("check after repair: \(after.stdout)")
        }
        let (sums, result) = try CorruptionStore.query(store, days: 0...CorruptionStore.blockDays)
        if ran("query after repair", result, allowed: [0]), let sums {
            outcome.lostBatches = compare(sums, expected, days: 0...CorruptionStore.blockDays, lostDay: damagedBlockDay,
                                          damage: damage, when: "after repair", problems: &problems)
        }
        return outcome
    }

    /// Compares query sums with the expected ones: block windows equal (the lost one absent), the log's
    /// window a whole-batch mask, each segment's batches a prefix (all of them unless the log was damaged).
    /// - Returns: the number of log batches missing.
    @discardableResult
    private func compare(_ sums: [String: [Int: Double]], _ expected: [[Double]], days: ClosedRange<Int>, lostDay: Int?,
                         damage: Damage, when: String, problems: inout [String]) -> Int {
        var lost = 0
        var masks = Set<UInt64>()
        for s in 0..<CorruptionStore.series {
            let got = sums["s\(s)"] ?? [:]
            for day in days where day < CorruptionStore.blockDays {
                let want: Double? = day == lostDay ? nil : expected[s][day]
                if got[day] != want { problems.append("\(when): s\(s) day \(day) sums to \(got[day].map { "\($0)" } ?? "nothing"), expected \(want.map { "\($0)" } ?? "nothing")") }
            }
            if days.contains(CorruptionStore.blockDays) { masks.insert(UInt64(got[CorruptionStore.blockDays] ?? 0)) }
        }
        guard days.contains(CorruptionStore.blockDays) else { return 0 }
        guard masks.count == 1, let mask = masks.first else {
            problems.append("\(when): the series hold different log batches: \(masks.map { String($0, radix: 2) })")
            return 0
        }
        let first = mask & ((1 << UInt64(CorruptionStore.firstSegmentCommits)) - 1)
        let second = mask >> UInt64(CorruptionStore.firstSegmentCommits)
        let isPrefix = { (m: UInt64) in m & (m + 1) == 0 }
        if !isPrefix(first) || !isPrefix(second) {
            problems.append("\(when): the log batches present are not a prefix of each segment: \(String(mask, radix: 2))")
        }
        lost = CorruptionStore.walCommits - mask.nonzeroBitCount
        if lost > 0 && damage.kind != .wal { problems.append("\(when): \(lost) log batches are missing, yet the log was not damaged") }
        return lost
    }
}

extension SundialBinary.Result {
    /// False when the process ended on a signal (a crash).
    var exitedNormally: Bool { reason == .exit }
}
