import FuzzSupport
@testable import SundialStorage

let blockPath = ScratchFile.path("fuzz.block")

/// libFuzzer's entry point: the input is a block file. After its checksums are set right it is
/// opened as the store opens a block, verified as `sundial check` does, and every chunk of every
/// series is decoded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBlock(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    fixBlockChecksums(&bytes)
    guard ScratchFile.write(bytes, to: blockPath), let reader = try? BlockReader(path: blockPath, level: 0) else { return 0 }
    _ = try? reader.verify()
    var timestamps: [Int64] = []
    var values: [Double] = []
    for chunks in reader.index.seriesChunks {
        for chunk in chunks { _ = try? reader.decode(chunk, timestamps: &timestamps, values: &values) }
    }
    return 0
}
