import Testing
@testable import SundialStorage

/// The block writer's choice between a chunk as is and as differences from its reference, made from sizes
/// counted in one pass (``ValueCodec/encode(_:reference:into:)``), against the way it was made before:
/// encode both, keep the smaller.
@Suite struct DifferenceChoiceTests {
    /// The former choice, kept as the oracle: the chunk as is, then its differences when both chunks are
    /// integral and every difference fits, kept when strictly smaller. Values that are not all integral
    /// are left as is: the former path did not ask, and stored a constant 0.5 or -0.0 as a lossy
    /// difference (or trapped converting a constant NaN); the new path declines those, and so does this
    /// oracle.
    private func encodeBothKeepSmaller(_ values: [Double], reference: [Double], referenceSeries: Int) -> [UInt8] {
        var out: [UInt8] = []
        values.withUnsafeBufferPointer { v in
            reference.withUnsafeBufferPointer { r in
                ValueCodec.encode(v, into: &out)
                guard out[0] == ValueCodec.Kind.integer.rawValue || out[0] == ValueCodec.Kind.constant.rawValue,
                      r.count == v.count, ValueCodec.isIntegral(v), ValueCodec.isIntegral(r),
                      ValueCodec.differencesFit(v, r) else { return }
                var difference: [UInt8] = []
                ValueCodec.encodeDifference(v, from: r, referenceSeries: referenceSeries, into: &difference)
                if difference.count < out.count { out = difference }
            }
        }
        return out
    }

    private func encodeChoosing(_ values: [Double], reference: [Double], referenceSeries: Int) -> [UInt8] {
        var out: [UInt8] = [0xAB]  // something before, as in a frame
        values.withUnsafeBufferPointer { v in
            reference.withUnsafeBufferPointer { r in
                let chosen = ValueCodec.Reference(series: referenceSeries, values: r, isIntegral: ValueCodec.isIntegral(r))
                ValueCodec.encode(v, reference: chosen, into: &out)
            }
        }
        #expect(out.first == 0xAB)
        return Array(out.dropFirst())
    }

