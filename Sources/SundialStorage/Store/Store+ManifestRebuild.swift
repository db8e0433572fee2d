/// What ``Store/rebuildManifest(at:)`` did.
public struct ManifestRebuild: Sendable {
    /// Where the damaged manifest was kept, relative to the store directory (nil when there was none).
    public var keptAs: String?
    /// The blocks the new manifest names.
    public var blocks: [BlockSummary]
    /// Blocks that failed to open, moved into `damaged/`, with why.
    public var movedAside: [(name: String, reason: String)]
    /// The write-ahead segment replay now starts from.
    public var walStartSegment: UInt64
}

extension Store {
    /// Writes a new manifest naming every block in `blocks/` that opens, when the old one is damaged or
    /// missing; the old manifest is kept in `damaged/` and blocks that fail to open are moved there (nothing
    /// is deleted). Replay starts from the oldest write-ahead segment present.
    ///
    /// There is no second copy of the manifest, so what it alone recorded is lost: which blocks were live
    /// (a block left by an interrupted ingest or compaction comes back: its samples are either new, or
    /// repeat samples of other blocks, which reads resolve) and the compaction level of each block.
    /// - Throws: ``StorageError/locked(store:holder:)`` when a writer holds the store; I/O errors.
    public static func rebuildManifest(at path: String) throws(StorageError) -> ManifestRebuild {
        let directory = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        let lock = try WriterLock.acquire(directory: directory)
        defer { lock.release() }
        let manifestPath = directory + "/" + Manifest.fileName
        let blocksDirectory = directory + "/blocks"
        let aside = directory + "/damaged"
        try FileSystem.createDirectory(aside)
        var keptAs: String?
        if FileSystem.exists(manifestPath) {
            var name = Manifest.fileName
            var n = 0
            while FileSystem.exists(aside + "/" + name) {
                n += 1
                name = Manifest.fileName + ".\(n)"
            }
            try FileSystem.rename(manifestPath, aside + "/" + name)
            keptAs = "damaged/" + name
        }
        var manifest = Manifest()
        var movedAside: [(name: String, reason: String)] = []
        var highest: UInt64 = 0
        for name in FileSystem.list(aside) + FileSystem.list(blocksDirectory) where name.hasSuffix(BlockFile.suffix) {
            highest = max(highest, UInt64(name.dropLast(BlockFile.suffix.count)) ?? 0)
        }
        for name in FileSystem.list(blocksDirectory) where name.hasSuffix(BlockFile.suffix) {
            do throws(StorageError) {
                manifest.blocks.append(try BlockReader(path: blocksDirectory + "/" + name, level: 0).summary)
            } catch {
                try FileSystem.rename(blocksDirectory + "/" + name, aside + "/" + name)
                movedAside.append((name, error.description))
            }
        }
        manifest.blocks.sort { ($0.minTimeMs, $0.name) < ($1.minTimeMs, $1.name) }
        manifest.nextBlockSequence = highest + 1
        manifest.walStartSegment = WriteAheadLog.segments(in: directory + "/" + WriteAheadLog.directoryName).first ?? 1
        manifest.generation = 1
        try FileSystem.writeAtomically(manifest.serialized(), to: manifestPath, directory: directory)
        return ManifestRebuild(keptAs: keptAs, blocks: manifest.blocks, movedAside: movedAside,
                               walStartSegment: manifest.walStartSegment)
    }

    /// A missing manifest is fine in a new store; next to blocks it would make the writer remove them all
    /// as leftovers, so it is refused as damage.
    static func refuseMissingManifest(_ manifestPath: String, blocksDirectory: String) throws(StorageError) {
        let blocks = FileSystem.list(blocksDirectory).filter { $0.hasSuffix(BlockFile.suffix) }
        guard blocks.isEmpty else {
            throw .corruptManifest(path: manifestPath, reason: "it is missing, but blocks/ holds \(blocks.count) blocks")
        }
    }
}
