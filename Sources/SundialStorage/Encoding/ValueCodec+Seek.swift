/// Seek points: where a decoder can start inside a value chunk (block formats 4 and 8, docs/FORMAT.md "Seek
/// points").
///
/// A chunk of kind ``ValueCodec/Kind/integer``, ``ValueCodec/Kind/difference`` or ``ValueCodec/Kind/xor``
/// records, every `interval` values, the decoder's state before value `k`: the bit position of value
/// `k` in the chunk's bit stream and what the decoder carries from value `k − 1`. An instant query
/// over the last five minutes of a two-hour chunk then decodes from the point before its window (at
/// most `interval` values early) instead of from the chunk's first value.
extension ValueCodec {
    /// Whether value chunks carry a seek table: blocks of format versions 1 and 2 have none.
    enum Layout: Sendable {
        /// Versions 1 and 2: the kind's payload follows the kind byte directly.
        case plain
        /// Version 4: an `interval` varint and a seek table precede the bit stream.
        case seekable
        /// Version 8: as version 4, and an integer kind's table (when it has points) is preceded by its length in
        /// bytes and the state of its last point, so that a reader can walk the table from either end
        /// (``readIntegerSeekStart(_:layout:points:chosen:interval:first:)``).
        case anchored
    }

    /// The layout the writers make.
    static let currentLayout = Layout.anchored

    /// Values between seek points in the chunks a writer makes. A point every 64 values: a window's reader
    /// decodes on average 32 values before the window instead of 60 at 120 (Prometheus's chunk
    /// length, the interval until stop 16), 12 % fewer instructions for the latency query, for 3 % more bytes
    /// on the 24 h corpus: 0.726 bytes per sample instead of 0.704 (docs/PERFORMANCE.md, stop 16). The
    /// interval is written in each chunk, so blocks written at 120 read as before.
    static let defaultSeekInterval = 64

    /// A decoder's state before value ``index``: the state a seek point records, and what a decoder
    /// reports where it stops (``decode(_:into:layout:wanted:)`` and `sundial check` compare the two).
    struct SeekState: Equatable, Sendable {
        /// The next value to decode.
        var index: Int
        /// Its bit position in the chunk's bit stream.
        var bitOffset: Int
        /// Integer kinds: value `index − 1` (for a difference chunk, the difference) as a bit pattern;
        /// XOR: the bits of value `index − 1`.
        var value: UInt64
        /// Integer kinds: value `index − 1` minus value `index − 2`; XOR: 0.
        var delta: Int64 = 0
        /// XOR: the current window's leading zero count and meaningful bit count (0 and 64 before the
        /// first window); integer kinds: 0 and 0.
        var leading = 0
        var significant = 0
    }

    /// The number of seek points of a chunk of `count` values: one at every multiple of `interval` below `count`.
    @inline(__always)
    static func seekPointCount(count: Int, interval: Int) -> Int {
        interval > 0 && count > 2 ? (count &- 1) / interval : 0
    }

    /// Reads the `varint interval` of a seekable chunk: 0 (no seek points) or at least 2.
    @inline(__always)
    static func readSeekInterval(_ cursor: inout ByteCursor, layout: Layout) throws(FormatError) -> Int {
        guard layout != .plain else { return 0 }
        let interval = try cursor.readCount()
        guard interval != 1 else { throw FormatError("a seek interval of 1 value") }
        return interval
    }

    /// Reads the seek table of an integer-kind chunk (after `v0` and `v1 − v0`), `points` entries, calling
    /// `entry` with each state in order. `first` is `v0`; `streamBytes` bounds every bit offset.
    @inline(__always)
    static func readIntegerSeekTable(_ cursor: inout ByteCursor, points: Int, interval: Int, first: Int64,
                                     streamBits: Int? = nil, _ entry: (SeekState) -> Void) throws(FormatError) {
        var bitOffset = 0
        var value = first
        let limit = streamBits ?? cursor.remaining.count &* 8
        for point in 1...points {
            try readIntegerSeekPosition(&cursor, point: point, limit: limit, bitOffset: &bitOffset, value: &value)
            let delta = try cursor.readSignedVarint()
            entry(SeekState(index: point &* interval, bitOffset: bitOffset, value: UInt64(bitPattern: value), delta: delta))
        }
        guard bitOffset <= limit else { throw FormatError("a seek point lies past the chunk's end") }
    }