    /// A reference (a `+Inf` bucket) and a chunk of one of several shapes against it.
    private func randomPair(_ rng: inout SeededRandom) -> (values: [Double], reference: [Double]) {
        let n = [1, 2, 3, 4, 17, 120, 480, Int.random(in: 1...700, using: &rng)][Int.random(in: 0...7, using: &rng)]
        var reference: [Double] = []
        var total = Double(Int.random(in: 0...1_000_000, using: &rng))
        for _ in 0..<n {
            total += Double(Int.random(in: 0...[0, 3, 200, 70_000][Int.random(in: 0...3, using: &rng)], using: &rng))
            reference.append(total)
        }
        var values: [Double]
        switch Int.random(in: 0...9, using: &rng) {
        case 0:  // a bucket above every observation: equal to the reference
            values = reference
        case 1:  // a bucket a little below it
            values = reference.map { $0 - Double(Int.random(in: 0...2, using: &rng)) }
        case 2:  // an idle low bucket: constant
            values = Array(repeating: Double(Int.random(in: 0...50, using: &rng)), count: n)
        case 3:  // an unrelated counter
            var c = Double(Int.random(in: 0...1 << 40, using: &rng))
            values = (0..<n).map { _ in c += Double(Int.random(in: 0...90, using: &rng)); return c }
        case 4:  // a bucket that restarts halfway
            values = reference.enumerated().map { $0.offset < n / 2 ? $0.element - 7 : Double($0.offset) }
        case 5:  // differences that do not fit
            values = reference.map { _ in -Double(Int.random(in: (1 << 52)...(1 << 53 - 1), using: &rng)) }
            reference = reference.map { _ in Double(Int.random(in: (1 << 52)...(1 << 53 - 1), using: &rng)) }
        case 6:  // floats
            values = reference.map { $0 * 0.37 }
        case 7:  // constant but not integral, or -0.0, or NaN
            values = Array(repeating: [0.5, -0.0, .nan, StaleMarker.value][Int.random(in: 0...3, using: &rng)], count: n)
        case 8:  // a reference that is not integral
            values = reference
            reference[Int.random(in: 0..<n, using: &rng)] += 0.25
        default:  // a bucket drifting away from the reference with jumps
            var gap = 0.0
            values = reference.map { r in
                gap += Double(Int.random(in: 0...1, using: &rng) * Int.random(in: 0...5000, using: &rng))
                return r - gap
            }
        }
        return (values, reference)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func choosingFromCountedSizesWritesTheBytesOfEncodingBothAndKeepingTheSmaller(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        var differences = 0
        var plain = 0
        for _ in 0..<400 {
            let (values, reference) = randomPair(&rng)
            let series = Int.random(in: 0...100_000, using: &rng)
            let expected = encodeBothKeepSmaller(values, reference: reference, referenceSeries: series)
            let chosen = encodeChoosing(values, reference: reference, referenceSeries: series)
            #expect(chosen == expected, "seed \(seed), values \(values.prefix(5))…, reference \(reference.prefix(5))…")
            if chosen.first == ValueCodec.Kind.difference.rawValue { differences += 1 } else { plain += 1 }
        }
        // Both outcomes are exercised.
        #expect(differences > 40)
        #expect(plain > 40)
    }

    @Test(arguments: [11, 12, 13] as [UInt64])
    func countedSizesAreTheEncodedLengths(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        for _ in 0..<300 {
            let (values, reference) = randomPair(&rng)
            let sizes = values.withUnsafeBufferPointer { v in reference.withUnsafeBufferPointer { r in ValueCodec.integerSizes(v, reference: r) } }
            let integral = values.withUnsafeBufferPointer { ValueCodec.isIntegral($0) }
            let referenceIntegral = reference.withUnsafeBufferPointer { ValueCodec.isIntegral($0) }
            guard integral, referenceIntegral else {
                if !integral { #expect(sizes == nil) }
                continue
            }
            let counted = try #require(sizes)
            var plain: [UInt8] = []
            values.withUnsafeBufferPointer { ValueCodec.encode($0, into: &plain) }
            #expect(counted.isConstant == (plain[0] == ValueCodec.Kind.constant.rawValue))
            if !counted.isConstant { #expect(1 + counted.integers == plain.count) }
            let fits = values.withUnsafeBufferPointer { v in reference.withUnsafeBufferPointer { ValueCodec.differencesFit(v, $0) } }
            #expect((counted.differences != nil) == fits)
            if let differenceBytes = counted.differences {
                var difference: [UInt8] = []
                values.withUnsafeBufferPointer { v in
                    reference.withUnsafeBufferPointer { ValueCodec.encodeDifference(v, from: $0, referenceSeries: 300, into: &difference) }
                }
                #expect(1 + 2 + differenceBytes == difference.count)  // kind byte, varint 300 (two bytes)
            }
        }
    }

    @Test func bitLengthIsWhatTheWriterTakes() {
        var rng = SeededRandom(seed: 21)
        var probes: [Int64] = [0, 1, -1, 7, -8, 8, 127, -128, 128, 4095, -4096, 4096, 2_097_151, -2_097_152, 2_097_152,
                               .max, .min, 1 << 40, -(1 << 40)]
        for _ in 0..<2000 { probes.append(Int64.random(in: -(1 << Int64.random(in: 1...62, using: &rng))...(1 << 20), using: &rng)) }
        for classes in [DeltaOfDeltaBits.integers, DeltaOfDeltaBits.timestamps] {
            for value in probes {
                var writer = BitWriter()
                classes.write(value, to: &writer)
                #expect(classes.bitLength(value) == writer.bitCount, "\(value)")
            }
        }
    }

    @Test func varintSizeIsTheAppendedLength() {
        var probes: [UInt64] = [0, 1, 127, 128, 16_383, 16_384, .max, .max >> 1, 1 << 63]
        for shift in 0..<64 { probes.append(1 << UInt64(shift)); probes.append((1 << UInt64(shift)) &- 1) }
        for value in probes {
            var bytes: [UInt8] = []
            bytes.appendVarint(value)
            #expect(ValueCodec.varintSize(value) == bytes.count, "\(value)")
        }
    }

    @Test func bitWriterAppendingToBytesKeepsThemAndAddsWhatAWriterOfItsOwnWrites() {
        var rng = SeededRandom(seed: 31)
        for _ in 0..<50 {
            let prefix = (0..<Int.random(in: 0...20, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let writes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in
                let bits = Int.random(in: 0...64, using: &rng)
                return (UInt64.random(in: 0...UInt64.max, using: &rng), bits)
            }
            var own = BitWriter()
            var out = prefix
            var appending = BitWriter(appendingTo: &out, capacity: 8)
            #expect(out.isEmpty)
            for (value, bits) in writes {
                own.write(value, bits: bits)
                appending.write(value, bits: bits)
            }
            appending.finish(into: &out)
            #expect(out == prefix + own.finish())
        }
    }

    @Test func constantChunksThatAreNotIntegersKeepTheirBitsNextToAnIntegralReference() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store.open(at: dir.path)
        let reference = try store.reference(for: LabelSet(name: "latency_bucket", ["le": "+Inf"]))
        let odd: [(String, Double)] = [("0.1", 0.5), ("0.2", -0.0), ("0.5", .nan), ("1", StaleMarker.value)]
        var buckets: [SeriesReference] = []
        for (le, _) in odd { buckets.append(try store.reference(for: LabelSet(name: "latency_bucket", ["le": le]))) }
        var batch = store.makeBatch()
        for s in 0..<3 {
            let t = Int64(s) * 15_000
            batch.append(reference, timestampMs: t, value: 100)
            for (i, (_, value)) in odd.enumerated() { batch.append(buckets[i], timestampMs: t, value: value) }
        }
        try store.commit(batch)
        try store.flush()
        let snapshot = store.snapshot()
        for (le, value) in odd {
            let series = try snapshot.select([.equal("__name__", "latency_bucket"), .equal("le", le)])
            let samples = try #require(series.first).samples()
            #expect(samples.map(\.value.bitPattern) == Array(repeating: value.bitPattern, count: 3), "le \(le)")
        }
        store.close()
    }
}
