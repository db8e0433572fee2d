/// Encodes a sequence of Float64 values, choosing the smallest of three codecs per chunk.
///
/// - ``Kind/constant``: every value has the same bit pattern (idle buckets, flat gauges): 8 bytes in all.
/// - ``Kind/integer``: every value is an integer of magnitude below 2^53 and none is -0.0 (counters and
///   bucket counts): delta-of-delta integers in ``DeltaOfDeltaBits/integers`` classes.
/// - ``Kind/xor``: anything else: Gorilla's XOR encoding (VLDB 2015, §4.1.2), bit-exact for NaN payloads
///   (stale markers), infinities and -0.0.
///
/// Layout (docs/FORMAT.md, "Value chunk"): one kind byte, then the kind's payload. The number of values
/// is not stored: it is the length of the timestamp column the chunk belongs to.
enum ValueCodec {
    /// The codec of one value chunk.
    enum Kind: UInt8 {
        case xor = 0
        case integer = 1
        case constant = 2
        /// Integers stored as their difference from another series' chunk in the same window (a
        /// histogram bucket from its `+Inf` bucket): buckets above most observations cost almost nothing.
        case difference = 3
    }

    /// Picks the codec for `values`.
    static func kind(for values: UnsafeBufferPointer<Double>) -> Kind {
        guard let first = values.first else { return .constant }
        let firstBits = first.bitPattern
        var constant = true
        var integral = true
        for v in values {
            if v.bitPattern != firstBits { constant = false }
            if integral && !isExactInteger(v) { integral = false }
            if !constant && !integral { return .xor }
        }
        return constant ? .constant : .integer
    }

    @inline(__always)
    static func isExactInteger(_ v: Double) -> Bool {
        // NaN fails the comparison; -0.0 is excluded so that its sign survives. Below 2^53 the conversion
        // cannot trap, and truncating loses nothing exactly when `v` is an integer (`rounded(.towardZero)`
        // would be a call to `trunc` on a baseline x86-64 target).
        v.magnitude < 9_007_199_254_740_992 && Double(Int64(v)) == v && !(v == 0 && v.sign == .minus)
    }

    /// Appends the encoding of `values` to `out`.
    static func encode(_ values: UnsafeBufferPointer<Double>, into out: inout [UInt8]) {
        let kind = kind(for: values)
        out.append(kind.rawValue)
        switch kind {
        case .constant:
            out.appendLittleEndian(values.first?.bitPattern ?? 0)
        case .integer:
            encodeIntegers(values, into: &out)
        case .xor, .difference:  // kind(for:) never picks .difference: it needs a reference
            encodeXOR(values, into: &out)
        }
    }

    private static func encodeIntegers(_ values: UnsafeBufferPointer<Double>, into out: inout [UInt8]) {
        encodeIntegerSequence(count: values.count, into: &out) { Int64(values[$0]) }
    }

    /// Delta-of-delta integers: `zvarint v0`, `zvarint (v1 − v0)`, then the bit stream.
    @inline(__always)
    private static func encodeIntegerSequence(count n: Int, into out: inout [UInt8], _ value: (Int) -> Int64) {
        var previous = value(0)
        out.appendSignedVarint(previous)
        guard n > 1 else { return }
        var delta = value(1) &- previous
        out.appendSignedVarint(delta)
        previous = value(1)
        guard n > 2 else { return }
        var writer = BitWriter(appendingTo: &out, capacity: n / 2)
        let classes = DeltaOfDeltaBits.integers
        for i in 2..<n {
            let current = value(i)
            let next = current &- previous
            classes.write(next &- delta, to: &writer)
            delta = next
            previous = current
        }
        writer.finish(into: &out)
    }

    /// True when `values` can be stored by ``encodeDifference(_:from:referenceSeries:into:)``.
    static func isIntegral(_ values: UnsafeBufferPointer<Double>) -> Bool {
        values.allSatisfy(isExactInteger)
    }

    /// True when every `reference[i] − values[i]` of two integral sequences is itself exactly representable.
    static func differencesFit(_ values: UnsafeBufferPointer<Double>, _ reference: UnsafeBufferPointer<Double>) -> Bool {
        guard values.count == reference.count else { return false }
        for i in 0..<values.count where (Int64(reference[i]) &- Int64(values[i])).magnitude >= 1 << 53 { return false }
        return true
    }

