/// A ``BulkLoad``'s buffer: every series' samples as one compact byte stream in time order, so that a
/// long stretch of a wide load (tens of thousands of series per scrape) fits in memory and is written as
/// one block per ``StoreOptions/blockRangeMs`` window, instead of many small blocks merged afterwards.
///
/// The distinct times of the buffer form one shared ``timeline``: a sample at the timeline's next time
/// after its series' previous sample (the usual case: every series of a scrape shares its time) stores no
/// time at all. A sample then costs about 1 byte for a counter or bucket (an integer delta-of-delta) and up
/// to 10 for a float, against 20 in a flat ``Batch``. A sample not
/// after every earlier sample of its series (out of order, or a repeated time) goes to a flat side log
/// instead and wins over the stream for a repeated timestamp, as the later append does.
struct SeriesStreams {
    /// Per series id: its stream, empty for series without samples here.
    private(set) var streams: [SeriesStream] = []
    /// Every distinct time of the in-order samples that was newer than all before it, increasing.
    private(set) var timeline: [Int64] = []
    /// Samples that did not come after their series' newest sample, in append order.
    private(set) var outOfOrder = Batch()
    /// Per aligned window start: the series with samples in it (an id may repeat).
    private(set) var windowMembers: [Int64: [UInt32]] = [:]
    /// Samples held.
    private(set) var sampleCount = 0
    /// Bytes held, counting reserved capacity: what ``StoreOptions/bulkBufferBytes`` bounds.
    private(set) var bytes = 0
    let windowMs: Int64

    /// Memory a stream costs besides its bytes (its state and its array's header).
    static let streamOverheadBytes = MemoryLayout<SeriesStream>.stride + 32

    init(windowMs: Int64) {
        self.windowMs = windowMs
    }

    var isEmpty: Bool { sampleCount == 0 }

    /// Appends one sample of series `id`.
    @inline(__always)
    mutating func append(_ id: UInt32, timestampMs t: Int64, value: Double) {
        let index = Int(id)
        if index >= streams.count {
            let grown = max(index + 1, streams.count + streams.count / 4)
            bytes += (grown - streams.count) * Self.streamOverheadBytes
            streams.append(contentsOf: repeatElement(SeriesStream(), count: grown - streams.count))
        }
        sampleCount += 1
        if streams[index].count > 0 && t <= streams[index].newestMs {
            outOfOrder.append(SeriesReference(id: id), timestampMs: t, value: value)
            bytes += 20
            windowMembers[alignedStart(t, windowMs), default: []].append(id)
            return
        }
        let window = alignedStart(t, windowMs)
        if streams[index].count == 0 || window != streams[index].newestWindow {
            windowMembers[window, default: []].append(id)
            streams[index].newestWindow = window
        }
        let position = timelinePosition(of: t, after: streams[index].count > 0 ? streams[index].timelinePosition : -1)
        let before = streams[index].bytes.capacity
        if before - streams[index].bytes.count < SeriesStream.maximumSampleBytes {
            // Grow by a quarter, not double: the buffer's bytes are mostly these arrays' spare room otherwise.
            let count = streams[index].bytes.count
            streams[index].bytes.reserveCapacity(count + max(64, count / 4))
        }
        streams[index].append(t, value, timelinePosition: position)
        bytes += streams[index].bytes.capacity - before
    }

    /// The position of `t` in the timeline (appended when newer than all of it), or -1 when it falls
    /// between two times there; `previous` is the series' previous position, the likely one before.
    @inline(__always)
    private mutating func timelinePosition(of t: Int64, after previous: Int32) -> Int32 {
        if let last = timeline.last, t <= last {
            let next = Int(previous) + 1
            if previous >= 0 && next < timeline.count && timeline[next] == t { return Int32(next) }
            return Self.position(of: t, in: timeline)
        }
        timeline.append(t)
        bytes += 8
        return Int32(timeline.count - 1)
    }

    /// The position of `t` in the increasing `timeline`, or -1.
    static func position(of t: Int64, in timeline: [Int64]) -> Int32 {
        let at = timeline.partitionPoint { $0 >= t }
        return at < timeline.count && timeline[at] == t ? Int32(at) : -1
    }

    /// Appends every sample of `batch`, in order.
    mutating func append(contentsOf batch: Batch) {
        for i in 0..<batch.sampleCount {
            append(batch.series[i], timestampMs: batch.timestamps[i], value: batch.values[i])
        }
    }

    /// Empties the buffer, giving its memory back.
    mutating func removeAll() {
        streams = []
        timeline = []
        outOfOrder = Batch()
        windowMembers = [:]
        sampleCount = 0
        bytes = 0
    }
}

