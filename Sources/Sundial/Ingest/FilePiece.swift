#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SundialExposition

/// Tells the parsing threads that the rest of a cut file's pieces need not be parsed: the storing side found a
/// piece that does not fit (the file is parsed again whole) or, in strict mode, a rejected line.
final class CutFileSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var abandoned = false

    /// Marks the file's remaining pieces as not needed.
    func abandon() {
        lock.lock()
        abandoned = true
        lock.unlock()
    }

    /// Whether the file's remaining pieces are not needed.
    var isAbandoned: Bool {
        lock.lock()
        defer { lock.unlock() }
        return abandoned
    }
}

/// A byte range of one large input file that a parsing thread parses on its own (see ``FilePiece/plan(_:format:options:)``).
///
/// ## Where a file is cut
/// Only before a line `L` whose previous line `P` is a sample line (it begins with a metric name) and where
/// - `L` is a `# HELP`, `# TYPE` or `# UNIT` line, or
/// - `L` is a sample line whose name does not begin with the name of `P` stripped of a family suffix (`_total`,
///   `_created`, `_bucket`, `_sum`, `_count`, `_gsum`, `_gcount`, `_info`).
///
/// So in a file of timestamped scrapes (each scrape lists every family once) pieces begin where one family's
/// samples end and another's begin, never inside a family or a histogram's bucket group. The text alone does not
/// prove it (a rejected `P` leaves the family of an earlier line open): the parser of the piece before confirms,
/// with its real state, that `L` opens a new family there, and the storing side re-parses the file in one piece
/// when it does not (see ``PieceAssembler``).
struct FilePiece: Sendable {
    /// The file the piece belongs to.
    var file: InputFile
    /// The format of the whole file.
    var format: ExpositionFormat
    /// The piece's position in the file, from 0.
    var index: Int
    /// How many pieces the file has.
    var count: Int
    /// The bytes of the file this piece holds; each but the last ends with a newline.
    var range: Range<Int>
    /// Shared by the file's pieces: set when the file's pieces no longer matter (see ``CutFileSignal``).
    var signal: CutFileSignal

    /// Whether this is the file's last piece (the one that must end with `# EOF` in OpenMetrics).
    var isLast: Bool { index == count - 1 }

    /// How far past a nominal cut the rule above is looked for before that cut is given up.
    static let searchLimit = 8 << 20

