import ArgumentParser
import Sundial

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify every checksum and invariant; name each damaged file and byte range.",
        discussion: """
            Exit status 1 when damage is found. --repair moves damaged blocks into DIR/damaged/ (never deletes)
            and reports what was lost. Example: sundial check --store ./sundial-data --repair
            """)

    @OptionGroup var location: StoreLocation
    @Flag(help: "Move damaged blocks aside and report what they held.") var repair = false

    func run() throws {
        var damageFound = false
        let store: Store
        do {
            store = try location.open(writable: repair)
        } catch let error as StorageError {
            guard case let .corruptManifest(_, reason) = error else { throw error }
            // No second copy exists: report it, and with --repair write a new one from the blocks present.
            guard repair else {
                print("damaged: MANIFEST: \(reason) (run sundial check --repair to rebuild it from the blocks present)")
                throw ExitCode(1)
            }
            let rebuilt = try Store.rebuildManifest(at: location.path)
            print("damaged: MANIFEST: \(reason) (rebuilt from the \(rebuilt.blocks.count) blocks present, "
                  + "replaying the write-ahead log from segment \(rebuilt.walStartSegment)"
                  + (rebuilt.keptAs.map { "; the damaged manifest was kept as \($0)" } ?? "") + ")")
            for (name, reason) in rebuilt.movedAside { print("damaged: blocks/\(name): \(reason) (moved to damaged/\(name))") }
            damageFound = true
            store = try location.open(writable: true)
        }
        let report = try store.check(repair: repair)
        print("checked \(report.blocksChecked) blocks and \(report.segmentsChecked) write-ahead segments in \(location.path)")
        for problem in report.recovered { print("recovered: \(problem)") }
        for problem in report.problems { print("damaged: \(problem)") }
        store.close()
        if report.isHealthy && !damageFound {
            print("no damage found")
        } else {
            throw ExitCode(1)
        }
    }
}

struct CompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Seal the write-ahead log into blocks and merge small or overlapping blocks.",
        discussion: "Example: sundial compact --store ./sundial-data")

    @OptionGroup var location: StoreLocation

    func run() throws {
        let store = try location.open(writable: true)
        let sealed = try store.flush()
        let summary = try store.compact()
        print("sealed \(sealed) blocks from the write-ahead log; merged \(summary.removedBlocks.count) blocks into \(summary.addedBlocks.count)")
        store.close()
    }
}

struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Drop whole blocks older than a horizon, counted back from the newest sample.",
        discussion: "Example: sundial retention --keep 30d")

    @OptionGroup var location: StoreLocation
    @Option(help: "How much history to keep, e.g. 30d.") var keep: String

    func run() throws {
        let keepMs = try parseDuration(keep)
        let store = try location.open(writable: true)
        try store.flush()
        let summary = try store.applyRetention(keepMs: keepMs)
        print("dropped \(summary.removedBlocks.count) blocks older than \(TimeArgument.format(durationMs: keepMs)) before the newest sample")
        store.close()
    }
}
