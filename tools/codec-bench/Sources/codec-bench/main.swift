import Dispatch
import Foundation
@testable import SundialStorage

// Decodes every value chunk of a block from bytes copied out of it beforehand (difference chunks against
// their reference's values, also decoded beforehand), REPS times, and prints the best pass in samples per
// second: for all chunks, for each codec, and for the block's timestamp columns.

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: codec-bench BLOCK [REPS]")
    exit(2)
}
let reps = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 15) : 15
let block = try BlockReader(path: arguments[1], level: 0)

/// One value chunk to decode: its bytes, its number of values, the reference of a difference chunk.
struct ValueChunk {
    let bytes: [UInt8]
    let count: Int
    let reference: [Double]?
    var kind: UInt8 { bytes[0] }
}

var chunks: [ValueChunk] = []
for seriesChunks in block.index.seriesChunks {
    for chunk in seriesChunks {
        let bytes = try block.withChunkBytes(chunk.values) { Array($0) }
        var timestamps: [Int64] = []
        var values: [Double] = []
        var reference: [Double]?
        if let referenced = try bytes.withUnsafeBytes({ try ValueCodec.referencedSeries($0) }),
           let base = block.index.seriesChunks[referenced].first(where: { $0.column == chunk.column }) {
            try block.decode(base, timestamps: &timestamps, values: &values)
            reference = values
        }
        chunks.append(ValueChunk(bytes: bytes, count: block.index.columns[chunk.column].count, reference: reference))
    }
}
let columns = try block.index.columns.map { column in try block.withChunkBytes(column.location) { Array($0) } }
let largest = max(chunks.map(\.count).max() ?? 0, block.index.columns.map(\.count).max() ?? 0)
var values = [Double](repeating: 0, count: largest)
var timestamps = [Int64](repeating: 0, count: largest)

/// The best time of `reps` passes of `pass`, in seconds.
func best(_ pass: () throws -> Void) rethrows -> Double {
    var fastest = Double.infinity
    for _ in 0..<reps {
        let start = DispatchTime.now().uptimeNanoseconds
        try pass()
        fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return fastest
}

/// Decodes each of `subset` into `values`.
func decodeAll(_ subset: [ValueChunk], into values: inout [Double]) throws {
    try values.withUnsafeMutableBufferPointer { buffer in
        for chunk in subset {
            let out = UnsafeMutableBufferPointer(rebasing: buffer[0..<chunk.count])
            try chunk.bytes.withUnsafeBytes { raw in
                // The block's own layout: format 3 chunks carry seek tables, older ones do not.
                if let reference = chunk.reference {
                    _ = try reference.withUnsafeBufferPointer {
                        try ValueCodec.decode(raw, reference: $0, into: out, layout: block.valueLayout, wanted: 0..<chunk.count)
                    }
                } else {
                    _ = try ValueCodec.decode(raw, reference: nil, into: out, layout: block.valueLayout, wanted: 0..<chunk.count)
                }
            }
        }
    }
}

func rate(_ samples: Int, _ seconds: Double) -> String { String(format: "%.1f M samples/s", Double(samples) / seconds / 1e6) }

let samples = chunks.reduce(0) { $0 + $1.count }
print("value chunks: \(chunks.count), \(samples) samples, all: \(rate(samples, try best { try decodeAll(chunks, into: &values) }))")
for (name, kind) in [("xor", ValueCodec.Kind.xor), ("integer", .integer), ("constant", .constant), ("difference", .difference)] {
    let subset = chunks.filter { $0.kind == kind.rawValue }
    let count = subset.reduce(0) { $0 + $1.count }
    print("  \(name): \(subset.count) chunks, \(count) samples, \(rate(count, try best { try decodeAll(subset, into: &values) }))")
}
let columnSamples = block.index.columns.reduce(0) { $0 + $1.count }
let columnTime = try best {
    try timestamps.withUnsafeMutableBufferPointer { buffer in
        for column in columns {
            _ = try column.withUnsafeBytes { try TimestampCodec.decode($0, into: buffer) }
        }
    }
}
print("timestamp columns: \(columns.count), \(columnSamples) timestamps, \(rate(columnSamples, columnTime))")
