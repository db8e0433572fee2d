import Foundation
import Testing
@testable import SundialStorage

/// Seek points (block formats 4 and 8): a decoder that starts at one gives exactly what a whole decode gives
/// (from a table read from its start or, in format 8, from its end), they cost a few bytes, `sundial check`
/// catches a wrong one, and a block reader decodes only a window.
@Suite struct SeekPointTests {
    /// Three chunks of 481 values, one per seekable kind: a counter with a reset (integer), a gauge with
    /// special values (XOR) and a bucket stored against its `+Inf` bucket (difference).
    static func chunks(seed: UInt64) -> [(name: String, values: [Double], reference: [Double]?)] {
        var rng = SeededRandom(seed: seed)
        var counter = 5_000.0
        var infinity = 9_000.0
        var counterValues: [Double] = []
        var gauge: [Double] = []
        var bucket: [Double] = []
        var reference: [Double] = []
        for i in 0..<481 {
            counter += Double(Int.random(in: 0...40, using: &rng))
            if i == 300 { counter = 7 }
            counterValues.append(counter)
            let specials: [Double] = [.nan, Double(bitPattern: StaleMarker.bitPattern), -0.0, .infinity]
            gauge.append(i % 97 == 5 ? specials[i % 4] : (i % 3 == 0 ? gauge.last ?? 0.5 : Double.random(in: -1e6...1e6, using: &rng)))
            let rise = Double(Int.random(in: 0...9, using: &rng))
            infinity += rise
            reference.append(infinity)
            bucket.append(infinity - Double(i / 50) - (rise > 7 ? 1 : 0))
        }
        return [("integer", counterValues, nil), ("xor", gauge, nil), ("difference", bucket, reference)]
    }

    static func encode(_ values: [Double], reference: [Double]?, interval: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        values.withUnsafeBufferPointer { v in
            guard let reference else {
                ValueCodec.encode(v, seekInterval: interval, into: &bytes)
                return
            }
            reference.withUnsafeBufferPointer { r in
                ValueCodec.encodeDifference(v, from: r, referenceSeries: 1, seekInterval: interval, into: &bytes)
            }
        }
        return bytes
    }

    /// Decodes `wanted` of a chunk into an array of sentinels.
    static func decode(_ bytes: [UInt8], reference: [Double]?, count: Int, wanted: Range<Int>,
                       layout: ValueCodec.Layout = ValueCodec.currentLayout) throws -> (first: Int, values: [Double]) {
        var out = [Double](repeating: -42, count: count)
        let empty: [Double] = []
        let first = try bytes.withUnsafeBytes { raw in
            try (reference ?? empty).withUnsafeBufferPointer { r in
                try out.withUnsafeMutableBufferPointer {
                    try ValueCodec.decode(raw, reference: reference == nil ? nil : r, into: $0, layout: layout, wanted: wanted).first
                }
            }
        }
        return (first, out)
    }

    @Test(arguments: [2, 3, 7, 64, 120, 480, 0] as [Int])
    func decodingFromASeekPointGivesWhatAWholeDecodeGives(interval: Int) throws {
        for seed in [1, 2] as [UInt64] {
            var rng = SeededRandom(seed: seed &* 1000 &+ UInt64(interval))
            for (name, values, reference) in Self.chunks(seed: seed) {
                let bytes = Self.encode(values, reference: reference, interval: interval)
                let n = values.count
                let whole = try Self.decode(bytes, reference: reference, count: n, wanted: 0..<n)
                #expect(whole.first == 0)
                #expect(whole.values.map(\.bitPattern) == values.map(\.bitPattern), "\(name), interval \(interval)")
                let points = interval > 0 ? (n - 1) / interval : 0
                for _ in 0..<60 {
                    let low = Int.random(in: 0..<n, using: &rng)
                    let high = Int.random(in: (low + 1)...min(n, low + 1 + Int.random(in: 0...30, using: &rng)), using: &rng)
                    let part = try Self.decode(bytes, reference: reference, count: n, wanted: low..<high)
                    let expectedFirst = interval > 0 ? min(low / interval, points) * interval : 0
                    #expect(part.first == expectedFirst, "\(name), interval \(interval), \(low)..<\(high)")
                    let decoded = Array(part.values[part.first..<high]).map(\.bitPattern)
                    #expect(decoded == Array(values[part.first..<high]).map(\.bitPattern), "\(name), interval \(interval), \(low)..<\(high)")
                    // Nothing outside what it reports is written.
                    let untouched = part.values[..<part.first].allSatisfy { $0 == -42 } && part.values[high...].allSatisfy { $0 == -42 }
                    #expect(untouched, "\(name), interval \(interval), \(low)..<\(high)")
                }
                try bytes.withUnsafeBytes { raw in
                    try values.withUnsafeBufferPointer { v in
                        try (reference ?? []).withUnsafeBufferPointer { r in
                            try ValueCodec.checkSeekPoints(raw, reference: reference == nil ? nil : r, values: v, layout: ValueCodec.currentLayout)
                        }
                    }
                }
            }
        }
    }