    /// The state seek point `point` (1...) of an integer-kind chunk records, read from its table (after `v0` and
    /// `v1 − v0`; `first` is `v0`), the cursor left after that point's entry: what
    /// ``readIntegerSeekTable(_:points:interval:first:_:)`` hands over last, without making a state per point
    /// or reading the deltas of the points before it (each is only skipped). A decoder reads the table of every
    /// chunk it starts inside: through the general reader that took 10 % of an instant latency query. Out of
    /// line: inlined, it changed the code of the decoders' loops around it (0.6 % more instructions in a range query).
    /// `streamBits` bounds the bit offsets: by default the bits left after the cursor (the table and the stream).
    @inline(never)
    static func readIntegerSeekPoint(_ cursor: inout ByteCursor, point: Int, interval: Int, first: Int64,
                                     streamBits: Int? = nil) throws(FormatError) -> SeekState {
        // A copy of the cursor, so that its offset stays in a register rather than in the caller's memory.
        var table = cursor
        let state = try readIntegerSeekPoint(table: &table, point: point, interval: interval, first: first,
                                             limit: streamBits ?? cursor.remaining.count &* 8)
        cursor = table
        return state
    }

    @inline(__always)
    private static func readIntegerSeekPoint(table cursor: inout ByteCursor, point: Int, interval: Int, first: Int64,
                                             limit: Int) throws(FormatError) -> SeekState {
        var bitOffset = 0
        var value = first
        for k in 1...point {
            try readIntegerSeekPosition(&cursor, point: k, limit: limit, bitOffset: &bitOffset, value: &value)
            if k < point { try cursor.skipVarints(1) }
        }
        let delta = try cursor.readSignedVarint()
        guard bitOffset <= limit else { throw FormatError("a seek point lies past the chunk's end") }
        return SeekState(index: point &* interval, bitOffset: bitOffset, value: UInt64(bitPattern: value), delta: delta)
    }

    /// Reads the first two fields of integer seek entry `point` (its bit step and value difference) into the
    /// running `bitOffset` and `value`; `limit` is the chunk's remaining bits, which no offset may pass.
    @inline(__always)
    private static func readIntegerSeekPosition(_ cursor: inout ByteCursor, point: Int, limit: Int, bitOffset: inout Int,
                                                value: inout Int64) throws(FormatError) {
        let step = try cursor.readVarint()
        guard step <= UInt64(limit &- bitOffset) else { throw FormatError("seek point \(point) lies past the chunk's end") }
        bitOffset &+= Int(truncatingIfNeeded: step)
        value = value &+ (try cursor.readSignedVarint())
    }

    /// The state an integer-kind chunk's decoder starts from for seek point `chosen` of `points` (0: the
    /// chunk's first value), the cursor put after the seek table (after `v0` and `v1 − v0` on entry; `first` is
    /// `v0`). In the anchored layout the table is walked from whichever end is nearer the point: from the
    /// start, each entry adds its differences; from the last point's state, each entry after the point takes
    /// them away; either way the rest of the table is stepped over by its stated length. An instant query at the
    /// end of a chunk reads one entry instead of every one before it: the instant latency query took 5.90 → 5.52 M
    /// instructions (docs/PERFORMANCE.md, stop 19).
    @inline(__always)
    static func readIntegerSeekStart(_ cursor: inout ByteCursor, layout: Layout, points: Int, chosen: Int, interval: Int,
                                     first: Int64) throws(FormatError) -> SeekState {
        let origin = SeekState(index: 0, bitOffset: 0, value: 0)
        guard points > 0 else { return origin }
        guard layout == .anchored else {
            let start = chosen > 0 ? try readIntegerSeekPoint(&cursor, point: chosen, interval: interval, first: first) : origin
            try cursor.skipVarints((points &- chosen) &* 3)
            guard start.bitOffset <= cursor.remaining.count &* 8 else { throw FormatError("a seek point lies past the chunk's end") }
            return start
        }
        let anchor = try readIntegerSeekAnchor(&cursor, points: points, interval: interval, first: first)
        var table = try cursor.take(anchor.tableBytes)
        let streamBits = cursor.remainingCount &* 8
        let start: SeekState
        if chosen == 0 {
            start = origin
        } else if chosen <= points &- chosen {
            start = try readIntegerSeekPoint(&table, point: chosen, interval: interval, first: first, streamBits: streamBits)
        } else {
            start = try readIntegerSeekPoint(backwardsIn: table.remaining, from: anchor.last, point: chosen, interval: interval)
        }
        guard start.bitOffset <= streamBits, anchor.last.bitOffset <= streamBits else {
            throw FormatError("a seek point lies past the chunk's end")
        }
        return start
    }

