import Foundation

/// What the parsing thread hands to the storing thread, in file order.
enum IngestMessage: Sendable {
    /// A file begins.
    case fileStarted(InputFile)
    /// Samples (and metadata) of the current file.
    case samples(Batch)
    /// The current file is parsed.
    case fileDone(ParsedFile)
    /// Parsing stopped: the run fails with this error.
    case failed(IngestError)
    /// Every file is parsed; `seriesSeen` distinct series were met.
    case finished(seriesSeen: Int)
}

/// What parsing one file found, besides its samples.
struct ParsedFile: Sendable {
    var file: InputFile
    /// The series of the file, each once, in the order first seen.
    var series: [UInt32] = []
    var hasTimestamps = false
    /// In strict mode: a line was rejected, so nothing of the file is to be stored.
    var rejectedInStrictMode = false
    var samples = 0
    var bytes = 0
    var rejectedLines = 0
    var errors: [String] = []
}

/// A bounded queue between two threads: the sender waits while it is full, so memory stays flat
/// however far parsing runs ahead of storing.
final class IngestChannel: @unchecked Sendable {
    // Every field is guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [IngestMessage] = []
    private var head = 0
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int = 32) { self.capacity = capacity }

    /// Enqueues `message`, waiting for room; false when the receiver gave up.
    @discardableResult
    func send(_ message: IngestMessage) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count - head >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        queue.append(message)
        condition.broadcast()
        return true
    }

    /// Dequeues the next message, waiting for one.
    func receive() -> IngestMessage {
        condition.lock()
        defer { condition.unlock() }
        while queue.count - head == 0 { condition.wait() }
        let message = queue[head]
        head += 1
        if head > 64 {
            queue.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return message
    }

    /// Tells the sender to stop.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }
}
