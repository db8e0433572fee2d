#if canImport(Glibc)
import Glibc
#endif

/// What `sundial check` found: every damaged part, named.
public struct CheckReport: Sendable {
    /// One damaged part.
    public struct Problem: Sendable, CustomStringConvertible {
        /// The file, relative to the store directory.
        public var file: String
        /// What is wrong, including the byte offset or range where known.
        public var message: String
        /// What `--repair` (or, for the write-ahead log, the writer's open) did about it, and what was lost.
        public var repair: String?
        /// `file: message`.
        public var description: String { "\(file): \(message)" + (repair.map { " (\($0))" } ?? "") }
    }

    /// Blocks verified whole.
    public var blocksChecked = 0
    /// Write-ahead segments read.
    public var segmentsChecked = 0
    /// Everything damaged.
    public var problems: [Problem] = []
    /// Torn write-ahead tails the writer's open cut: the normal trace of a crash, not damage.
    public var recovered: [Problem] = []
    /// True when nothing is damaged.
    public var isHealthy: Bool { problems.isEmpty }
}

extension Store {
    /// Verifies every checksum and invariant of every block (the layout covering every byte, each
    /// frame, each chunk decoded, chunks in time order) and of the write-ahead log.
    ///
    /// With `repair`, damaged blocks are moved aside into `damaged/` (never deleted) and removed from
    /// the manifest; the report says what each held (series, samples, time range) and so what was lost.
    /// A damaged write-ahead segment is cut by the writer's open (a copy kept as `NNN.wal.damaged`);
    /// the report says so.
    public func check(repair: Bool = false) throws(StorageError) -> CheckReport {
        var report = CheckReport()
        let snapshot = snapshot()
        var damaged: [(String, String)] = snapshot.damagedBlocks.map { block in
            guard case let .unsupportedVersion(_, found, supported) = block.error else { return (block.name, block.error.description) }
            return (block.name, "header (bytes 0..<\(BlockFile.headerSize)): format version \(found); this Sundial reads version \(supported) (a newer block, or a damaged one)")
        }
        for block in snapshot.blocks {
            do throws(StorageError) {
                try block.verify()
                report.blocksChecked += 1
            } catch {
                damaged.append((block.name, error.description))
            }
        }
        let (manifest, cuts) = writer.withLock { ($0.manifest, $0.writeAheadCuts) }
        for (name, message) in damaged {
            var problem = CheckReport.Problem(file: "blocks/" + name, message: message)
            if repair {
                guard !options.readOnly else { throw .readOnly(store: directory) }
                let summary = manifest.blocks.first { $0.name == name }
                try quarantine(name)
                problem.repair = "moved to damaged/\(name); lost " + (summary.map(Self.describeContents) ?? "an unknown number of samples")
            }
            report.problems.append(problem)
        }
        for cut in cuts {
            if cut.isDamage { report.problems.append(cut.problem) } else { report.recovered.append(cut.problem) }
        }
        for segment in WriteAheadLog.segments(in: walDirectory) {
            let path = WriteAheadLog.path(directory: walDirectory, segment: segment)
            let result = try WriteAheadLog.read(path: path)
            report.segmentsChecked += 1
            if let damage = result.damage {
                report.problems.append(.init(
                    file: WriteAheadLog.directoryName + "/" + String(path.split(separator: "/").last ?? ""),
                    message: "\(damage); bytes \(result.validLength)..<\(result.fileLength) are unreadable, and the batches committed in them are lost when a writer opens the store"))
            }
        }
        return report
    }

    /// "N samples of M series between T1 and T2", from a block's manifest entry.
    static func describeContents(_ summary: BlockSummary) -> String {
        "\(summary.sampleCount) samples of \(summary.seriesCount) series between \(utcText(summary.minTimeMs)) and \(utcText(summary.maxTimeMs)) (\(summary.minTimeMs)..\(summary.maxTimeMs) ms)"
    }

    private func quarantine(_ name: String) throws(StorageError) {
        try writer.withLock { (state) throws(StorageError) in
            let aside = directory + "/damaged"
            try FileSystem.createDirectory(aside)
            var manifest = state.manifest
            manifest.blocks.removeAll { $0.name == name }
            try publish(manifest, in: &state) { blocks in blocks.removeAll { $0.name == name } }
            published.withLock { $0.damagedBlocks.removeAll { $0.name == name } }
            if FileSystem.exists(blocksDirectory + "/" + name) {
                try FileSystem.rename(blocksDirectory + "/" + name, aside + "/" + name)
            }
        }
    }
}

/// `2026-01-01T00:00:00.000Z`: a time in milliseconds as UTC text.
func utcText(_ ms: Int64) -> String {
    var seconds = time_t(ms.dividingFloor(by: 1000))
    var parts = tm()
    guard gmtime_r(&seconds, &parts) != nil else { return "\(ms) ms" }
    let millis = Int(ms - ms.dividingFloor(by: 1000) * 1000)
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let fraction = String(1000 + millis).dropFirst()
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
}

private extension Int64 {
    func dividingFloor(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
