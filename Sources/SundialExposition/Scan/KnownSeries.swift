#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the label `le` or `quantile` of a series holds, as the family rules see it.
///
/// A pure function of the series text, so the known-series cache keeps it.
enum NumericLabel: Equatable {
    /// No label of that name.
    case absent
    /// Label `index` holds something that is not a number (the rules report it).
    case notANumber(index: Int)
    /// Label `index` holds a number; `isInfinity` when it is `+Inf`.
    case number(index: Int, isInfinity: Bool)
}

/// The facts of one validated series text that the sample parser would otherwise derive again.
///
/// Every field is a pure function of the series text's bytes (and the parser's format, which never changes):
/// offsets count from the first byte of the metric name.
struct SeriesShape {
    /// The length of the series text, through the closing `}`.
    var length: Int
    /// The offset just past the metric name.
    var nameEnd: Int
    /// The number of labels.
    var labelCount: Int
    /// Whether a label value holds non-ASCII bytes.
    var sawNonASCII: Bool
    /// The `le` label, for histogram buckets.
    var le: NumericLabel
    /// The `quantile` label, for summaries.
    var quantile: NumericLabel
    /// The family suffix the metric name ends with (`_bucket` in `x_bucket`), if any.
    var suffix: SampleRole?
}

/// The known-series cache: series texts (metric name through the closing `}` of the label set) that the parser
/// has validated, each with its ``SeriesShape`` and label spans, found by exact bytes.
///
/// ## Layout
/// - A byte arena of records, each starting at a multiple of 8:
///   `hash: UInt64 | length, nameEnd, labelCount: UInt16 | non-ASCII: UInt8 | suffix: UInt8 | le kind: UInt8 | pad |
///   le index: UInt16 | quantile kind: UInt8 | pad | quantile index: UInt16 | ordinal: UInt32 | pad |` (32 bytes;
///   the ordinal counts records since the last clear, so tokens index a dense array; kind 0 absent, 1 not a
///   number, 2 a number, 3 `+Inf`; suffix 0 none, else the ``SampleRole`` raw value + 1), then one `UInt64` per
///   label (name start,
///   name end, value start, value end as `UInt16`s counting from the metric name, the escape flag in the top bit
///   of the value end), then the series text, padded to 8.
/// - An open-addressing table of `UInt64` slots (linear probing, a power of two, at most half full): the high
///   32 bits of the hash, and the record's offset / 8 + 1 (0 is an empty slot). A hit compares the slot's hash
///   bits, the record's full hash and length, then the bytes (`memcmp`).
/// - The hash reads 8 bytes at a time in two lanes (multiply-rotate, as FxHash), finished with MurmurHash3's
///   `fmix64`. It is not keyed: a probe sequence longer than ``maxProbes`` counts as a miss (and the text is
///   not stored), so crafted collisions cost at most that many compares per line, never a wrong result.
///
/// ## Bounds
/// At most ``maxArenaBytes`` of records and ``maxEntries`` entries; an insert that would pass either first
/// clears the whole cache (keeping its memory) and starts over, so a changing set of series keeps being served.
/// Series texts longer than ``maxLength`` bytes are not stored. With the default bounds (512 Ki entries, 32 MiB of
/// records) that is at most 40 MiB: the records and an 8 MiB table (and, for a moment while the arena doubles to
/// its last size, the old 16 MiB as well). Memory is taken as entries come: a parser that stores nothing holds a
/// 128-byte table.
///
/// The cache is a class whose mutable state sits behind a pointer, so the hot path pays no exclusivity checks.
/// Copies of a parser share it; since it holds only pure functions of bytes, that never changes a result.
final class KnownSeries {
    /// The longest series text stored (offsets must fit 15 bits).
    static let maxLength = (1 << 15) - 1
    /// The longest probe sequence looked at.
    static let maxProbes = 32

    /// The mutable state.
    struct State {
        var slots: UnsafeMutablePointer<UInt64>
        var slotMask: Int
        var arena: UnsafeMutableRawPointer
        var arenaCapacity: Int
        var arenaUsed = 0
        var count = 0
        /// The offset of the record after the last one found or stored: scrapes list their series in the same
        /// order every time, so it is the likely next one. Always a record boundary, or `arenaUsed` (none).
        var next = 0
        /// Lookups that found their text (for tests and measurements).
        var hits = 0
        /// How many times the cache was cleared because it was full.
        var clears = 0
    }

    /// The record header's size in bytes.
    private static let headerSize = 32

    let maxEntries: Int
    let maxArenaBytes: Int
    private let state: UnsafeMutablePointer<State>