    /// The pieces of `file`: more than one only for a plain file (not standard input, not `.gz`) of at least
    /// ``IngestOptions/splitFileBytes`` bytes in which cuts were found; otherwise `nil`.
    static func plan(_ file: InputFile, format: ExpositionFormat, options: IngestOptions) -> [FilePiece]? {
        guard file.path != "-", !file.path.hasSuffix(".gz"), options.splitFileBytes > 0,
              file.bytes >= options.splitFileBytes, options.pieceBytes > 0 else { return nil }
        let descriptor = open(file.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { _ = close(descriptor) }
        var size = stat()
        guard fstat(descriptor, &size) == 0, (size.st_mode & S_IFMT) == S_IFREG else { return nil }
        let length = Int(size.st_size)
        var cuts: [Int] = []
        var nominal = options.pieceBytes
        while nominal < length {
            guard let cut = findCut(descriptor, after: max(nominal, (cuts.last ?? 0) + 1), length: length)
            else { break }
            cuts.append(cut)
            nominal = cut + options.pieceBytes
        }
        guard !cuts.isEmpty else { return nil }
        let bounds = [0] + cuts + [length]
        let signal = CutFileSignal()
        return (0..<(bounds.count - 1)).map { k in
            FilePiece(file: file, format: format, index: k, count: bounds.count - 1, range: bounds[k]..<bounds[k + 1],
                      signal: signal)
        }
    }

    /// The offset of the first line after `offset` (not the line `offset` falls into, even when it begins
    /// there) before which the file may be cut; `nil` when none is found within ``searchLimit`` bytes or before
    /// the end. Reads windows of the file and looks only at the start of each line.
    private static func findCut(_ descriptor: Int32, after offset: Int, length: Int) -> Int? {
        let window = 256 << 10
        var buffer = [UInt8](repeating: 0, count: window)
        var previousBase: [UInt8] = []
        var previousIsSample = false
        var position = offset        // where the next read starts: the start of a line, except at first
        var skipsLine = true         // the line being read is the one `offset` falls into, or one too long
        while position < length && position - offset < searchLimit {
            let found: Int?? = buffer.withUnsafeMutableBytes { raw -> Int?? in
                guard let base = raw.baseAddress else { return .some(nil) }
                let count = pread(descriptor, base, window, off_t(position))
                guard count > 0 else { return .some(nil) }
                let p = base.assumingMemoryBound(to: UInt8.self)
                var lineStart = 0
                while lineStart < count, let newline = memchr(p + lineStart, 0x0A, count - lineStart) {
                    let lineEnd = UnsafeRawPointer(newline) - UnsafeRawPointer(p)
                    let head = LineHead(p + lineStart, lineEnd - lineStart)
                    if skipsLine {
                        // Its start is not the start of a line: nothing to compare the next line with.
                        skipsLine = false
                        previousIsSample = false
                        lineStart = lineEnd + 1
                        continue
                    } else if previousIsSample && (head.isMetadata
                        || (head.nameEnd > 0 && !head.begins(p + lineStart, with: previousBase))) {
                        return .some(position + lineStart)
                    }
                    previousIsSample = head.nameEnd > 0
                    previousBase.removeAll(keepingCapacity: true)
                    previousBase.append(contentsOf: UnsafeBufferPointer(start: p + lineStart, count: head.baseEnd))
                    lineStart = lineEnd + 1
                }
                if lineStart == 0 {
                    // No newline in a whole window: a line too long to look at; skip the rest of it.
                    skipsLine = true
                    previousIsSample = false
                    position += count
                } else {
                    position += lineStart
                }
                return nil
            }
            if let found { return found }
        }
        return nil
    }

    /// What the cutting rule reads of a line: whether it is a `# HELP`, `# TYPE` or `# UNIT` line, and where its
    /// metric name ends (0: it does not begin with one) and where that name ends without a family suffix.
    struct LineHead {
        var isMetadata = false
        var nameEnd = 0
        var baseEnd = 0

        init(_ p: UnsafePointer<UInt8>, _ count: Int) {
            guard count > 0 else { return }
            if p[0] == UInt8(ascii: "#") {
                isMetadata = count > 7 && p[1] == UInt8(ascii: " ") && Self.isMetadataWord(p + 2)
                return
            }
            guard Self.isNameStart(p[0]) else { return }
            var end = 1
            while end < count && (Self.isNameStart(p[end]) || (p[end] >= 0x30 && p[end] <= 0x39)) { end += 1 }
            nameEnd = end
            baseEnd = end - Self.familySuffixLength(p, end)
        }

        /// Whether the line `p` begins with `base`.
        func begins(_ p: UnsafePointer<UInt8>, with base: [UInt8]) -> Bool {
            guard nameEnd >= base.count else { return false }
            return base.withUnsafeBufferPointer { b in b.baseAddress.map { memcmp(p, $0, b.count) == 0 } ?? true }
        }

        private static func isMetadataWord(_ p: UnsafePointer<UInt8>) -> Bool {
            guard p[4] == UInt8(ascii: " ") else { return false }
            let word = (p[0], p[1], p[2], p[3])
            return word == (0x48, 0x45, 0x4C, 0x50) || word == (0x54, 0x59, 0x50, 0x45) || word == (0x55, 0x4E, 0x49, 0x54)
        }

        private static func isNameStart(_ c: UInt8) -> Bool {
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":")
        }

        /// The length of the family suffix (`_total`, `_created`, `_bucket`, `_sum`, `_count`, `_gsum`,
        /// `_gcount`, `_info`) the name `p[0..<end]` ends with, or 0.
        private static func familySuffixLength(_ p: UnsafePointer<UInt8>, _ end: Int) -> Int {
            for suffix in Self.suffixes where end > suffix.count {
                if suffix.withUnsafeBufferPointer({ s in s.baseAddress.map { memcmp(p + end - s.count, $0, s.count) == 0 } ?? false }) {
                    return suffix.count
                }
            }
            return 0
        }

        private static let suffixes: [[UInt8]] = ["_total", "_created", "_bucket", "_sum", "_count", "_gsum", "_gcount", "_info"]
            .map { Array($0.utf8) }
    }

    /// The cutting rule (see the type's description) for the line `line` after the line `previous`.
    static func mayCut(before line: [UInt8], after previous: [UInt8]) -> Bool {
        line.withUnsafeBufferPointer { l in
            previous.withUnsafeBufferPointer { pb in
                guard let lp = l.baseAddress, let pp = pb.baseAddress else { return false }
                let head = LineHead(lp, l.count)
                let before = LineHead(pp, pb.count)
                guard before.nameEnd > 0 else { return false }
                if head.isMetadata { return true }
                guard head.nameEnd > 0 else { return false }
                return !head.begins(lp, with: Array(pb[0..<before.baseEnd]))
            }
        }
    }

    /// The line that begins at `offset` of `path`, without its newline; `nil` when it cannot be read or is
    /// longer than 1 MiB.
    static func line(at offset: Int, of path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { _ = close(descriptor) }
        var line: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while line.count < 1 << 20 {
            let count = chunk.withUnsafeMutableBytes { raw in pread(descriptor, raw.baseAddress, raw.count, off_t(offset + line.count)) }
            guard count > 0 else { return line }
            if let newline = chunk[0..<count].firstIndex(of: 0x0A) {
                line.append(contentsOf: chunk[0..<newline])
                return line
            }
            line.append(contentsOf: chunk[0..<count])
        }
        return nil
    }
}
