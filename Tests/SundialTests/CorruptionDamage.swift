import Foundation
import Sundial

/// One kind of file in a store, as the corruption campaign damages them.
enum StoreFileKind: String, CaseIterable {
    case block, wal, manifest, lock
}

/// A named byte range of a file: a block's header, one of its data frames, its index frame or its
/// footer; a write-ahead segment's header or one of its frames; or the whole file.
struct FileRegion {
    var name: String
    var range: Range<Int>
}

/// One random damage to one file.
struct Damage: CustomStringConvertible {
    enum Operation: String { case bitFlip = "bit flip", truncation, zeroFill = "zero-fill" }
    var file: String
    var kind: StoreFileKind
    var region: String
    var operation: Operation
    /// For a flip, the byte; for a truncation, the new length onwards; for a zero-fill, the bytes zeroed.
    var range: Range<Int>
    var description: String { "\(operation.rawValue) of \(file) at bytes \(range.lowerBound)..<\(range.upperBound) (\(region))" }

    /// Chooses and applies a damage to one of `files` (paths relative to `store`) that changes at least
    /// one byte; nil when the file chosen has no byte that can change.
    static func apply(to store: String, files: [(path: String, kind: StoreFileKind)], rng: inout SplitMix64) throws -> Damage? {
        // Blocks are the bulk of a store and have the most parts: half the trials; the log a quarter.
        let roll = rng.next() % 20
        let kind: StoreFileKind = roll < 10 ? .block : roll < 15 ? .wal : roll < 18 ? .manifest : .lock
        let candidates = files.filter { $0.kind == kind }
        guard !candidates.isEmpty else { return nil }
        let file = candidates[Int(rng.next() % UInt64(candidates.count))].path
        let url = URL(fileURLWithPath: store + "/" + file)
        var bytes = [UInt8](try Data(contentsOf: url))
        guard !bytes.isEmpty else { return nil }
        let regions = Self.regions(of: bytes, kind: kind)
        let region = regions[Int(rng.next() % UInt64(regions.count))]
        let operation: Operation = [.bitFlip, .truncation, .zeroFill][Int(rng.next() % 3)]
        let at = region.range.lowerBound + Int(rng.next() % UInt64(region.range.count))
        var damage = Damage(file: file, kind: kind, region: region.name, operation: operation, range: at..<(at + 1))
        switch operation {
        case .bitFlip:
            bytes[at] ^= UInt8(1) << UInt8(rng.next() % 8)
        case .truncation:
            damage.range = at..<bytes.count
            bytes.removeSubrange(at...)
        case .zeroFill:
            let end = min(bytes.count, at + 1 + Int(rng.next() % 64))
            guard bytes[at..<end].contains(where: { $0 != 0 }) else { return nil }
            damage.range = at..<end
            for i in at..<end { bytes[i] = 0 }
        }
        try Data(bytes).write(to: url)
        return damage
    }

    /// The parts of a file, from its bytes (docs/FORMAT.md).
    static func regions(of bytes: [UInt8], kind: StoreFileKind) -> [FileRegion] {
        let whole = [FileRegion(name: "anywhere", range: 0..<bytes.count)]
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        switch kind {
        case .block:
            guard bytes.count > 52 else { return whole }
            let footerStart = bytes.count - 44
            let indexOffset = u32(footerStart)
            var regions = [FileRegion(name: "header", range: 0..<8)]
            var offset = 8
            var frame = 0
            while offset < indexOffset, offset + 16 <= indexOffset {
                let end = offset + 16 + u32(offset)
                regions.append(FileRegion(name: "data frame \(frame)", range: offset..<min(end, indexOffset)))
                offset = end
                frame += 1
            }
            regions.append(FileRegion(name: "index frame", range: indexOffset..<footerStart))
            regions.append(FileRegion(name: "footer", range: footerStart..<bytes.count))
            return regions + whole
        case .wal:
            return [FileRegion(name: "header", range: 0..<min(8, bytes.count))]
                + walFrames(bytes).enumerated().map { FileRegion(name: "frame \($0.offset)", range: $0.element) } + whole
        case .manifest, .lock:
            return whole
        }
    }

    /// The byte ranges of a write-ahead segment's frames.
    static func walFrames(_ bytes: [UInt8]) -> [Range<Int>] {
        var frames: [Range<Int>] = []
        var offset = 8
        while offset + 16 <= bytes.count {
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            let end = offset + 16 + length
            guard end <= bytes.count else { break }
            frames.append(offset..<end)
            offset = end
        }
        return frames
    }
}

/// The byte ranges (`bytes a..<b`) named in a line of `sundial check` output.
func reportedRanges(_ line: String) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var rest = Substring(line)
    while let start = rest.range(of: "bytes ") {
        rest = rest[start.upperBound...]
        let text = rest.prefix { $0.isNumber || $0 == "." || $0 == "<" }
        let parts = text.components(separatedBy: "..<")
        if parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), low < high { ranges.append(low..<high) }
    }
    return ranges
}
