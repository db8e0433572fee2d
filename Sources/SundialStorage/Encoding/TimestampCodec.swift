/// Encodes a sequence of millisecond timestamps Gorilla-style: the first timestamp and first
/// delta as varints, then each delta-of-delta in a prefix-coded bit class (``DeltaOfDeltaBits``).
///
/// Layout (docs/FORMAT.md, "Timestamp column"): `varint n`, then for n ≥ 1 `zigzag-varint t0`,
/// for n ≥ 2 `zigzag-varint (t1 − t0)`, then the bit stream of the n − 2 deltas-of-deltas,
/// padded to a byte. All arithmetic wraps, so any Int64 sequence round-trips.
enum TimestampCodec {
    /// Appends the encoding of `timestamps` to `out`.
    static func encode(_ timestamps: UnsafeBufferPointer<Int64>, into out: inout [UInt8]) {
        let n = timestamps.count
        out.appendVarint(UInt64(n))
        guard n > 0 else { return }
        out.appendSignedVarint(timestamps[0])
        guard n > 1 else { return }
        var delta = timestamps[1] &- timestamps[0]
        out.appendSignedVarint(delta)
        guard n > 2 else { return }
        var writer = BitWriter(appendingTo: &out, capacity: n / 4)
        let classes = DeltaOfDeltaBits.timestamps
        for i in 2..<n {
            let next = timestamps[i] &- timestamps[i - 1]
            classes.write(next &- delta, to: &writer)
            delta = next
        }
        writer.finish(into: &out)
    }

    /// Reads the count of an encoded column without decoding it.
    static func count(_ bytes: UnsafeRawBufferPointer) throws(FormatError) -> Int {
        var cursor = ByteCursor(bytes)
        return try cursor.readCount()
    }

    /// Decodes a column into `output`, which must hold at least ``count(_:)`` elements.
    /// - Returns: the number of timestamps decoded.
    static func decode(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Int64>) throws(FormatError) -> Int {
        var cursor = ByteCursor(bytes)
        let n = try cursor.readCount()
        guard n <= output.count else { throw FormatError("timestamp column holds \(n) values, more than the \(output.count) expected") }
        guard n > 0 else { return 0 }
        var t = try cursor.readSignedVarint()
        output[0] = t
        guard n > 1 else { return 1 }
        var delta = try cursor.readSignedVarint()
        t = t &+ delta
        output[1] = t
        guard n > 2 else { return 2 }
        var window = BitWindow(cursor.remaining)
        let classes = DeltaOfDeltaBits.timestamps
        for i in 2..<n {
            // As in the integer value decoder: decode from the bits before the refill (``BitWindow``).
            let current = window.bits
            window.refill()
            delta = delta &+ classes.read(current, from: &window)
            t = t &+ delta
            output[i] = t
        }
        if window.overrun { throw FormatError("timestamp column ends early: \(n) values announced") }
        return n
    }
}