    /// A seek point of an integer chunk costs a few bytes (bit step, change of value, delta); one of an XOR
    /// chunk 10 plus its bit step. The same chunk without points is the baseline.
    @Test func seekPointsCostAFewBytesEach() {
        for (name, values, reference) in Self.chunks(seed: 3) {
            let without = Self.encode(values, reference: reference, interval: 0).count
            let with = Self.encode(values, reference: reference, interval: 120).count
            let perPoint = Double(with - without) / 4  // 481 values: points at 120, 240, 360, 480
            #expect(perPoint > 0, "\(name)")
            #expect(perPoint <= (name == "xor" ? 12 : 8), "\(name): \(perPoint) bytes per seek point")
        }
    }

    /// Every single-bit change to a seek table is caught by ``ValueCodec/checkSeekPoints``, whether it
    /// moves a point's bit position, value or delta, or breaks the table's structure.
    @Test func aDamagedSeekTableFailsTheCheck() throws {
        for (name, values, reference) in Self.chunks(seed: 4) {
            let good = Self.encode(values, reference: reference, interval: 60)
            let plain = Self.encode(values, reference: reference, interval: 0)
            // The table is what the points add, just before the bit stream (which is identical).
            let headerEnd = (name == "xor" ? 2 : plain.count - Self.streamBytes(values, reference: reference))
            let tableBytes = good.count - plain.count
            #expect(tableBytes > 0)
            var missed: [Int] = []
            for byte in headerEnd..<(headerEnd + tableBytes) {
                for bit in 0..<8 {
                    var bad = good
                    bad[byte] ^= 1 << bit
                    let caught: Bool
                    do {
                        try bad.withUnsafeBytes { raw in
                            try values.withUnsafeBufferPointer { v in
                                try (reference ?? []).withUnsafeBufferPointer { r in
                                    try ValueCodec.checkSeekPoints(raw, reference: reference == nil ? nil : r, values: v, layout: ValueCodec.currentLayout)
                                }
                            }
                        }
                        // The whole decode must then differ (it is checked beside the points).
                        let whole = try Self.decode(bad, reference: reference, count: values.count, wanted: 0..<values.count)
                        caught = whole.values.map(\.bitPattern) != values.map(\.bitPattern)
                    } catch {
                        caught = true
                    }
                    if !caught { missed.append(byte * 8 + bit) }
                }
            }
            #expect(missed.isEmpty, "\(name): bit flips at \(missed) went unnoticed")
        }
    }

    /// The bytes of the bit stream of an integer-kind chunk written without seek points: what follows
    /// `v0` and `v1 − v0`.
    static func streamBytes(_ values: [Double], reference: [Double]?) -> Int {
        let bytes = encode(values, reference: reference, interval: 0)
        let header = bytes.withUnsafeBytes { raw -> Int in
            var cursor = ByteCursor(raw)
            _ = try? cursor.readByte()
            if reference != nil { _ = try? cursor.readVarint() }
            _ = try? cursor.readVarint()
            _ = try? cursor.readSignedVarint()
            _ = try? cursor.readSignedVarint()
            return cursor.offset
        }
        return bytes.count - header
    }