/// One series' samples in time order, strictly increasing. The first sample is a ZigZag varint of its
/// time and the 8 bytes of its value. Each later one is a varint code whose bit 1 says where its time is:
/// 1, the timeline's next time after the previous sample's; 0, a ZigZag varint of the difference from the
/// previous sample's time follows the code. Bit 0 says how the value reads: 0, the rest of the code is the
/// ZigZag delta-of-delta of an integer value (when this value and the one before are exact integers); 1,
/// the XOR with the previous value's bits, as a byte count and a trailing-zero-byte count in the code and
/// those bytes after it.
struct SeriesStream {
    /// The most bytes one sample takes: a 10-byte varint code, a 10-byte varint time and 8 bytes of XOR.
    static let maximumSampleBytes = 28
    var bytes: [UInt8] = []
    var count: Int32 = 0
    /// The timeline position of the newest sample's time, or -1.
    var timelinePosition: Int32 = -1
    var newestMs: Int64 = 0
    var newestWindow: Int64 = 0
    var previousBits: UInt64 = 0
    var previousIntegerDelta: Int64 = 0

    @inline(__always)
    mutating func append(_ t: Int64, _ value: Double, timelinePosition position: Int32) {
        let bits = value.bitPattern
        if count == 0 {
            bytes.appendSignedVarint(t)
            bytes.appendLittleEndian(bits)
            previousIntegerDelta = 0
        } else {
            let timeFollows = !(timelinePosition >= 0 && position == timelinePosition + 1)
            let timeBit: UInt64 = timeFollows ? 0 : 2
            let previous = Double(bitPattern: previousBits)
            if ValueCodec.isExactInteger(value) && ValueCodec.isExactInteger(previous) {
                let integerDelta = Int64(value) &- Int64(previous)
                bytes.appendVarint(zigZagEncode(integerDelta &- previousIntegerDelta) << 2 | timeBit)
                if timeFollows { bytes.appendSignedVarint(t &- newestMs) }
                previousIntegerDelta = integerDelta
            } else {
                let difference = bits ^ previousBits
                let trailing = difference == 0 ? 0 : difference.trailingZeroBitCount / 8
                let meaningful = difference == 0 ? 0 : 8 - difference.leadingZeroBitCount / 8 - trailing
                bytes.appendVarint(UInt64(meaningful << 3 | trailing) << 2 | timeBit | 1)
                if timeFollows { bytes.appendSignedVarint(t &- newestMs) }
                var rest = difference >> UInt64(trailing * 8)
                for _ in 0..<meaningful {
                    bytes.append(UInt8(truncatingIfNeeded: rest))
                    rest >>= 8
                }
                previousIntegerDelta = 0
            }
        }
        timelinePosition = position
        newestMs = t
        previousBits = bits
        count += 1
    }
}

/// Reads a ``SeriesStream`` front to back, one window at a time, with the timeline it was written against.
struct SeriesStreamReader {
    private var offset = 0
    private var read: Int32 = 0
    private var position: Int32 = -1
    private var t: Int64 = 0
    private var bits: UInt64 = 0
    private var integerDelta: Int64 = 0
    /// The sample in `t` and `bits` is decoded but not yet handed out (it belongs to a later window).
    private var holds = false

    /// The stream's next samples before `endMs`, appended to `timestamps` and `values`.
    mutating func samples(of stream: SeriesStream, timeline: [Int64], before endMs: Int64,
                          timestamps: inout [Int64], values: inout [Double]) {
        if holds {
            guard t < endMs else { return }
            timestamps.append(t)
            values.append(Double(bitPattern: bits))
            holds = false
        }
        stream.bytes.withUnsafeBufferPointer { data in
            while read < stream.count {
                next(data, timeline)
                if t >= endMs {
                    holds = true
                    return
                }
                timestamps.append(t)
                values.append(Double(bitPattern: bits))
            }
        }
    }

    @inline(__always)
    private mutating func next(_ data: UnsafeBufferPointer<UInt8>, _ timeline: [Int64]) {
        if read == 0 {
            t = zigZagDecode(varint(data))
            var word: UInt64 = 0
            for k in 0..<8 { word |= UInt64(data[offset + k]) << UInt64(k * 8) }
            offset += 8
            bits = word
            position = SeriesStreams.position(of: t, in: timeline)
        } else {
            let code = varint(data)
            if code & 2 != 0 {
                position += 1
                t = timeline[Int(position)]
            } else {
                t = t &+ zigZagDecode(varint(data))
                position = SeriesStreams.position(of: t, in: timeline)
            }
            if code & 1 == 0 {
                integerDelta = integerDelta &+ zigZagDecode(code >> 2)
                bits = Double(Int64(Double(bitPattern: bits)) &+ integerDelta).bitPattern
            } else {
                let trailing = Int((code >> 2) & 7)
                let meaningful = Int(code >> 5)
                var difference: UInt64 = 0
                for k in 0..<meaningful { difference |= UInt64(data[offset + k]) << UInt64(k * 8) }
                offset += meaningful
                bits ^= difference << UInt64(trailing * 8)
                integerDelta = 0
            }
        }
        read += 1
    }

    @inline(__always)
    private mutating func varint(_ data: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = data[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }
}