    /// The anchored layout's fields before an integer seek table: its length in bytes, and the last point's bit
    /// offset and value (as a difference from `first`, `v0`). The last point's delta is its entry's third field.
    @inline(__always)
    private static func readIntegerSeekAnchor(_ cursor: inout ByteCursor, points: Int, interval: Int,
                                              first: Int64) throws(FormatError) -> (tableBytes: Int, last: SeekState) {
        let tableBytes = try cursor.readVarint()
        let bitOffset = try cursor.readVarint()
        let value = first &+ (try cursor.readSignedVarint())
        guard tableBytes <= UInt64(cursor.remainingCount), bitOffset <= UInt64(Int32.max) else {
            throw FormatError("a seek table's length or last point lies past the chunk's end")
        }
        return (Int(tableBytes), SeekState(index: points &* interval, bitOffset: Int(bitOffset), value: UInt64(bitPattern: value)))
    }

    /// The state seek point `point` records, read from the end of its table (`table`, exactly the entries):
    /// `last` is the last point's state (its delta not yet known). Each entry after `point` is read backwards
    /// and taken away; then `point`'s own delta is read.
    private static func readIntegerSeekPoint(backwardsIn table: UnsafeRawBufferPointer, from last: SeekState, point: Int,
                                             interval: Int) throws(FormatError) -> SeekState {
        var end = table.count
        var bitOffset = last.bitOffset
        var value = Int64(bitPattern: last.value)
        let points = last.index / interval
        var k = points
        while k > point {
            _ = try readVarintBackwards(table, end: &end)  // entry k's delta
            let difference = zigZagDecode(try readVarintBackwards(table, end: &end))
            let step = try readVarintBackwards(table, end: &end)
            guard step <= UInt64(bitOffset) else { throw FormatError("seek point \(k) lies before the chunk's start") }
            bitOffset &-= Int(truncatingIfNeeded: step)
            value = value &- difference
            k &-= 1
        }
        let delta = zigZagDecode(try readVarintBackwards(table, end: &end))
        return SeekState(index: point &* interval, bitOffset: bitOffset, value: UInt64(bitPattern: value), delta: delta)
    }

    /// The varint that ends just before `end` in `bytes`, `end` moved to its first byte: a varint's last byte is
    /// the only one below 128, so its first byte follows the previous varint's last (or the start).
    @inline(__always)
    private static func readVarintBackwards(_ bytes: UnsafeRawBufferPointer, end: inout Int) throws(FormatError) -> UInt64 {
        guard end > 0, end <= bytes.count else { throw FormatError("a seek table ends inside a number") }
        var value = UInt64(bytes[end &- 1])
        guard value < 0x80 else { throw FormatError("a seek table ends inside a number") }
        var start = end &- 1
        // Earlier bytes of the same number have their high bit set; at most 10 bytes make a 64-bit number.
        while start > 0 && bytes[start &- 1] >= 0x80 {
            guard end &- start < 10 else { throw FormatError("a seek table holds a number longer than 10 bytes") }
            start &-= 1
            value = (value &<< 7) | UInt64(bytes[start] & 0x7f)
        }
        end = start
        return value
    }

    /// Appends an integer-kind chunk's seek entry for `state`, given the previous entry's (or the chunk's
    /// start: bit 0 and `v0`).
    static func appendIntegerSeekEntry(_ state: SeekState, after previous: SeekState, to table: inout [UInt8]) {
        table.appendVarint(UInt64(state.bitOffset &- previous.bitOffset))
        table.appendSignedVarint(Int64(bitPattern: state.value) &- Int64(bitPattern: previous.value))
        table.appendSignedVarint(state.delta)
    }

    /// Reads the seek table of an XOR chunk, `points` entries of `varint bitStep, u64 value bits, u8 leading,
    /// u8 significant`, calling `entry` with each state in order.
    @inline(__always)
    static func readXORSeekTable(_ cursor: inout ByteCursor, points: Int, interval: Int,
                                 _ entry: (SeekState) -> Void) throws(FormatError) {
        var bitOffset = 0
        let limit = cursor.remaining.count &* 8
        for point in 1...points {
            let step = try cursor.readVarint()
            guard step <= UInt64(limit &- bitOffset) else { throw FormatError("seek point \(point) lies past the chunk's end") }
            bitOffset &+= Int(truncatingIfNeeded: step)
            let bits = try cursor.readLittleEndian(UInt64.self)
            let leading = Int(try cursor.readByte())
            let significant = Int(try cursor.readByte())
            guard leading <= 31, significant >= 1, leading &+ significant <= 64 else {
                throw FormatError("seek point \(point) has an impossible bit window")
            }
            entry(SeekState(index: point &* interval, bitOffset: bitOffset, value: bits, leading: leading, significant: significant))
        }
        guard bitOffset <= cursor.remaining.count &* 8 else { throw FormatError("a seek point lies past the chunk's end") }
    }