    /// Creates an empty cache.
    /// - Parameters:
    ///   - maxEntries: The most series texts held at once (at least 1).
    ///   - maxArenaBytes: The most bytes of records held at once (at most 16 GiB, as slots count 8-byte units).
    init(maxEntries: Int = 1 << 19, maxArenaBytes: Int = 32 << 20) {
        self.maxEntries = min(max(maxEntries, 1), 1 << 30)
        self.maxArenaBytes = min(max(maxArenaBytes, 64), 1 << 34)
        // Small until used: a parser that reads one document stores nothing.
        let slotCount = 16
        let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        let arena = UnsafeMutableRawPointer.allocate(byteCount: 0, alignment: 8)
        state = .allocate(capacity: 1)
        state.initialize(to: State(slots: slots, slotMask: slotCount - 1, arena: arena, arenaCapacity: 0))
    }

    deinit {
        state.pointee.slots.deallocate()
        state.pointee.arena.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// The number of series texts held.
    var count: Int { state.pointee.count }
    /// Lookups that found their text.
    var hits: Int { state.pointee.hits }
    /// Times the cache was cleared because it was full.
    var clears: Int { state.pointee.clears }

    /// The hash of `p[0..<count]`.
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let k: UInt64 = 0x517C_C1B7_2722_0A95
        let raw = UnsafeRawPointer(p)
        @inline(__always) func word(_ at: Int) -> UInt64 {
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
        }
        @inline(__always) func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
            ((h << 5 | h >> 59) ^ w) &* k
        }
        var a = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        var b: UInt64 = 0x2545_F491_4F6C_DD1D
        if count >= 16 {
            var i = 0
            while count - i > 16 {
                a = mix(a, word(i))
                b = mix(b, word(i + 8))
                i += 16
            }
            a = mix(a, word(count - 16))
            b = mix(b, word(count - 8))
        } else if count >= 8 {
            a = mix(a, word(0))
            b = mix(b, word(count - 8))
        } else {
            var w: UInt64 = 0
            for j in 0..<count { w |= UInt64(p[j]) << UInt64(8 * j) }
            a = mix(a, w)
        }
        var h = a ^ (b << 31 | b >> 33)
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// The record after the last one found or stored, if its series text is the prefix of `p[0..<available]`;
    /// counts a hit.
    ///
    /// No hash and no table: the text is compared byte for byte. A text that is a prefix of the line is the
    /// line's series text, since no stored text is a prefix of another (a label set ends at its first
    /// unquoted `}`).
    @inline(__always)
    func findNext(_ p: UnsafePointer<UInt8>, available: Int) -> UnsafeRawPointer? {
        let s = state
        let offset = s.pointee.next
        guard offset < s.pointee.arenaUsed else { return nil }
        let record = UnsafeRawPointer(s.pointee.arena + offset)
        let length = Int(record.load(fromByteOffset: 8, as: UInt16.self))
        let labelCount = Self.labelCount(record)
        guard length <= available,
              memcmp(record + Self.textOffset(labelCount: labelCount), p, length) == 0 else { return nil }
        s.pointee.next = offset &+ Self.recordSize(labelCount: labelCount, length: length)
        s.pointee.hits &+= 1
        return record
    }

    /// A number naming a record for as long as the cache is not cleared: the clear count in the high 32 bits,
    /// the record's ordinal (0, 1, 2, … since the last clear) in the low ones, so that an array indexed by it
    /// holds one element per series.
    @inline(__always)
    func token(of record: UnsafeRawPointer) -> UInt64 {
        UInt64(truncatingIfNeeded: state.pointee.clears) << 32
            | UInt64(record.loadUnaligned(fromByteOffset: 24, as: UInt32.self))
    }

