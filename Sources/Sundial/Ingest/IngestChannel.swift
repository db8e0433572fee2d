import Foundation
import SundialExposition

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
    /// Set when the file is one piece of a cut file (see ``FilePiece``).
    var piece: PieceFacts?
}

/// What the storing side needs of one piece of a cut file to put the file back together (see ``PieceAssembler``).
struct PieceFacts: Sendable {
    /// The lines of the piece (each piece counts its lines from 1).
    var lines = 0
    /// Whether the parser, at the piece's end, confirmed that the next piece's first line opens a new family.
    var nextLineOpensFamily = false
    /// Whether the piece's first line was rejected.
    var firstLineRejected = false
    /// The family names the piece met.
    var familyNames: [[UInt8]] = []
    /// The family names of the piece's `# HELP`, `# TYPE` and `# UNIT` lines.
    var metadataNames: [[UInt8]] = []
    /// For each of ``ParsedFile/series``: the timestamps of its first and last sample in the piece.
    var firstTimestamps: [Int64] = []
    var lastTimestamps: [Int64] = []
    /// The piece's metadata records, in order (not sent with its samples: see ``PieceAssembler``).
    var metadata: [MetricMetadata] = []
    /// The rejected lines kept in full, with line numbers counted within the piece.
    var lineErrors: [PieceLineError] = []
}

/// A rejected line of a piece, before its line numbers are moved to count from the file's start.
struct PieceLineError: Sendable {
    var error: ExpositionError
    /// For a duplicate sample: the line of the earlier sample at the same time.
    var sameTimeAsLine: Int?

    /// `file:line:column: message` with lines counted from the file's start, `lineOffset` lines before the piece.
    func description(lineOffset: Int) -> String {
        var moved = error
        moved.line += lineOffset
        if let earlier = sameTimeAsLine { moved.message += " \(earlier + lineOffset)" }
        return moved.description
    }
}

/// A bounded queue between two threads: the sender waits while it is full (in messages, or in samples
/// when files are wide), so memory stays flat however far parsing runs ahead of storing.
final class IngestChannel: @unchecked Sendable {
    // Every field is guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [IngestMessage] = []
    private var head = 0
    private var cancelled = false
    private var queuedSamples = 0
    private let capacity: Int
    private let sampleCapacity: Int

    /// A channel holding at most `capacity` messages and, unless it is empty, `sampleCapacity` samples.
    init(capacity: Int = 32, sampleCapacity: Int = 1 << 16) {
        self.capacity = capacity
        self.sampleCapacity = sampleCapacity
    }

    /// Enqueues `message`, waiting for room; false when the receiver gave up.
    @discardableResult
    func send(_ message: IngestMessage) -> Bool {
        let samples = Self.samples(in: message)
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && (queue.count - head >= capacity || (queuedSamples > 0 && queuedSamples + samples > sampleCapacity)) {
            condition.wait()
        }
        guard !cancelled else { return false }
        queue.append(message)
        queuedSamples += samples
        condition.broadcast()
        return true
    }

    private static func samples(in message: IngestMessage) -> Int {
        if case let .samples(batch) = message { return batch.sampleCount }
        return 0
    }

    /// Dequeues the next message, waiting for one.
    func receive() -> IngestMessage {
        condition.lock()
        defer { condition.unlock() }
        while queue.count - head == 0 { condition.wait() }
        let message = queue[head]
        queuedSamples -= Self.samples(in: message)
        // Let the taken message's samples go now, not when the queue is next compacted.
        queue[head] = .finished(seriesSeen: 0)
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
