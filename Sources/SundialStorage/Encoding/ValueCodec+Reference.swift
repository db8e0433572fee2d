/// Choosing between a chunk's own encoding and its encoding as differences from a reference series
/// (a histogram bucket from its `+Inf` bucket) without writing both.
///
/// The choice is the one encoding both and keeping the smaller would make (the difference only when
/// strictly smaller): the sizes of the two integer encodings are exact functions of the values, counted
/// here in one pass, so only the winner is written.
extension ValueCodec {
    /// The values of another series' chunk in the same window, with the same timestamps, that a chunk may
    /// be stored relative to.
    struct Reference {
        /// The referenced series' position in the block.
        let series: Int
        /// The referenced chunk's values.
        let values: UnsafeBufferPointer<Double>
        /// True when every one of ``values`` is an exact integer (``isIntegral(_:)``): computed once per
        /// referenced chunk, not once per chunk that refers to it.
        let isIntegral: Bool
    }

    /// Appends the smaller of the encoding of `values` as is (``encode(_:into:)``) and, when `reference`
    /// allows it, as differences from it (``encodeDifference(_:from:referenceSeries:into:)``): the bytes
    /// are those of writing both and keeping the smaller, ties going to the encoding as is.
    ///
    /// A difference is possible only when both chunks are integral and every difference stays exactly
    /// representable: values that are not all exact integers (a float, NaN, -0.0) are stored as is.
    static func encode(_ values: UnsafeBufferPointer<Double>, reference: Reference?, seekInterval: Int = defaultSeekInterval,
                       into out: inout [UInt8]) {
        guard let reference, reference.isIntegral, reference.values.count == values.count,
              let sizes = integerSizes(values, reference: reference.values, seekInterval: seekInterval) else {
            encode(values, seekInterval: seekInterval, into: &out)
            return
        }
        let plain = sizes.isConstant ? 9 : 1 + sizes.integers
        if let difference = sizes.differences, 1 + varintSize(UInt64(reference.series)) + difference < plain {
            encodeDifference(values, from: reference.values, referenceSeries: reference.series, seekInterval: seekInterval, into: &out)
        } else {
            encode(values, seekInterval: seekInterval, into: &out)
        }
    }

    /// The encoded sizes of an integral chunk, kind byte not included, seek interval and table included.
    struct IntegerSizes: Equatable {
        /// True when every value has the same bit pattern (the chunk is stored as one constant).
        var isConstant: Bool
        /// Bytes of the values as delta-of-delta integers.
        var integers: Int
        /// Bytes of the differences from the reference as delta-of-delta integers, without the referenced
        /// series' varint; nil when a difference is not exactly representable.
        var differences: Int?
    }

    /// The sizes of both integer encodings of `values` in one pass, or nil when a value is not an exact
    /// integer. `reference` must have as many values as `values`, all exact integers.
    static func integerSizes(_ values: UnsafeBufferPointer<Double>, reference: UnsafeBufferPointer<Double>,
                             seekInterval: Int = defaultSeekInterval) -> IntegerSizes? {
        let n = values.count
        guard n > 0, reference.count == n, isExactInteger(values[0]) else { return nil }
        let intervalSize = varintSize(UInt64(seekInterval))
        let firstBits = values[0].bitPattern
        var constant = true
        var fits = true
        var value = Int64(values[0])
        var difference = Int64(reference[0]) &- value
        if difference.magnitude >= 1 << 53 { fits = false }
        var integers = intervalSize + varintSize(zigZagEncode(value))
        var differences = intervalSize + varintSize(zigZagEncode(difference))
        // The seek tables (ValueCodec+Seek.swift): per point, the bits since the last point, the value's
        // change since it and the delta, for each encoding.
        var nextPoint = seekPointCount(count: n, interval: seekInterval) > 0 ? seekInterval : n
        let firstValue = value
        let firstDifference = difference
        var lastIntegerPoint = (bits: 0, value: value)
        var lastDifferencePoint = (bits: 0, value: difference)
        var integerTable = 0
        var differenceTable = 0
        guard n > 1 else { return IntegerSizes(isConstant: true, integers: integers, differences: fits ? differences : nil) }
        guard isExactInteger(values[1]) else { return nil }
        if values[1].bitPattern != firstBits { constant = false }
        var next = Int64(values[1])
        var nextDifference = Int64(reference[1]) &- next
        if nextDifference.magnitude >= 1 << 53 { fits = false }
        var delta = next &- value
        var differenceDelta = nextDifference &- difference
        integers += varintSize(zigZagEncode(delta))
        differences += varintSize(zigZagEncode(differenceDelta))
        value = next
        difference = nextDifference
        var integerBits = 0
        var differenceBits = 0
        // Flags folded with `|` rather than set in branches: the loop's only branch is the integrality check,
        // which real chunks pass.
        var changedBits: UInt64 = 0
        var differenceMagnitudes: UInt64 = 0
        var integral = true
        DeltaOfDeltaBits.integerBitLengths.withUnsafeBufferPointer { lengths in
            for i in 2..<n {
                let v = values[i]
                guard isExactInteger(v) else {
                    integral = false
                    return
                }
                if i == nextPoint {
                    integerTable &+= varintSize(UInt64(integerBits &- lastIntegerPoint.bits))
                        &+ varintSize(zigZagEncode(value &- lastIntegerPoint.value)) &+ varintSize(zigZagEncode(delta))
                    differenceTable &+= varintSize(UInt64(differenceBits &- lastDifferencePoint.bits))
                        &+ varintSize(zigZagEncode(difference &- lastDifferencePoint.value)) &+ varintSize(zigZagEncode(differenceDelta))
                    lastIntegerPoint = (integerBits, value)
                    lastDifferencePoint = (differenceBits, difference)
                    nextPoint &+= seekInterval
                }
                changedBits |= v.bitPattern ^ firstBits
                next = Int64(v)
                nextDifference = Int64(reference[i]) &- next
                differenceMagnitudes |= nextDifference.magnitude
                let nextDelta = next &- value
                let nextDifferenceDelta = nextDifference &- difference
                integerBits &+= Int(lengths[64 &- zigZagEncode(nextDelta &- delta).leadingZeroBitCount])
                differenceBits &+= Int(lengths[64 &- zigZagEncode(nextDifferenceDelta &- differenceDelta).leadingZeroBitCount])
                delta = nextDelta
                differenceDelta = nextDifferenceDelta
                value = next
                difference = nextDifference
            }
        }
        guard integral else { return nil }
        if changedBits != 0 { constant = false }
        if differenceMagnitudes >= 1 << 53 { fits = false }
        integers += (integerBits + 7) / 8
        differences += (differenceBits + 7) / 8
        // A table is preceded by its length and its last point (bit offset, value less the first).
        if integerTable > 0 {
            integers += integerTable + varintSize(UInt64(integerTable)) + varintSize(UInt64(lastIntegerPoint.bits))
                + varintSize(zigZagEncode(lastIntegerPoint.value &- firstValue))
            differences += differenceTable + varintSize(UInt64(differenceTable)) + varintSize(UInt64(lastDifferencePoint.bits))
                + varintSize(zigZagEncode(lastDifferencePoint.value &- firstDifference))
        }
        return IntegerSizes(isConstant: constant, integers: integers, differences: fits ? differences : nil)
    }

    /// The length in bytes of `value` as an unsigned LEB128 varint.
    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        // 1 byte per started 7 bits, and 1 for zero.
        ((64 &- (value | 1).leadingZeroBitCount) &+ 6) / 7
    }
}
