#if canImport(Glibc)
import Glibc
#endif
import SundialExposition

/// A byte range of one large input file that a parsing thread parses on its own (see ``FilePiece/plan(_:format:options:)``).
///
/// ## Where a file is cut
/// Only before a line `L` whose previous line is `P` where
/// - `L` is a `# HELP`, `# TYPE` or `# UNIT` line, or
/// - `P` and `L` are both sample lines (they begin with a metric name) and the name of `L` does not begin with the
///   name of `P` stripped of a family suffix (`_total`, `_created`, `_bucket`, `_sum`, `_count`, `_gsum`,
///   `_gcount`, `_info`).
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
        return (0..<(bounds.count - 1)).map { k in
            FilePiece(file: file, format: format, index: k, count: bounds.count - 1, range: bounds[k]..<bounds[k + 1])
        }
    }

    /// The offset of the first line at or after `offset` (not counting a line that begins exactly there) before
    /// which the file may be cut; `nil` when none is found within ``searchLimit`` bytes or before the end.
    private static func findCut(_ descriptor: Int32, after offset: Int, length: Int) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        var position = offset
        var line: [UInt8] = []           // the current line so far
        var lineStart = offset           // where it begins in the file
        var previous: [UInt8]? = nil     // the previous whole line; none for the line `offset` falls into
        var inFirstLine = true
        while position < length && position - offset < searchLimit {
            let count = buffer.withUnsafeMutableBytes { raw in pread(descriptor, raw.baseAddress, raw.count, off_t(position)) }
            guard count > 0 else { return nil }
            var k = 0
            while k < count {
                guard let newline = buffer[k..<count].firstIndex(of: 0x0A) else {
                    line.append(contentsOf: buffer[k..<count])
                    break
                }
                line.append(contentsOf: buffer[k..<newline])
                if inFirstLine {
                    inFirstLine = false
                } else if let before = previous, mayCut(before: line, after: before) {
                    return lineStart
                } else {
                    previous = line
                }
                line.removeAll(keepingCapacity: true)
                k = newline + 1
                lineStart = position + k
            }
            position += count
        }
        return nil
    }

    /// The cutting rule (see the type's description) for the line `line` after the line `previous`.
    static func mayCut(before line: [UInt8], after previous: [UInt8]) -> Bool {
        line.withUnsafeBufferPointer { l in
            guard let lp = l.baseAddress, l.count > 0 else { return false }
            if lp[0] == UInt8(ascii: "#") {
                return l.count > 7 && lp[1] == UInt8(ascii: " ")
                    && ["HELP ", "TYPE ", "UNIT "].contains { word in l[2..<7].elementsEqual(word.utf8) }
            }
            let name = metricName(l)
            guard !name.isEmpty else { return false }
            return previous.withUnsafeBufferPointer { pbuf in
                let previousName = metricName(pbuf)
                guard !previousName.isEmpty else { return false }
                let base = familyBase(of: previousName)
                return !(name.count >= base.count && name[name.startIndex..<(name.startIndex + base.count)].elementsEqual(base))
            }
        }
    }

    /// The metric name a sample line begins with (empty when it does not begin with one).
    private static func metricName(_ line: UnsafeBufferPointer<UInt8>) -> ArraySlice<UInt8> {
        guard let first = line.first, isNameStart(first) else { return [] }
        var end = 1
        while end < line.count && (isNameStart(line[end]) || (line[end] >= 0x30 && line[end] <= 0x39)) { end += 1 }
        return ArraySlice(line[0..<end])
    }

    private static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":")
    }

    /// `name` without a family suffix it ends with.
    private static func familyBase(of name: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        for suffix in ["_total", "_created", "_bucket", "_sum", "_count", "_gsum", "_gcount", "_info"] {
            let s = Array(suffix.utf8)
            if name.count > s.count && name.suffix(s.count).elementsEqual(s) { return name.dropLast(s.count) }
        }
        return name
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