    /// A block reader decodes the samples of a time window only, from the seek point before it: each
    /// kind, a difference chunk against its cached reference included.
    @Test func aBlockReaderDecodesTheWindowAsked() throws {
        let dir = TemporaryDirectory("seek-window")
        defer { dir.remove() }
        let t0: Int64 = 1_732_400_000_000
        // The three chunks, and the difference chunk's reference as a series of its own, added first.
        let made = Self.chunks(seed: 5)
        let bucket = try #require(made.first { $0.reference != nil })
        let chunks = [(name: "inf", values: try #require(bucket.reference), reference: [Double]?.none)] + made
        let timestamps = (0..<481).map { t0 + Int64($0) * 15_000 }
        let labels = chunks.map { LabelSet(name: "m_\($0.name)", [:]) }
        let order = labels.indices.sorted { labels[$0] < labels[$1] }
        let position = { (i: Int) in order.firstIndex(of: i) ?? 0 }
        let writer = try BlockWriter(path: dir.path + "/w.block", series: order.map { labels[$0] }, metadata: [])
        writer.seekInterval = 50
        writer.beginWindow()
        for (i, chunk) in chunks.enumerated() {
            try timestamps.withUnsafeBufferPointer { t in
                try chunk.values.withUnsafeBufferPointer { v in
                    try chunks[0].values.withUnsafeBufferPointer { r in
                        try writer.addChunk(series: position(i), timestamps: t, values: v,
                                            reference: chunk.reference == nil ? nil : (position(0), r))
                    }
                }
            }
        }
        _ = try writer.finish(level: 0)
        let reader = try BlockReader(path: dir.path + "/w.block", level: 0)
        try reader.verify()
        #expect(try reader.composition().valueChunks["difference"] == 1)
        var rng = SeededRandom(seed: 9)
        var ts: [Int64] = []
        var vs: [Double] = []
        for i in chunks.indices {
            let chunk = try #require(reader.index.seriesChunks[position(i)].first)
            for _ in 0..<40 {
                let a = t0 + Int64.random(in: -60_000...7_300_000, using: &rng)
                let b = a + Int64.random(in: 0...900_000, using: &rng)
                let inside = try reader.decode(chunk, from: a, through: b, timestamps: &ts, values: &vs)
                let expected = timestamps.indices.filter { timestamps[$0] >= a && timestamps[$0] <= b }
                #expect(Array(inside) == expected)
                #expect(inside.map { vs[$0].bitPattern } == expected.map { chunks[i].values[$0].bitPattern })
            }
        }
    }

    /// The codec fuzzer's seeds with seek tables (`Fuzz/Corpus/codec/seek-*`: decoder byte, value count,
    /// chunk) are what the encoder writes: 40 values of each kind, a seek point every 7. Regenerated with
    /// `SUNDIAL_UPDATE_GOLDEN=1`, like the golden files.
    @Test func codecFuzzSeedsAreWhatTheEncoderWrites() throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus/codec").path
        for (name, values, reference) in Self.chunks(seed: 6) {
            let decoder: UInt8 = reference == nil ? 1 : 2  // FuzzCodec's Decoder.values and .difference
            let short = Array(values.prefix(40))
            // The fuzzer's reference for a difference chunk is 0, 1000, 2000, …
            let fuzzReference = reference.map { _ in (0..<40).map { Double($0 * 1_000) } }
            let seed = [decoder, 40] + Self.encode(short, reference: fuzzReference, interval: 7)
            let path = corpus + "/seek-\(name)"
            if ProcessInfo.processInfo.environment["SUNDIAL_UPDATE_GOLDEN"] == "1" {
                try Data(seed).write(to: URL(fileURLWithPath: path))
                continue
            }
            #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == seed, "\(path) is not what the encoder writes")
        }
    }
}