    /// Appends `values` as differences from `reference` (same length, both integral): kind byte 3,
    /// `varint referenceSeries`, then the integers `reference[i] − values[i]` as delta-of-delta.
    static func encodeDifference(_ values: UnsafeBufferPointer<Double>, from reference: UnsafeBufferPointer<Double>,
                                 referenceSeries: Int, into out: inout [UInt8]) {
        out.append(Kind.difference.rawValue)
        out.appendVarint(UInt64(referenceSeries))
        encodeIntegerSequence(count: values.count, into: &out) { Int64(reference[$0]) &- Int64(values[$0]) }
    }

    /// The series a chunk of kind ``Kind/difference`` refers to, or nil for other kinds.
    static func referencedSeries(_ bytes: UnsafeRawBufferPointer) throws(FormatError) -> Int? {
        var cursor = ByteCursor(bytes)
        guard try cursor.readByte() == Kind.difference.rawValue else { return nil }
        return try cursor.readCount()
    }

    /// Decodes a chunk of kind ``Kind/difference`` given the referenced series' values.
    static func decodeDifference(_ bytes: UnsafeRawBufferPointer, reference: UnsafeBufferPointer<Double>,
                                 into output: UnsafeMutableBufferPointer<Double>) throws(FormatError) {
        var cursor = ByteCursor(bytes)
        _ = try cursor.readByte()
        _ = try cursor.readVarint()
        guard reference.count == output.count else {
            throw FormatError("a difference chunk has \(output.count) values but its reference \(reference.count)")
        }
        // `reference[i] − Double(difference)` equals `Double(Int64(reference[i]) − difference)` for every
        // chunk the encoder writes (all three are integers below 2^53), needs no conversion of the
        // reference, and cannot trap on a damaged reference that is not integral.
        try decodeIntegerSequence(&cursor, count: output.count) { i, difference in
            output[i] = reference[i] - Double(difference)
        } emitRun: { start, end, difference, delta in
            if delta == 0 {
                // The bucket keeps its distance from the reference: no conversion per value.
                let constant = Double(difference)
                for k in start..<end { output[k] = reference[k] - constant }
                return
            }
            var difference = difference
            for k in start..<end {
                difference = difference &+ delta
                output[k] = reference[k] - Double(difference)
            }
        }
    }

    private static func encodeXOR(_ values: UnsafeBufferPointer<Double>, into out: inout [UInt8]) {
        var writer = BitWriter(appendingTo: &out, capacity: values.count * 2)
        var previous = values[0].bitPattern
        writer.write(previous, bits: 64)
        var leading = 0xff  // no window yet
        var trailing = 0
        for i in 1..<values.count {
            let current = values[i].bitPattern
            let xor = current ^ previous
            previous = current
            if xor == 0 {
                writer.write(0, bits: 1)
                continue
            }
            var newLeading = xor.leadingZeroBitCount
            let newTrailing = xor.trailingZeroBitCount
            if newLeading > 31 { newLeading = 31 }  // five bits hold it
            if leading != 0xff && newLeading >= leading && newTrailing >= trailing {
                writer.write(0b10, bits: 2)
                writer.write(xor >> UInt64(trailing), bits: 64 - leading - trailing)
            } else {
                leading = newLeading
                trailing = newTrailing
                let significant = 64 - leading - trailing
                writer.write(0b11, bits: 2)
                writer.write(UInt64(leading), bits: 5)
                writer.write(UInt64(significant & 63), bits: 6)  // 64 is written as 0
                writer.write(xor >> UInt64(trailing), bits: significant)
            }
        }
        writer.finish(into: &out)
    }

    /// Decodes `output.count` values from `bytes`.
    static func decode(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Double>) throws(FormatError) {
        let n = output.count
        var cursor = ByteCursor(bytes)
        let kindByte = try cursor.readByte()
        guard let kind = Kind(rawValue: kindByte) else { throw FormatError("unknown value codec \(kindByte)") }
        guard n > 0 else { return }
        switch kind {
        case .constant:
            let v = Double(bitPattern: try cursor.readLittleEndian(UInt64.self))
            output.initialize(repeating: v)
        case .integer:
            try decodeIntegers(&cursor, into: output)
        case .xor:
            try decodeXOR(cursor.remaining, into: output)
        case .difference:
            throw FormatError("a difference chunk needs its reference series to decode")
        }
    }

