import Testing
@testable import SundialStorage

/// Values that stress the value codecs: every special float and both extremes.
private let specialValues: [Double] = [
    .nan, Double(bitPattern: StaleMarker.bitPattern), .infinity, -.infinity, 0, -0.0,
    .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, .leastNormalMagnitude,
    1e-300, 1e300, 9_007_199_254_740_992, 9_007_199_254_740_994, -9_007_199_254_740_991, 0.1, 1.048576e+06,
]

private func roundTripValues(_ values: [Double]) throws -> [Double] {
    var bytes: [UInt8] = []
    values.withUnsafeBufferPointer { ValueCodec.encode($0, into: &bytes) }
    var out = [Double](repeating: 42, count: values.count)
    try bytes.withUnsafeBytes { raw in
        try out.withUnsafeMutableBufferPointer { try ValueCodec.decode(raw, into: $0) }
    }
    return out
}

private func roundTripTimestamps(_ timestamps: [Int64]) throws -> [Int64] {
    var bytes: [UInt8] = []
    timestamps.withUnsafeBufferPointer { TimestampCodec.encode($0, into: &bytes) }
    var out = [Int64](repeating: 0, count: timestamps.count)
    let n = try bytes.withUnsafeBytes { raw in
        try out.withUnsafeMutableBufferPointer { try TimestampCodec.decode(raw, into: $0) }
    }
    #expect(n == timestamps.count)
    return out
}

@Suite struct CodecRoundTripTests {
    @Test func specialValuesRoundTripBitExactly() throws {
        let decoded = try roundTripValues(specialValues)
        #expect(decoded.map(\.bitPattern) == specialValues.map(\.bitPattern))
    }

