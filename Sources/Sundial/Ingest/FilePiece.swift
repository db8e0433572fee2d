#if canImport(Glibc)
import Glibc
#endif
import SundialExposition

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
        var misses = 0
        // A family longer than the search limit has no cut near `nominal`: look further on, but give up after a
        // few (planning reads on the storing thread before parsing starts).
        while nominal < length && misses < 4 {
            if let cut = findCut(descriptor, after: max(nominal, (cuts.last ?? 0) + 1), length: length) {
                cuts.append(cut)
                nominal = cut + options.pieceBytes
                misses = 0
            } else {
                nominal += max(options.pieceBytes, searchLimit)
                misses += 1
            }
        }
        guard !cuts.isEmpty else { return nil }
        let bounds = [0] + cuts + [length]
        let signal = CutFileSignal()
        return (0..<(bounds.count - 1)).map { k in
            FilePiece(file: file, format: format, index: k, count: bounds.count - 1, range: bounds[k]..<bounds[k + 1],
                      signal: signal)
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
