@testable import SundialExposition
import Testing

/// The eight-bytes-at-a-time scans agree with a plain byte loop on every byte value and position.
@Suite struct ByteScanTests {
    static func referenceName(_ bytes: [UInt8], from start: Int, colon: Bool) -> Int {
        var i = start
        while i < bytes.count {
            let c = bytes[i]
            let isName = (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
                || (colon && c == 0x3A)
            if !isName { break }
            i += 1
        }
        return i
    }

    static func referenceValue(_ bytes: [UInt8], from start: Int) -> Int {
        var i = start
        while i < bytes.count && bytes[i] != 0x22 && bytes[i] != 0x5C && bytes[i] < 0x80 { i += 1 }
        return i
    }

    /// Random bytes, mostly name bytes, so that runs are long enough to cross words.
    static func randomBytes(_ rng: inout SeededGenerator) -> [UInt8] {
        let alphabet = Array("abcxyzABCXYZ0189_:".utf8)
        return (0..<Int.random(in: 0...40, using: &rng)).map { _ in
            Int.random(in: 0..<8, using: &rng) == 0 ? UInt8.random(in: 0...255, using: &rng) : alphabet.randomElement(using: &rng) ?? 0
        }
    }

    @Test func everyByteValueIsClassifiedLikeTheGrammar() {
        for c in 0...255 {
            for position in 0..<12 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 12)
                bytes[position] = UInt8(c)
                bytes.withUnsafeBufferPointer { buffer in
                    guard let p = buffer.baseAddress else { return }
                    for colon in [false, true] {
                        let got = ByteClass.scanName(p, from: 0, to: 12, colon: colon, table: ByteClass.table)
                        #expect(got == Self.referenceName(bytes, from: 0, colon: colon), "byte \(c) at \(position)")
                    }
                    #expect(ExpositionParser.skipPlainValueBytes(p, 0, 12) == Self.referenceValue(bytes, from: 0))
                }
            }
        }
    }

    @Test func randomRunsMatchTheByteLoop() {
        let seed = UInt64.random(in: 0...UInt64.max)
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<20_000 {
            let bytes = Self.randomBytes(&rng)
            let start = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &rng)
            bytes.withUnsafeBufferPointer { buffer in
                guard let p = buffer.baseAddress else { return }
                let colon = Bool.random(using: &rng)
                #expect(ByteClass.scanName(p, from: start, to: bytes.count, colon: colon, table: ByteClass.table)
                        == Self.referenceName(bytes, from: start, colon: colon), "seed \(seed): \(bytes)")
                #expect(ExpositionParser.skipPlainValueBytes(p, start, bytes.count) == Self.referenceValue(bytes, from: start),
                        "seed \(seed): \(bytes)")
            }
        }
    }
}
