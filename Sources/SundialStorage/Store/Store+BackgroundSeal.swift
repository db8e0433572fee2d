import Dispatch

/// A head frozen at ``StoreOptions/headSampleLimit``: commits go to a new head while its blocks are written
/// on a background thread (``SealJob``). Readers keep seeing it until the blocks replace it, and the
/// write-ahead segments before ``nextSegment`` keep its samples until the manifest names the blocks.
struct FrozenHead {
    /// The head, no longer appended to.
    let head: Head
    /// The write-ahead segment the next head began in.
    let nextSegment: UInt64
    /// The background writing of its blocks; nil once it failed (the writer then retries on its own thread).
    var job: SealJob?
}

/// Blocks being written from a frozen head on a background thread.
final class SealJob: Sendable {
    private let outcome = Locked<Result<[BlockSummary], StorageError>?>(nil)
    private let done = DispatchGroup()

    /// Starts `write` on a background thread.
    init(_ write: @escaping @Sendable () throws(StorageError) -> [BlockSummary]) {
        done.enter()
        DispatchQueue.global(qos: .userInitiated).async { [outcome, done] in
            let result: Result<[BlockSummary], StorageError>
            do throws(StorageError) {
                result = .success(try write())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            done.leave()
        }
    }

    /// True once the blocks are written or writing them failed.
    var isFinished: Bool { outcome.withLock { $0 != nil } }

    /// Waits for the job: the blocks written (not yet in the manifest), or why writing them failed.
    func wait() -> Result<[BlockSummary], StorageError> {
        done.wait()
        return outcome.withLock { $0 } ?? .failure(.invalidArgument("a seal job finished without an outcome"))
    }
}

extension Store {
    /// The most block windows a frozen head may span for its blocks to be written in the background: each
    /// window reserves a block sequence number. A head spread wider (timestamps years apart) is sealed on
    /// the writer's thread instead.
    static let backgroundSealWindowLimit: Int64 = 100_000

    /// Freezes the head: publishes the previously frozen head's blocks first (waiting for them), starts a new
    /// write-ahead segment and an empty head for the commits that follow, and writes the frozen head's
    /// blocks on a background thread. ``finishSeal(_:wait:)`` publishes them.
    /// - Returns: the blocks published now (the previously frozen head's).
    func freeze(_ state: inout WriterState) throws(StorageError) -> Int {
        let earlier = try finishSeal(&state)
        let head = published.withLock { $0.head }
        guard !head.isEmpty, let wal = state.wal else { return earlier }
        // Each window the head touches gets the sequence number `base + its index`, reserved now so that
        // nothing else the writer names in the meantime takes it. Nothing else does: every other writer of
        // blocks publishes the frozen head first.
        let range = options.blockRangeMs
        let firstWindow = alignedStart(head.minTimeMs, range)
        let (span, overflow) = alignedStart(head.maxTimeMs, range).subtractingReportingOverflow(firstWindow)
        guard !overflow, span / range < Self.backgroundSealWindowLimit else { return try seal(&state) }
        let base = state.manifest.nextBlockSequence
        state.manifest.nextBlockSequence += UInt64(span / range + 1)
        try wal.rotate()
        let job = SealJob { [self] () throws(StorageError) in
            try writeBlocks(from: head) { window in base + UInt64((window &- firstWindow) / range) }
        }
        published.withLock { published in
            published.frozen = head
            published.head = Head()
        }
        state.registry.resetHeadReferences()
        state.frozen = FrozenHead(head: head, nextSegment: wal.segment, job: job)
        return earlier
    }

    /// Publishes the frozen head's blocks, if there is a frozen head: waits for its background job (or, with
    /// `wait` false, returns at once while it still runs), adds the blocks to the manifest with the write-ahead
    /// segments after the frozen head's as the log's start, removes the earlier segments, then compacts and
    /// applies retention as configured. When the background job failed, the blocks are written again here;
    /// should that fail too, the head stays frozen (readable, in the log) and the error is thrown.
    /// - Returns: the number of blocks published.
    @discardableResult
    func finishSeal(_ state: inout WriterState, wait: Bool = true) throws(StorageError) -> Int {
        guard var frozen = state.frozen else { return 0 }
        if !wait, let job = frozen.job, !job.isFinished { return 0 }
        var written: [BlockSummary]
        if let job = frozen.job, case .success(let blocks) = job.wait() {
            written = blocks
        } else {
            frozen.job = nil
            state.frozen = frozen
            written = try writeBlocks(from: frozen.head, &state)
        }
        do throws(StorageError) {
            try addBlocks(written, walStartSegment: frozen.nextSegment, replacingFrozen: true, &state)
        } catch {
            // The next attempt writes the blocks again; these files, named by no manifest, go at the next open.
            frozen.job = nil
            state.frozen = frozen
            throw error
        }
        state.frozen = nil
        for segment in WriteAheadLog.segments(in: walDirectory) where segment < frozen.nextSegment {
            try FileSystem.remove(WriteAheadLog.path(directory: walDirectory, segment: segment))
        }
        try maintain(&state)
        return written.count
    }
}
