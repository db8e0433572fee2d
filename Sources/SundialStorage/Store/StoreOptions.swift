/// How a store is opened and how it cuts, compacts and keeps data.
public struct StoreOptions: Sendable {
    /// Open without taking the writer lock; writes throw ``StorageError/readOnly(store:)``.
    public var readOnly = false
    /// fsync the write-ahead log on every commit (the durability point). Off trades the last
    /// commits before a power loss for speed; a process crash still loses nothing committed.
    public var syncOnCommit = true
    /// Seal the head into blocks once it holds this many samples (bounds writer memory).
    public var headSampleLimit = 4_000_000
    /// A ``BulkLoad`` keeps at most this many samples of the file in progress as appended (20 bytes
    /// each) before moving them into its compact buffer (``bulkBufferBytes``).
    public var bulkSampleLimit = 1_000_000
    /// A ``BulkLoad`` seals its compact buffer (about 2 bytes per sample) into blocks, one per
    /// ``blockRangeMs`` window, once the buffer takes this many bytes. The default holds a whole 2 h
    /// window of 42,000 series scraped every 15 s, so such a window is written once: a smaller buffer cuts
    /// windows into pieces that compaction merges again, which costs more time and, at its peak, more
    /// memory than the buffer saves.
    public var bulkBufferBytes = 80 << 20
    /// Blocks cut from the head cover aligned windows of this length.
    public var blockRangeMs: Int64 = 2 * 3_600_000
    /// Compaction merges the blocks of each aligned window of this length into one.
    public var compactionRangeMs: Int64 = 24 * 3_600_000
    /// Compact automatically after each seal (synchronously, on the writer's thread).
    public var compactAutomatically = true
    /// Drop blocks whose newest sample is older than this much before the newest sample in the store.
    public var retentionMs: Int64?

    /// The defaults: durable commits, 4 million samples in memory, 2 h blocks compacted into days.
    public init() {}

    /// Options for opening read-only.
    public static var readOnly: StoreOptions {
        var options = StoreOptions()
        options.readOnly = true
        return options
    }
}