    /// Appends an XOR chunk's seek entry for `state`, given the previous entry's (or bit 0).
    static func appendXORSeekEntry(_ state: SeekState, after previous: SeekState, to table: inout [UInt8]) {
        table.appendVarint(UInt64(state.bitOffset &- previous.bitOffset))
        table.appendLittleEndian(state.value)
        table.append(UInt8(state.leading))
        table.append(UInt8(state.significant))
    }

    /// The seek points of a chunk (none for a constant chunk or a `.plain` layout), as states to compare
    /// with where a decoder that stops there reports to be: `sundial check` uses it.
    static func seekPoints(_ bytes: UnsafeRawBufferPointer, count n: Int, layout: Layout) throws(FormatError) -> [SeekState] {
        var cursor = ByteCursor(bytes)
        let kindByte = try cursor.readByte()
        guard let kind = Kind(rawValue: kindByte) else { throw FormatError("unknown value codec \(kindByte)") }
        if kind == .constant { return [] }
        if kind == .difference { _ = try cursor.readVarint() }
        let interval = try readSeekInterval(&cursor, layout: layout)
        let points = seekPointCount(count: n, interval: interval)
        guard points > 0 else { return [] }
        var states: [SeekState] = []
        if kind == .xor {
            try readXORSeekTable(&cursor, points: points, interval: interval) { states.append($0) }
        } else {
            let first = try cursor.readSignedVarint()
            _ = try cursor.readSignedVarint()
            guard layout == .anchored else {
                try readIntegerSeekTable(&cursor, points: points, interval: interval, first: first) { states.append($0) }
                return states
            }
            // The anchor must say where the table ends and what its last point holds.
            let anchor = try readIntegerSeekAnchor(&cursor, points: points, interval: interval, first: first)
            var table = try cursor.take(anchor.tableBytes)
            try readIntegerSeekTable(&table, points: points, interval: interval, first: first,
                                     streamBits: cursor.remaining.count &* 8) { states.append($0) }
            guard table.remaining.isEmpty else { throw FormatError("the seek table is shorter than its stated length") }
            guard let last = states.last, last.bitOffset == anchor.last.bitOffset, last.value == anchor.last.value else {
                throw FormatError("the seek table's last point differs from the state stored before the table")
            }
            guard last.bitOffset <= cursor.remaining.count &* 8 else { throw FormatError("a seek point lies past the chunk's end") }
        }
        return states
    }

    /// Checks the seek points of a chunk against `values`, the chunk decoded from its first value: the
    /// chunk is decoded once more, a stretch from each seek point to the next, and each stretch must give
    /// the same values (bit for bit) and stop in exactly the state the next seek point records. By
    /// induction every seek point then holds the state of a decoder that started at the first value, so
    /// a reader that starts at any of them reads what a whole decode gives. `sundial check` runs it.
    static func checkSeekPoints(_ bytes: UnsafeRawBufferPointer, reference: UnsafeBufferPointer<Double>?,
                                values: UnsafeBufferPointer<Double>, layout: Layout) throws(FormatError) {
        let count = values.count
        let points = try seekPoints(bytes, count: count, layout: layout)
        guard !points.isEmpty else { return }
        var scratch = [Double](repeating: 0, count: count)
        let starts = [0] + points.map(\.index)
        for (j, start) in starts.enumerated() {
            let end = j + 1 < starts.count ? starts[j + 1] : count
            var result: Result<(first: Int, end: SeekState), FormatError> = .failure(FormatError("not decoded"))
            scratch.withUnsafeMutableBufferPointer { out in
                do throws(FormatError) {
                    result = .success(try decode(bytes, reference: reference, into: out, layout: layout, wanted: start..<end))
                } catch { result = .failure(error) }
            }
            let decoded = try result.get()
            guard decoded.first == start else { throw FormatError("decoding from seek point \(j) started at value \(decoded.first)") }
            for i in start..<end where scratch[i].bitPattern != values[i].bitPattern {
                throw FormatError("decoding from seek point \(j) gives value \(i) as \(scratch[i]), not \(values[i])")
            }
            if j < points.count, decoded.end != points[j] {
                throw FormatError("seek point \(j + 1) (value \(points[j].index)) does not hold the decoder's state there")
            }
        }
    }
}