    @Test func integerCountersUseTheIntegerCodecAndRoundTrip() throws {
        var counter = 0.0
        var values: [Double] = []
        var rng = SeededRandom(seed: 7)
        for i in 0..<1000 {
            counter += Double(Int.random(in: 90...110, using: &rng))
            if i == 500 { counter = 3 }  // a counter reset
            values.append(counter)
        }
        values.withUnsafeBufferPointer { #expect(ValueCodec.kind(for: $0) == .integer) }
        #expect(try roundTripValues(values) == values)
    }

    /// The integer decoder takes runs of unchanged deltas (zero bits) many at a time: runs of every
    /// length around the 57-bit window, at the start, middle and end of a chunk, must come back exact.
    @Test(arguments: [1, 2, 3, 55, 56, 57, 58, 63, 64, 65, 120, 477] as [Int])
    func steadyRunsOfEveryLengthRoundTrip(run: Int) throws {
        var rng = SeededRandom(seed: UInt64(run))
        var values: [Double] = []
        var counter = 1000.0
        for segment in 0..<6 {
            let step = Double(Int.random(in: 0...5, using: &rng))
            for _ in 0..<(segment % 2 == 0 ? run : Int.random(in: 1...4, using: &rng)) {
                counter += step
                values.append(counter)
            }
            counter += Double(Int.random(in: 100...100_000, using: &rng))  // a change of delta
            values.append(counter)
        }
        values.withUnsafeBufferPointer { #expect(ValueCodec.kind(for: $0) == .integer) }
        #expect(try roundTripValues(values) == values)
        // A truncated steady chunk is still an error, not a run of made-up values.
        var bytes: [UInt8] = []
        values.withUnsafeBufferPointer { ValueCodec.encode($0, into: &bytes) }
        var out = [Double](repeating: 0, count: values.count + 64)
        #expect(throws: FormatError.self) {
            try bytes.withUnsafeBytes { raw in try out.withUnsafeMutableBufferPointer { try ValueCodec.decode(raw, into: $0) } }
        }
    }

    /// Integer chunks mixing every delta-of-delta class (zero runs of any length, each bounded width, the
    /// 64-bit escape) round-trip, as values and as differences from a reference, in any order of classes:
    /// the decoder's window must stay valid across runs and escapes.
    @Test(arguments: [3, 11, 42, 2024] as [UInt64])
    func integerChunksMixingEveryClassRoundTrip(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        var values: [Double] = []
        var value: Int64 = 0
        var delta: Int64 = 0
        while values.count < 3000 {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: delta += 0  // a run of unchanged deltas
            case 1: delta += Int64.random(in: -7...7, using: &rng)
            case 2: delta += Int64.random(in: -120...120, using: &rng)
            case 3: delta += Int64.random(in: -4000...4000, using: &rng)
            case 4: delta += Int64.random(in: -2_000_000...2_000_000, using: &rng)
            default: delta = Int64.random(in: -(1 << 50)...(1 << 50), using: &rng) - value  // escapes
            }
            for _ in 0..<(Int.random(in: 0...3, using: &rng) == 0 ? Int.random(in: 1...90, using: &rng) : 1) {
                value = min(max(value &+ delta, -(1 << 52)), 1 << 52)
                values.append(Double(value))
            }
        }
        values.withUnsafeBufferPointer { #expect(ValueCodec.kind(for: $0) == .integer) }
        #expect(try roundTripValues(values) == values, "seed \(seed)")
        let reference = values.map { $0 + Double(Int.random(in: 0...3, using: &rng)) }
        var bytes: [UInt8] = []
        values.withUnsafeBufferPointer { v in
            reference.withUnsafeBufferPointer { r in
                #expect(ValueCodec.differencesFit(v, r))
                ValueCodec.encodeDifference(v, from: r, referenceSeries: 9, into: &bytes)
            }
        }
        var out = [Double](repeating: 0, count: values.count)
        try bytes.withUnsafeBytes { raw in
            try reference.withUnsafeBufferPointer { r in
                try out.withUnsafeMutableBufferPointer { try ValueCodec.decodeDifference(raw, reference: r, into: $0) }
            }
        }
        #expect(out == values, "seed \(seed)")
    }

    @Test func constantChunkIsNineBytes() throws {
        let values = [Double](repeating: 17, count: 500)
        var bytes: [UInt8] = []
        values.withUnsafeBufferPointer { ValueCodec.encode($0, into: &bytes) }
        #expect(bytes.count == 9)
        #expect(try roundTripValues(values) == values)
    }

    @Test(arguments: [1, 2, 3, 7, 100, 2000] as [UInt64])
    func randomValuesRoundTrip(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        for length in [1, 2, 3, 10, 257] {
            var values: [Double] = []
            for _ in 0..<length {
                switch rng.next() % 6 {
                case 0: values.append(specialValues[Int(rng.next() % UInt64(specialValues.count))])
                case 1: values.append(Double(bitPattern: rng.next()))
                case 2: values.append(Double(Int64(bitPattern: rng.next()) >> 12))
                case 3: values.append(values.last ?? 1)
                case 4: values.append(Double.random(in: -1e6...1e6, using: &rng))
                default: values.append(Double(Int.random(in: 0...10, using: &rng)))
                }
            }
            let decoded = try roundTripValues(values)
            #expect(decoded.map(\.bitPattern) == values.map(\.bitPattern), "seed \(seed) length \(length)")
        }
    }

    @Test(arguments: [1, 5, 99] as [UInt64])
    func timestampsRoundTripIncludingExtremesAndRepeats(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        var ts: [Int64] = [Int64.min, Int64.max, 0, 0, -1]
        var t: Int64 = 1_732_400_000_000
        for _ in 0..<2000 {
            switch rng.next() % 5 {
            case 0: t += 15_000 + Int64.random(in: -50...50, using: &rng)
            case 1: t += 0  // repeated timestamp
            case 2: t += Int64.random(in: 1...10_000_000, using: &rng)
            case 3: t -= Int64.random(in: 1...100_000, using: &rng)
            default: t += 15_000
            }
            ts.append(t)
        }
        #expect(try roundTripTimestamps(ts) == ts, "seed \(seed)")
        for n in 0..<5 { #expect(try roundTripTimestamps(Array(ts.prefix(n))) == Array(ts.prefix(n))) }
    }

    @Test func regularScrapeTimestampsCostAboutOneBitEach() {
        let ts = (0..<5760).map { Int64(1_732_400_000_000 + $0 * 15_000) }
        var bytes: [UInt8] = []
        ts.withUnsafeBufferPointer { TimestampCodec.encode($0, into: &bytes) }
        #expect(bytes.count < 5760 / 8 + 16)
    }

    @Test func truncatedChunksAreRejectedNotMisread() {
        let values = (0..<100).map { Double($0) * 1.37 }
        var bytes: [UInt8] = []
        values.withUnsafeBufferPointer { ValueCodec.encode($0, into: &bytes) }
        var out = [Double](repeating: 0, count: 100)
        let truncated = Array(bytes.prefix(bytes.count / 2))
        #expect(throws: FormatError.self) {
            try truncated.withUnsafeBytes { raw in
                try out.withUnsafeMutableBufferPointer { try ValueCodec.decode(raw, into: $0) }
            }
        }
    }

    @Test func crc32cMatchesTheStandardCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        let long = [UInt8](repeating: 0xAB, count: 1000)
        let split = CRC32C.checksum(Array(long[500...]), seed: CRC32C.checksum(Array(long[..<500])))
        #expect(split == CRC32C.checksum(long))
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32C.softwareChecksum($0) } == 0xE306_9283)
    }

    @Test func crc32cHardwareAndSoftwareAgreeOnEveryLengthAndAlignment() {
        let seed: UInt64 = 0xC5C3_2C
        var random = SeededRandom(seed: seed)
        let bytes = (0..<4200).map { _ in UInt8.random(in: 0...255, using: &random) }
        bytes.withUnsafeBytes { all in
            for start in 0..<16 {
                for length in Array(0...80) + [255, 256, 257, 1000, 4096, 4183 - start] {
                    let part = UnsafeRawBufferPointer(rebasing: all[start..<(start + length)])
                    let runningSeed = UInt32(truncatingIfNeeded: length &* 2_654_435_761)
                    #expect(CRC32C.checksum(part, seed: runningSeed) == CRC32C.softwareChecksum(part, seed: runningSeed),
                            "start \(start), length \(length), seed \(seed), hardware \(CRC32C.usesHardware)")
                }
            }
        }
    }

    @Test func lz4RoundTripsAndRejectsGarbage() throws {
        let input = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 % 97) }
        let packed = input.withUnsafeBytes { LZ4.compress($0) }
        #expect(packed.count < input.count / 4)
        var output = [UInt8](repeating: 0, count: input.count)
        try packed.withUnsafeBytes { p in try output.withUnsafeMutableBytes { try LZ4.decompress(p, into: $0) } }
        #expect(output == input)
        let garbage: [UInt8] = [0xff, 0xff, 0xff, 0xff, 0x00]
        #expect(throws: FormatError.self) {
            try garbage.withUnsafeBytes { p in try output.withUnsafeMutableBytes { try LZ4.decompress(p, into: $0) } }
        }
    }
}
