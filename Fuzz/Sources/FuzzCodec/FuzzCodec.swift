import FuzzSupport
@testable import SundialStorage

let segmentPath = ScratchFile.path("fuzz.wal")

/// The decoders behind the checksums, fed directly: the first byte picks one, the rest is its input
/// (checksums in it are set right first, see Checksums.swift).
enum Decoder: UInt8, CaseIterable {
    case timestamps, values, difference, blockIndex, writeAheadRecord, writeAheadSegment, manifest, frame

    /// Decodes `body`; any error is an answer, only a crash is a failure.
    func run(_ body: UnsafeRawBufferPointer) {
        switch self {
        case .timestamps:
            guard let count = try? TimestampCodec.count(body), count <= 1 << 16 else { return }
            var out = [Int64](repeating: 0, count: count)
            _ = out.withUnsafeMutableBufferPointer { try? TimestampCodec.decode(body, into: $0) }
        case .values, .difference:
            // The first byte is the count the index would announce.
            guard let count = body.first.map(Int.init) else { return }
            let chunk = UnsafeRawBufferPointer(rebasing: body.dropFirst())
            var out = [Double](repeating: 0, count: count)
            let reference = (0..<count).map { Double($0 * 1_000) }
            // Whole, and from a quarter, the middle and three quarters in (through a seek point when there is one:
            // the anchored layout reads the last of them from the table's end), in every layout; then the seek
            // points are checked against the whole decode, as `sundial check` does, in the writers' layout.
            if self == .difference { _ = try? ValueCodec.referencedSeries(chunk) }
            reference.withUnsafeBufferPointer { referenced in
                let ref = self == .difference ? referenced : nil
                for layout in [ValueCodec.Layout.anchored, .seekable, .plain] {
                    for start in [0, count / 4, count / 2, count * 3 / 4] {
                        out.withUnsafeMutableBufferPointer { buffer in
                            _ = try? ValueCodec.decode(chunk, reference: ref, into: buffer, layout: layout, wanted: start..<count)
                        }
                    }
                }
                let whole = out.withUnsafeMutableBufferPointer { buffer in
                    (try? ValueCodec.decode(chunk, reference: ref, into: buffer, layout: ValueCodec.currentLayout, wanted: 0..<count)) != nil
                }
                if whole {
                    out.withUnsafeBufferPointer { try? ValueCodec.checkSeekPoints(chunk, reference: ref, values: $0, layout: ValueCodec.currentLayout) }
                }
            }
        case .blockIndex:
            _ = try? BlockIndex(parsing: body)
        case .writeAheadRecord:
            try? Store.replay([Array(body)], into: Head(), path: "fuzz")
        case .writeAheadSegment:
            var bytes = Array(body)
            fixSegmentChecksums(&bytes)
            guard ScratchFile.write(bytes, to: segmentPath), let result = try? WriteAheadLog.read(path: segmentPath) else { return }
            try? Store.replay(result.payloads, into: Head(), path: segmentPath)
        case .manifest:
            var bytes = Array(body)
            fixManifestChecksum(&bytes)
            _ = try? Manifest(parsing: bytes, path: "fuzz")
        case .frame:
            var bytes = Array(body)
            fixFrameChecksum(&bytes, at: 0, end: bytes.count)
            _ = bytes.withUnsafeBytes { try? Frame.decode(in: $0, at: 0) }
        }
    }
}

/// libFuzzer's entry point: `decoder byte | input`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCodec(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0, let decoder = Decoder(rawValue: data[0] % UInt8(Decoder.allCases.count)) else { return 0 }
    decoder.run(UnsafeRawBufferPointer(start: data + 1, count: size - 1))
    return 0
}