    /// The record of the series text `p[0..<count]` with hash `hash`, or `nil`; counts a hit.
    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, count: Int, hash: UInt64) -> UnsafeRawPointer? {
        guard let record = locate(p, count: count, hash: hash) else { return nil }
        let s = state
        s.pointee.next = (record - UnsafeRawPointer(s.pointee.arena))
            &+ Self.recordSize(labelCount: Self.labelCount(record), length: count)
        s.pointee.hits &+= 1
        return record
    }

    /// The record of the series text `p[0..<count]` with hash `hash`, or `nil`.
    @inline(__always)
    private func locate(_ p: UnsafePointer<UInt8>, count: Int, hash: UInt64) -> UnsafeRawPointer? {
        let s = state
        let mask = s.pointee.slotMask
        let slots = s.pointee.slots
        let arena = UnsafeRawPointer(s.pointee.arena)
        let tag = hash >> 32
        var index = Int(truncatingIfNeeded: hash) & mask
        for _ in 0..<Self.maxProbes {
            let slot = slots[index]
            if slot == 0 { return nil }
            if slot >> 32 == tag {
                let record = arena + Int(truncatingIfNeeded: (slot & 0xFFFF_FFFF) &- 1) &* 8
                if record.load(as: UInt64.self) == hash
                    && Int(record.load(fromByteOffset: 8, as: UInt16.self)) == count
                    && memcmp(record + Self.textOffset(labelCount: Self.labelCount(record)), p, count) == 0 {
                    return record
                }
            }
            index = (index &+ 1) & mask
        }
        return nil
    }

    /// The shape stored in `record`.
    @inline(__always)
    static func shape(_ record: UnsafeRawPointer) -> SeriesShape {
        @inline(__always) func numeric(_ at: Int) -> NumericLabel {
            let index = Int(record.load(fromByteOffset: at + 2, as: UInt16.self))
            switch record.load(fromByteOffset: at, as: UInt8.self) {
            case 1: return .notANumber(index: index)
            case 2: return .number(index: index, isInfinity: false)
            case 3: return .number(index: index, isInfinity: true)
            default: return .absent
            }
        }
        return SeriesShape(
            length: Int(record.load(fromByteOffset: 8, as: UInt16.self)),
            nameEnd: Int(record.load(fromByteOffset: 10, as: UInt16.self)),
            labelCount: labelCount(record),
            sawNonASCII: record.load(fromByteOffset: 14, as: UInt8.self) != 0,
            le: numeric(16), quantile: numeric(20),
            suffix: SampleRole(rawValue: record.load(fromByteOffset: 15, as: UInt8.self) &- 1))
    }

    /// Writes the label spans of `record`, moved to start at `base`, to `spans`.
    @inline(__always)
    static func copySpans(_ record: UnsafeRawPointer, base: Int, to spans: UnsafeMutablePointer<LabelSpan>) {
        let count = labelCount(record)
        let packed = record + headerSize
        for k in 0..<count {
            let w = packed.load(fromByteOffset: k &* 8, as: UInt64.self)
            let valueEnd = Int(truncatingIfNeeded: w >> 48)
            spans[k] = LabelSpan(
                nameStart: base &+ Int(truncatingIfNeeded: w & 0xFFFF),
                nameEnd: base &+ Int(truncatingIfNeeded: (w >> 16) & 0xFFFF),
                valueStart: base &+ Int(truncatingIfNeeded: (w >> 32) & 0xFFFF),
                valueEnd: base &+ (valueEnd & 0x7FFF),
                escaped: valueEnd & 0x8000 != 0)
        }
    }

    /// Stores the series text `p[0..<shape.length]` with hash `hash`, its shape and its spans (`spans[0..<labelCount]`,
    /// counting from `p`, so offsets from the start of the line minus `base`).
    ///
    /// Does nothing when the text is too long or already stored, or when no free slot is within reach; clears
    /// the cache first when it is full.
    func insert(
        _ p: UnsafePointer<UInt8>, hash: UInt64, shape: SeriesShape, spans: UnsafePointer<LabelSpan>, base: Int
    ) {
        let length = shape.length
        guard length <= Self.maxLength, shape.labelCount > 0 else { return }
        let recordSize = Self.recordSize(labelCount: shape.labelCount, length: length)
        guard recordSize <= maxArenaBytes else { return }
        let s = state
        if s.pointee.count + 1 > maxEntries || s.pointee.arenaUsed + recordSize > maxArenaBytes { clear() }
        if s.pointee.count + 1 > (s.pointee.slotMask + 1) / 2 { growSlots() }
        if s.pointee.arenaUsed + recordSize > s.pointee.arenaCapacity {
            guard growArena(toFit: s.pointee.arenaUsed + recordSize) else { return }
        }
        // Find a free slot (or the text, already there).
        let mask = s.pointee.slotMask
        let tag = hash >> 32
        var index = Int(truncatingIfNeeded: hash) & mask
        var probes = 0
        while s.pointee.slots[index] != 0 {
            if s.pointee.slots[index] >> 32 == tag, locate(p, count: length, hash: hash) != nil { return }
            probes += 1
            if probes == Self.maxProbes { return }
            index = (index &+ 1) & mask
        }
        let offset = s.pointee.arenaUsed
        let record = s.pointee.arena + offset
        record.storeBytes(of: hash, as: UInt64.self)
        record.storeBytes(of: UInt16(length), toByteOffset: 8, as: UInt16.self)
        record.storeBytes(of: UInt16(shape.nameEnd), toByteOffset: 10, as: UInt16.self)
        record.storeBytes(of: UInt16(shape.labelCount), toByteOffset: 12, as: UInt16.self)
        record.storeBytes(of: shape.sawNonASCII ? 1 : 0, toByteOffset: 14, as: UInt8.self)
        record.storeBytes(of: shape.suffix.map { $0.rawValue + 1 } ?? 0, toByteOffset: 15, as: UInt8.self)
        func store(_ label: NumericLabel, at: Int) {
            var kind: UInt8 = 0
            var index = 0
            switch label {
            case .absent: break
            case .notANumber(let k): kind = 1; index = k
            case .number(let k, let isInfinity): kind = isInfinity ? 3 : 2; index = k
            }
            record.storeBytes(of: kind, toByteOffset: at, as: UInt8.self)
            record.storeBytes(of: 0, toByteOffset: at + 1, as: UInt8.self)
            record.storeBytes(of: UInt16(index), toByteOffset: at + 2, as: UInt16.self)
        }
        store(shape.le, at: 16)
        store(shape.quantile, at: 20)
        record.storeBytes(of: UInt32(truncatingIfNeeded: s.pointee.count), toByteOffset: 24, as: UInt32.self)
        record.storeBytes(of: 0, toByteOffset: 28, as: UInt32.self)
        for k in 0..<shape.labelCount {
            let span = spans[k]
            var w = UInt64(span.nameStart - base) | UInt64(span.nameEnd - base) << 16
            w |= UInt64(span.valueStart - base) << 32 | UInt64(span.valueEnd - base) << 48
            if span.escaped { w |= 1 << 63 }
            record.storeBytes(of: w, toByteOffset: Self.headerSize + k * 8, as: UInt64.self)
        }
        let text = Self.textOffset(labelCount: shape.labelCount)
        (record + text).copyMemory(from: p, byteCount: length)
        // Zero the padding, so the arena holds no uninitialised bytes.
        for k in (text + length)..<recordSize { record.storeBytes(of: 0, toByteOffset: k, as: UInt8.self) }
        s.pointee.arenaUsed = offset + recordSize
        s.pointee.next = s.pointee.arenaUsed
        s.pointee.count += 1
        s.pointee.slots[index] = tag << 32 | UInt64(offset / 8 + 1)
    }

    /// Drops every entry, keeping the memory.
    func clear() {
        let s = state
        s.pointee.slots.update(repeating: 0, count: s.pointee.slotMask + 1)
        s.pointee.arenaUsed = 0
        s.pointee.next = 0
        s.pointee.count = 0
        s.pointee.clears += 1
    }

    /// The number of labels of `record`.
    @inline(__always)
    private static func labelCount(_ record: UnsafeRawPointer) -> Int {
        Int(record.load(fromByteOffset: 12, as: UInt16.self))
    }

    /// The size of a record, a multiple of 8.
    @inline(__always)
    private static func recordSize(labelCount: Int, length: Int) -> Int {
        (textOffset(labelCount: labelCount) &+ length &+ 7) & ~7
    }

    /// Where the series text starts in a record with `labelCount` labels.
    @inline(__always)
    private static func textOffset(labelCount: Int) -> Int { headerSize + labelCount &* 8 }

    /// Doubles the table and puts every entry back.
    private func growSlots() {
        let s = state
        let oldCount = s.pointee.slotMask + 1
        let newCount = oldCount * 2
        let old = s.pointee.slots
        let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: newCount)
        slots.initialize(repeating: 0, count: newCount)
        let mask = newCount - 1
        for k in 0..<oldCount where old[k] != 0 {
            let record = UnsafeRawPointer(s.pointee.arena + Int((old[k] & 0xFFFF_FFFF) - 1) * 8)
            var index = Int(truncatingIfNeeded: record.load(as: UInt64.self)) & mask
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = old[k]
        }
        old.deallocate()
        s.pointee.slots = slots
        s.pointee.slotMask = mask
    }

    /// Grows the arena to hold at least `needed` bytes (up to ``maxArenaBytes``); `false` if it cannot.
    private func growArena(toFit needed: Int) -> Bool {
        let s = state
        guard needed <= maxArenaBytes else { return false }
        var capacity = max(s.pointee.arenaCapacity, 64 << 10)
        while capacity < needed { capacity *= 2 }
        capacity = min(capacity, maxArenaBytes)
        let arena = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        arena.copyMemory(from: s.pointee.arena, byteCount: s.pointee.arenaUsed)
        s.pointee.arena.deallocate()
        s.pointee.arena = arena
        s.pointee.arenaCapacity = capacity
        return true
    }
}
