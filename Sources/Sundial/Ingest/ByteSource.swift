#if canImport(Glibc)
import Glibc
#endif
import CZlib

/// Where ingest reads bytes from: a plain file, a gzip file (any number of members), or standard
/// input, in pieces of up to 1 MiB so memory stays flat whatever the input's size.
final class ByteSource {
    /// The name errors use: the path, or `<stdin>`.
    let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var inflater: Inflater?
    private var rawBuffer: [UInt8]
    /// Bytes read from the underlying file so far (compressed bytes for gzip).
    private(set) var bytesConsumed = 0
    /// Bytes left to read when the source is a range of a file (see ``init(path:range:)``).
    private var remaining = Int.max

    static let pieceSize = 1 << 20

    /// Opens `path` (`-` for standard input); `.gz` files are decompressed.
    init(path: String) throws(IngestError) {
        if path == "-" {
            name = "<stdin>"
            descriptor = 0
            ownsDescriptor = false
        } else {
            name = path
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno))) }
            ownsDescriptor = true
        }
        rawBuffer = [UInt8](repeating: 0, count: Self.pieceSize)
        if path.hasSuffix(".gz") { inflater = try Inflater(name: name) }
    }

    /// Opens the bytes `range` of the plain file `path` (a ``FilePiece``).
    convenience init(path: String, range: Range<Int>) throws(IngestError) {
        try self.init(path: path)
        guard lseek(descriptor, off_t(range.lowerBound), SEEK_SET) == off_t(range.lowerBound) else {
            throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        remaining = range.count
    }

    deinit { if ownsDescriptor { _ = close(descriptor) } }

    /// Reads the next piece into the start of `buffer`, which is kept at ``pieceSize`` bytes so that no
    /// read pays for clearing it; returns how many bytes are valid, 0 at the end.
    func read(into buffer: inout [UInt8]) throws(IngestError) -> Int {
        if buffer.count != Self.pieceSize {
            buffer = [UInt8](repeating: 0, count: Self.pieceSize)
        }
        if let inflater {
            return try inflater.read(into: &buffer) { (raw) throws(IngestError) -> Int in try readRaw(into: &raw) }
        }
        // Read straight into the caller's buffer: no second copy of every byte.
        var n = 0
        var failure: Int32 = 0
        buffer.withUnsafeMutableBytes { raw in
            let wanted = min(raw.count, remaining)
            guard wanted > 0 else { return }
            repeat { n = Glibc.read(descriptor, raw.baseAddress, wanted) } while n < 0 && errno == EINTR
            if n < 0 { failure = errno }
        }
        if failure != 0 { throw IngestError.unreadable(path: name, reason: String(cString: strerror(failure))) }
        bytesConsumed += max(n, 0)
        if remaining != .max { remaining -= max(n, 0) }
        return max(n, 0)
    }

    private func readRaw(into raw: inout [UInt8]) throws(IngestError) -> Int {
        raw.removeAll(keepingCapacity: true)
        var n = 0
        var failure: Int32 = 0
        rawBuffer.withUnsafeMutableBytes { buffer in
            repeat { n = Glibc.read(descriptor, buffer.baseAddress, buffer.count) } while n < 0 && errno == EINTR
            if n < 0 { failure = errno }
        }
        if failure != 0 { throw IngestError.unreadable(path: name, reason: String(cString: strerror(failure))) }
        if n > 0 {
            raw.append(contentsOf: rawBuffer[0..<n])
            bytesConsumed += n
        }
        return max(n, 0)
    }
}

/// Streaming gzip decompression with zlib (`inflate` with gzip headers), members concatenated.
final class Inflater {
    private var stream = z_stream()
    private let name: String
    private var input: [UInt8] = []
    private var inputOffset = 0
    private var finished = false

    init(name: String) throws(IngestError) {
        self.name = name
        let status = inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw IngestError.unreadable(path: name, reason: "zlib could not start (\(status))") }
    }

    deinit { inflateEnd(&stream) }

    /// Inflates into the start of `produced` (at least ``ByteSource/pieceSize`` bytes); returns the bytes made.
    func read(into produced: inout [UInt8], refill: (inout [UInt8]) throws(IngestError) -> Int) throws(IngestError) -> Int {
        guard !finished else { return 0 }
        let capacity = ByteSource.pieceSize
        var producedCount = 0
        while producedCount < capacity {
            if inputOffset >= input.count {
                inputOffset = 0
                if try refill(&input) == 0 {
                    finished = true
                    if sawInput && !streamEnded {
                        throw IngestError.unreadable(path: name, reason: "the gzip data ends early (a truncated file?)")
                    }
                    break
                }
                sawInput = true
            }
            var status: Int32 = Z_OK
            let before = producedCount
            let consumed: Int = input.withUnsafeMutableBufferPointer { inBuf in
                produced.withUnsafeMutableBufferPointer { outBuf in
                    guard let inBase = inBuf.baseAddress, let outBase = outBuf.baseAddress else { return 0 }
                    stream.next_in = inBase + inputOffset
                    stream.avail_in = UInt32(inBuf.count - inputOffset)
                    stream.next_out = outBase + producedCount
                    stream.avail_out = UInt32(capacity - producedCount)
                    status = inflate(&stream, Z_NO_FLUSH)
                    producedCount = capacity - Int(stream.avail_out)
                    return inBuf.count - inputOffset - Int(stream.avail_in)
                }
            }
            inputOffset += consumed
            switch status {
            case Z_STREAM_END:
                streamEnded = true
                inflateReset(&stream)  // another member may follow
            case Z_OK, Z_BUF_ERROR:
                if consumed > 0 || producedCount > before { streamEnded = false }
            default:
                throw IngestError.unreadable(path: name, reason: "the gzip data is damaged (zlib status \(status))")
            }
        }
        return producedCount
    }

    private var sawInput = false
    private var streamEnded = false
}
