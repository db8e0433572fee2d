import Testing
@testable import SundialStorage

/// Varints read back as written whether the reader takes them from one 8-byte load (a varint that ends within
/// 8 bytes with 8 bytes left) or byte by byte (near the end of the buffer, or 9 and 10 bytes long), and
/// malformed ones are refused either way.
@Suite struct VarintTests {
    /// Values of every encoded length, 1 to 10 bytes, and the edges between lengths.
    static let values: [UInt64] = {
        var out: [UInt64] = [0, 1, 127, 128, 255, 300, 16_383, 16_384, .max, .max - 1, 1 << 63]
        for bits in stride(from: 7, through: 63, by: 7) {
            out += [(1 << UInt64(bits)) - 1, 1 << UInt64(bits), (1 << UInt64(bits)) + 1]
        }
        var rng = SeededRandom(seed: 5)
        for _ in 0..<500 { out.append(rng.next() >> (rng.next() % 64)) }
        return out
    }()

    @Test func everyLengthReadsBackAtEveryDistanceFromTheEnd() throws {
        var bytes: [UInt8] = []
        for value in Self.values { bytes.appendVarint(value) }
        // The same sequence followed by 0 to 9 bytes of padding: the last varints are read byte by byte when
        // fewer than 8 bytes follow them, by one load otherwise.
        for padding in 0..<10 {
            let padded = bytes + [UInt8](repeating: 0x80, count: padding)
            let read = try padded.withUnsafeBytes { raw in
                var cursor = ByteCursor(raw)
                var out: [UInt64] = []
                for _ in Self.values { out.append(try cursor.readVarint()) }
                return (out, cursor.offset)
            }
            #expect(read.0 == Self.values, "padding \(padding)")
            #expect(read.1 == bytes.count)
        }
        var signed: [UInt8] = []
        let signedValues: [Int64] = [0, -1, 1, -64, 64, .min, .max, -1_000_000_007]
        for value in signedValues { signed.appendSignedVarint(value) }
        let readSigned = try signed.withUnsafeBytes { raw in
            var cursor = ByteCursor(raw)
            return try signedValues.map { _ in try cursor.readSignedVarint() }
        }
        #expect(readSigned == signedValues)
    }

    /// Skipping any number of varints lands where reading them does, at every distance from the end.
    @Test func skippingLandsWhereReadingDoes() throws {
        var bytes: [UInt8] = []
        for value in Self.values { bytes.appendVarint(value) }
        for padding in [0, 3, 9] {
            let padded = bytes + [UInt8](repeating: 0x80, count: padding)
            try padded.withUnsafeBytes { raw in
                var reader = ByteCursor(raw)
                var offsets = [0]
                for _ in Self.values {
                    _ = try reader.readVarint()
                    offsets.append(reader.offset)
                }
                for start in [0, 1, 7, 100, Self.values.count - 9] {
                    for count in 0...(Self.values.count - start) where count < 20 || count == Self.values.count - start {
                        var skipper = ByteCursor(raw, offset: offsets[start])
                        try skipper.skipVarints(count)
                        #expect(skipper.offset == offsets[start + count], "padding \(padding), start \(start), count \(count)")
                    }
                }
                // One more than there are runs past the end.
                var skipper = ByteCursor(raw)
                #expect(throws: FormatError.self) { try skipper.skipVarints(Self.values.count + padding + 1) }
            }
        }
    }

    @Test func malformedVarintsAreRefused() {
        let cases: [[UInt8]] = [
            [0x80],  // ends early
            [UInt8](repeating: 0x80, count: 7),
            [UInt8](repeating: 0xff, count: 9) + [0x02],  // more than 64 bits
            [UInt8](repeating: 0x80, count: 10) + [0x00],  // longer than 10 bytes
            [UInt8](repeating: 0xff, count: 16),  // no end within 8 bytes, then past 10
        ]
        for bytes in cases {
            for padding in [0, 8] {
                // Padding after a malformed varint must not make it readable.
                let padded = bytes + [UInt8](repeating: 0xff, count: padding)
                padded.withUnsafeBytes { raw in
                    var cursor = ByteCursor(raw)
                    #expect(throws: FormatError.self, "\(bytes) + \(padding)") { _ = try cursor.readVarint() }
                }
            }
        }
    }
}
