#if canImport(Glibc)
import Glibc
#endif

/// Finding where a file may be cut (the rule is on ``FilePiece``).
extension FilePiece {
    /// The offset of the first line after `offset` (not the line `offset` falls into, even when it begins
    /// there) before which the file may be cut; `nil` when none is found within ``searchLimit`` bytes or before
    /// the end. Reads windows of the file and looks only at the start of each line.
    static func findCut(_ descriptor: Int32, after offset: Int, length: Int) -> Int? {
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
}
