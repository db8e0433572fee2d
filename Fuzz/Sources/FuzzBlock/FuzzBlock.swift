import FuzzSupport
@testable import SundialStorage

let blockPath = ScratchFile.path("fuzz.block")

/// libFuzzer's entry point: the input is a block file. After its checksums are set right it is
/// opened as the store opens a block, verified as `sundial check` does, and every chunk of every
/// series is decoded, whole and from its middle.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBlock(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    fixBlockChecksums(&bytes)
    guard ScratchFile.write(bytes, to: blockPath), let reader = try? BlockReader(path: blockPath, level: 0) else { return 0 }
    _ = try? reader.verify()
    var timestamps: [Int64] = []
    var values: [Double] = []
    for chunks in reader.index.seriesChunks {
        for chunk in chunks {
            guard (try? reader.decode(chunk, timestamps: &timestamps, values: &values)) != nil, let last = timestamps.last else { continue }
            // A window from the middle, as a query reads it (from a seek point).
            _ = try? reader.decode(chunk, from: timestamps[timestamps.count / 2], through: last, timestamps: &timestamps, values: &values)
        }
    }
    return 0
}
