/// Encodes a sequence of Float64 values, choosing the smallest of three codecs per chunk.
///
/// - ``Kind/constant``: every value has the same bit pattern (idle buckets, flat gauges): 8 bytes in all.
/// - ``Kind/integer``: every value is an integer of magnitude below 2^53 and none is -0.0 (counters and
///   bucket counts): delta-of-delta integers in ``DeltaOfDeltaBits/integers`` classes.
/// - ``Kind/xor``: anything else: Gorilla's XOR encoding (VLDB 2015, §4.1.2), bit-exact for NaN payloads
///   (stale markers), infinities and -0.0.
///
/// Layout (docs/FORMAT.md, "Value chunk"): one kind byte, then the kind's payload, which in block format
/// 3 starts with a seek table (``Layout``, `ValueCodec+Seek.swift`). The number of values is not stored:
/// it is the length of the timestamp column the chunk belongs to.
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

    /// Appends the encoding of `values` to `out`, in the anchored layout of block format 8 with a seek point
    /// every `seekInterval` values (0 for none, else at least 2).
    static func encode(_ values: UnsafeBufferPointer<Double>, seekInterval: Int = defaultSeekInterval, into out: inout [UInt8]) {
        let kind = kind(for: values)
        out.append(kind.rawValue)
        switch kind {
        case .constant:
            out.appendLittleEndian(values.first?.bitPattern ?? 0)
        case .integer:
            encodeIntegers(values, seekInterval: seekInterval, into: &out)
        case .xor, .difference:  // kind(for:) never picks .difference: it needs a reference
            encodeXOR(values, seekInterval: seekInterval, into: &out)
        }
    }

    private static func encodeIntegers(_ values: UnsafeBufferPointer<Double>, seekInterval: Int, into out: inout [UInt8]) {
        encodeIntegerSequence(count: values.count, seekInterval: seekInterval, into: &out) { Int64(values[$0]) }
    }

    /// Delta-of-delta integers: `varint interval`, `zvarint v0`, `zvarint (v1 − v0)`, the seek table (with its
    /// length and last point before it), then the bit stream. The table is written once the stream is (its bit
    /// offsets come from the stream) and put in front of it.
    @inline(__always)
    private static func encodeIntegerSequence(count n: Int, seekInterval: Int, into out: inout [UInt8], _ value: (Int) -> Int64) {
        out.appendVarint(UInt64(seekInterval))
        var previous = value(0)
        out.appendSignedVarint(previous)
        guard n > 1 else { return }
        var delta = value(1) &- previous
        out.appendSignedVarint(delta)
        previous = value(1)
        guard n > 2 else { return }
        let streamStart = out.count
        var table: [UInt8] = []
        var lastPoint = SeekState(index: 0, bitOffset: 0, value: UInt64(bitPattern: value(0)))
        var nextPoint = seekPointCount(count: n, interval: seekInterval) > 0 ? seekInterval : n
        var writer = BitWriter(appendingTo: &out, capacity: n / 2)
        let startBits = writer.bitCount
        let classes = DeltaOfDeltaBits.integers
        for i in 2..<n {
            if i == nextPoint {
                let point = SeekState(index: i, bitOffset: writer.bitCount &- startBits, value: UInt64(bitPattern: previous), delta: delta)
                appendIntegerSeekEntry(point, after: lastPoint, to: &table)
                lastPoint = point
                nextPoint &+= seekInterval
            }
            let current = value(i)
            let next = current &- previous
            classes.write(next &- delta, to: &writer)
            delta = next
            previous = current
        }
        writer.finish(into: &out)
        guard !table.isEmpty else { return }
        // Block format 8: the table's length and its last point's state (bit offset, value less `v0`) before it.
        var anchored: [UInt8] = []
        anchored.reserveCapacity(table.count &+ 16)
        anchored.appendVarint(UInt64(table.count))
        anchored.appendVarint(UInt64(lastPoint.bitOffset))
        anchored.appendSignedVarint(Int64(bitPattern: lastPoint.value) &- value(0))
        anchored.append(contentsOf: table)
        out.insert(contentsOf: anchored, at: streamStart)
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
                                 referenceSeries: Int, seekInterval: Int = defaultSeekInterval, into out: inout [UInt8]) {
        out.append(Kind.difference.rawValue)
        out.appendVarint(UInt64(referenceSeries))
        encodeIntegerSequence(count: values.count, seekInterval: seekInterval, into: &out) { Int64(reference[$0]) &- Int64(values[$0]) }
    }

    /// The series a chunk of kind ``Kind/difference`` refers to, or nil for other kinds.
    static func referencedSeries(_ bytes: UnsafeRawBufferPointer) throws(FormatError) -> Int? {
        var cursor = ByteCursor(bytes)
        guard try cursor.readByte() == Kind.difference.rawValue else { return nil }
        return try cursor.readCount()
    }

    /// Decodes the whole of a chunk of kind ``Kind/difference`` (the writers' layout) given the referenced
    /// series' values.
    static func decodeDifference(_ bytes: UnsafeRawBufferPointer, reference: UnsafeBufferPointer<Double>,
                                 into output: UnsafeMutableBufferPointer<Double>) throws(FormatError) {
        _ = try decode(bytes, reference: reference, into: output, layout: currentLayout, wanted: 0..<output.count)
    }

    private static func encodeXOR(_ values: UnsafeBufferPointer<Double>, seekInterval: Int, into out: inout [UInt8]) {
        out.appendVarint(UInt64(seekInterval))
        let streamStart = out.count
        var table: [UInt8] = []
        var lastPoint = SeekState(index: 0, bitOffset: 0, value: 0)
        var nextPoint = seekPointCount(count: values.count, interval: seekInterval) > 0 ? seekInterval : values.count
        var writer = BitWriter(appendingTo: &out, capacity: values.count * 2)
        let startBits = writer.bitCount
        var previous = values[0].bitPattern
        writer.write(previous, bits: 64)
        var leading = 0xff  // no window yet
        var trailing = 0
        for i in 1..<values.count {
            if i == nextPoint {
                // Before the first window a decoder holds leading 0 and 64 meaningful bits.
                let windowed = leading != 0xff
                let point = SeekState(index: i, bitOffset: writer.bitCount &- startBits, value: previous,
                                      leading: windowed ? leading : 0, significant: windowed ? 64 &- leading &- trailing : 64)
                appendXORSeekEntry(point, after: lastPoint, to: &table)
                lastPoint = point
                nextPoint &+= seekInterval
            }
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
        if !table.isEmpty { out.insert(contentsOf: table, at: streamStart) }
    }

    /// Decodes the whole of a chunk (the writers' layout) into `output`, which holds its `output.count` values.
    static func decode(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Double>) throws(FormatError) {
        _ = try decode(bytes, reference: nil, into: output, layout: currentLayout, wanted: 0..<output.count)
    }

    /// Decodes the values `wanted` of a chunk of `output.count` values into `output`, starting at the last
    /// seek point at or before `wanted.lowerBound` (or at the first value). A chunk of kind
    /// ``Kind/difference`` needs `reference`, the referenced chunk's values (all of them).
    ///
    /// - Returns: `first`, the index decoding started at: `output[first..<wanted.upperBound]` is written,
    ///   the rest left as it was; and `end`, the decoder's state where it stopped (`sundial check`
    ///   compares it with the next seek point).
    static func decode(_ bytes: UnsafeRawBufferPointer, reference: UnsafeBufferPointer<Double>?,
                       into output: UnsafeMutableBufferPointer<Double>, layout: Layout,
                       wanted: Range<Int>) throws(FormatError) -> (first: Int, end: SeekState) {
        let n = output.count
        let wanted = wanted.clamped(to: 0..<n)
        var cursor = ByteCursor(bytes)
        let kindByte = try cursor.readByte()
        guard let kind = Kind(rawValue: kindByte) else { throw FormatError("unknown value codec \(kindByte)") }
        guard !wanted.isEmpty else { return (wanted.lowerBound, SeekState(index: wanted.lowerBound, bitOffset: 0, value: 0)) }
        switch kind {
        case .constant:
            let v = Double(bitPattern: try cursor.readLittleEndian(UInt64.self))
            UnsafeMutableBufferPointer(rebasing: output[wanted]).update(repeating: v)
            return (wanted.lowerBound, SeekState(index: wanted.upperBound, bitOffset: 0, value: v.bitPattern))
        case .integer:
            return try decodeIntegers(&cursor, into: output, layout: layout, wanted: wanted)
        case .xor:
            return try decodeXOR(&cursor, into: output, layout: layout, wanted: wanted)
        case .difference:
            guard let reference else { throw FormatError("a difference chunk needs its reference series to decode") }
            _ = try cursor.readVarint()
            guard reference.count == n else {
                throw FormatError("a difference chunk has \(n) values but its reference \(reference.count)")
            }
            return try decodeDifferences(&cursor, reference: reference, into: output, layout: layout, wanted: wanted)
        }
    }

    private static func decodeIntegers(_ cursor: inout ByteCursor, into output: UnsafeMutableBufferPointer<Double>,
                                       layout: Layout, wanted: Range<Int>) throws(FormatError) -> (first: Int, end: SeekState) {
        try decodeIntegerSequence(&cursor, count: output.count, layout: layout, wanted: wanted) { output[$0] = Double($1) } emitRun: { start, end, value, delta in
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

    private static func decodeDifferences(_ cursor: inout ByteCursor, reference: UnsafeBufferPointer<Double>,
                                          into output: UnsafeMutableBufferPointer<Double>,
                                          layout: Layout, wanted: Range<Int>) throws(FormatError) -> (first: Int, end: SeekState) {
        // `reference[i] − Double(difference)` equals `Double(Int64(reference[i]) − difference)` for every
        // chunk the encoder writes (all three are integers below 2^53), needs no conversion of the
        // reference, and cannot trap on a damaged reference that is not integral.
        try decodeIntegerSequence(&cursor, count: output.count, layout: layout, wanted: wanted) { i, difference in
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

    /// Decodes delta-of-delta integers `first..<wanted.upperBound` of `count`, `first` being the last seek
    /// point at or before `wanted.lowerBound` (0 without one), handing each to `emit(index, value)`, or a run
    /// of values that share one delta to `emitRun(start, end, value before start, delta)` (indices `start..<end`).
    @inline(__always)
    private static func decodeIntegerSequence(_ cursor: inout ByteCursor, count n: Int, layout: Layout, wanted: Range<Int>,
                                              _ emit: (Int, Int64) -> Void,
                                              emitRun: (Int, Int, Int64, Int64) -> Void) throws(FormatError) -> (first: Int, end: SeekState) {
        let interval = try readSeekInterval(&cursor, layout: layout)
        let end = wanted.upperBound
        var value = try cursor.readSignedVarint()
        var delta: Int64 = 0
        if n > 1 { delta = try cursor.readSignedVarint() }
        let points = seekPointCount(count: n, interval: interval)
        let chosen = points > 0 ? min(wanted.lowerBound / interval, points) : 0
        let start = try readIntegerSeekStart(&cursor, layout: layout, points: points, chosen: chosen, interval: interval, first: value)
        var i: Int
        if chosen == 0 {
            emit(0, value)
            guard end > 1 else { return (0, SeekState(index: 1, bitOffset: 0, value: UInt64(bitPattern: value), delta: 0)) }
            value = value &+ delta
            emit(1, value)
            i = 2
        } else {
            value = Int64(bitPattern: start.value)
            delta = start.delta
            i = start.index
        }
        var bitOffset = start.bitOffset
        if i < end {
            var window = BitWindow(cursor.remaining)
            if bitOffset > 0 { window.skip(bitOffset) }
            let classes = DeltaOfDeltaBits.integers
            while i < end {
                // Decode from the bits before this refill (at least 56 − 27 are valid, enough for any bounded
                // value), so that the refill's load is off the critical path (``BitWindow``).
                let current = window.bits
                window.refill()
                if current &>> 60 == 0 {
                    // Four zeros or more start a run of unchanged deltas (a counter rising steadily, a bucket
                    // tracking its reference): take the whole run at once. A shorter run goes value by value
                    // below, where a zero is a class like any other: that keeps this branch predictable in
                    // chunks that mix zeros with other values.
                    let zeros = min(window.bits.leadingZeroBitCount, window.available, end &- i)
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
            bitOffset = window.position
        }
        return (chosen &* interval, SeekState(index: i, bitOffset: bitOffset, value: UInt64(bitPattern: value), delta: delta))
    }

    /// Gorilla's XOR decoding of values `first..<wanted.upperBound`, `first` being the last seek point at or
    /// before `wanted.lowerBound`: a control bit `0` repeats the previous value; `10` XORs in the meaningful
    /// bits of the current window; `11` reads a new window (5 bits of leading zeros, 6 of length) first.
    /// The control bits and the window come from one peek.
    private static func decodeXOR(_ cursor: inout ByteCursor, into output: UnsafeMutableBufferPointer<Double>,
                                  layout: Layout, wanted: Range<Int>) throws(FormatError) -> (first: Int, end: SeekState) {
        let n = output.count
        let interval = try readSeekInterval(&cursor, layout: layout)
        let points = seekPointCount(count: n, interval: interval)
        let chosen = points > 0 ? min(wanted.lowerBound / interval, points) : 0
        var start = SeekState(index: 0, bitOffset: 0, value: 0, leading: 0, significant: 64)
        if points > 0 {
            // The points up to the chosen one are read; the rest skipped: a varint and 10 bytes each.
            if chosen > 0 {
                try readXORSeekTable(&cursor, points: chosen, interval: interval) { point in
                    if point.index == chosen &* interval { start = point }
                }
            }
            for _ in chosen..<points {
                try cursor.skipVarints(1)
                try cursor.skip(10)
            }
            guard start.bitOffset <= cursor.remaining.count &* 8 else { throw FormatError("a seek point lies past the chunk's end") }
        }
        var reader = BitReader(cursor.remaining)
        var previous: UInt64
        var i: Int
        if chosen == 0 {
            previous = reader.read(bits: 64)
            output[0] = Double(bitPattern: previous)
            i = 1
        } else {
            reader.advance(start.bitOffset)
            previous = start.value
            i = start.index
        }
        var leading = start.leading
        var significant = start.significant
        let end = wanted.upperBound
        while i < end {
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
                meaningful = (word &<< UInt64(truncatingIfNeeded: control)) &>> UInt64(truncatingIfNeeded: 64 &- significant)
                reader.advance(control &+ significant)
            } else {
                reader.advance(control)
                meaningful = reader.read(bits: significant)
            }
            previous ^= meaningful &<< UInt64(truncatingIfNeeded: 64 &- leading &- significant)
            output[i] = Double(bitPattern: previous)
            i &+= 1
        }
        if reader.overrun { throw FormatError("XOR value chunk ends early: \(n) values expected") }
        return (chosen &* interval, SeekState(index: i, bitOffset: reader.position, value: previous,
                                              leading: leading, significant: significant))
    }
}
