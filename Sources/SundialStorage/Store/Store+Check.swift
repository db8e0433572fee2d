/// What `sundial check` found: every damaged part, named.
public struct CheckReport: Sendable {
    /// One damaged part.
    public struct Problem: Sendable, CustomStringConvertible {
        /// The file, relative to the store directory.
        public var file: String
        /// What is wrong, including the byte offset where known.
        public var message: String
        /// What `--repair` did about it, when it ran.
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
    /// True when nothing is damaged.
    public var isHealthy: Bool { problems.isEmpty }
}

extension Store {
    /// Verifies every checksum and invariant of every block (each frame, each chunk decoded, chunks
    /// in time order) and of the write-ahead log.
    ///
    /// With `repair`, damaged blocks are moved aside into `damaged/` (never deleted) and removed from
    /// the manifest; the report says what each held (series, samples, time range) and so what was lost.
    public func check(repair: Bool = false) throws(StorageError) -> CheckReport {
        var report = CheckReport()
        let snapshot = snapshot()
        var damaged: [(String, String)] = snapshot.damagedBlocks.map { ($0.name, $0.error.description) }
        for block in snapshot.blocks {
            do throws(StorageError) {
                try block.verify()
                report.blocksChecked += 1
            } catch {
                damaged.append((block.name, error.description))
            }
        }
        let manifest = writer.withLock { $0.manifest }
        for (name, message) in damaged {
            var problem = CheckReport.Problem(file: "blocks/" + name, message: message)
            if repair {
                guard !options.readOnly else { throw .readOnly(store: directory) }
                let summary = manifest.blocks.first { $0.name == name }
                try quarantine(name)
                problem.repair = "moved to damaged/\(name); lost " + (summary.map {
                    "\($0.sampleCount) samples of \($0.seriesCount) series between \($0.minTimeMs) and \($0.maxTimeMs) ms"
                } ?? "an unknown number of samples")
            }
            report.problems.append(problem)
        }
        for segment in WriteAheadLog.segments(in: walDirectory) {
            let path = WriteAheadLog.path(directory: walDirectory, segment: segment)
            let result = try WriteAheadLog.read(path: path)
            report.segmentsChecked += 1
            if let damage = result.damage {
                report.problems.append(.init(
                    file: "wal/" + String(path.split(separator: "/").last ?? ""),
                    message: "\(damage); bytes \(result.validLength)..<\(result.fileLength) are unreadable"))
            }
        }
        return report
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