    private static func decodeIntegers(_ cursor: inout ByteCursor, into output: UnsafeMutableBufferPointer<Double>) throws(FormatError) {
        try decodeIntegerSequence(&cursor, count: output.count) { output[$0] = Double($1) } emitRun: { start, end, value, delta in
            if delta == 0 {
                let constant = Double(value)
                for k in start..<end { output[k] = constant }
                return
            }
            var value = value
            for k in start..<end {
                value = value &+ delta
                output[k] = Double(value)
            }
        }
    }

    /// Decodes `count` delta-of-delta integers, handing each to `emit(index, value)`, or a run of values
    /// that share one delta to `emitRun(start, end, value before start, delta)` (indices `start..<end`).
    @inline(__always)
    private static func decodeIntegerSequence(_ cursor: inout ByteCursor, count n: Int, _ emit: (Int, Int64) -> Void,
                                              emitRun: (Int, Int, Int64, Int64) -> Void) throws(FormatError) {
        guard n > 0 else { return }
        var value = try cursor.readSignedVarint()
        emit(0, value)
        guard n > 1 else { return }
        var delta = try cursor.readSignedVarint()
        value = value &+ delta
        emit(1, value)
        guard n > 2 else { return }
        var window = BitWindow(cursor.remaining)
        let classes = DeltaOfDeltaBits.integers
        var i = 2
        while i < n {
            // Decode from the bits before this refill (at least 56 − 27 are valid, enough for any bounded
            // value), so that the refill's load is off the critical path (``BitWindow``).
            let current = window.bits
            window.refill()
            if current &>> 60 == 0 {
                // Four zeros or more start a run of unchanged deltas (a counter rising steadily, a bucket
                // tracking its reference): take the whole run at once. A shorter run goes value by value
                // below, where a zero is a class like any other: that keeps this branch predictable in
                // chunks that mix zeros with other values.
                let zeros = min(window.bits.leadingZeroBitCount, window.available, n &- i)
                window.consume(zeros)
                window.refill()  // a run can take more than the 29 bits the next value's decode may use
                emitRun(i, i &+ zeros, value, delta)
                value = value &+ delta &* Int64(truncatingIfNeeded: zeros)
                i &+= zeros
                continue
            }
            delta = delta &+ classes.read(current, from: &window)
            value = value &+ delta
            emit(i, value)
            i &+= 1
        }
        if window.overrun { throw FormatError("integer value chunk ends early: \(n) values expected") }
    }

    /// Gorilla's XOR decoding: a control bit `0` repeats the previous value; `10` XORs in the meaningful
    /// bits of the current window; `11` reads a new window (5 bits of leading zeros, 6 of length) first.
    /// The control bits and the window come from one peek.
    private static func decodeXOR(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Double>) throws(FormatError) {
        var reader = BitReader(bytes)
        var previous = reader.read(bits: 64)
        output[0] = Double(bitPattern: previous)
        var leading = 0
        var significant = 64
        var i = 1
        let n = output.count
        while i < n {
            let word = reader.peek()
            if word >> 63 == 0 {
                reader.advance(1)
                output[i] = Double(bitPattern: previous)
                i &+= 1
                continue
            }
            var control = 2
            if word & (1 << 62) != 0 {
                leading = Int(truncatingIfNeeded: (word &>> 57) & 31)
                significant = Int(truncatingIfNeeded: (word &>> 51) & 63)
                if significant == 0 { significant = 64 }
                if leading &+ significant > 64 { throw FormatError("XOR value chunk has an impossible bit window at value \(i)") }
                control = 13
            }
            let meaningful: UInt64
            if control &+ significant <= 57 {
                // The meaningful bits are in the same peek as the control bits.
                meaningful = (word &<< UInt64(control)) &>> UInt64(64 &- significant)
                reader.advance(control &+ significant)
            } else {
                reader.advance(control)
                meaningful = reader.read(bits: significant)
            }
            previous ^= meaningful &<< UInt64(64 &- leading &- significant)
            output[i] = Double(bitPattern: previous)
            i &+= 1
        }
        if reader.overrun { throw FormatError("XOR value chunk ends early: \(output.count) values expected") }
    }
}
