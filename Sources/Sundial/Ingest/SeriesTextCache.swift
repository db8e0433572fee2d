/// Maps the raw text of a series as a scrape writes it (`name{a="1",b="2"}`) to its store reference,
/// so the labels of a series seen before are never parsed or hashed as strings again. Keys live in one
/// byte arena; the table is open-addressed with linear probing.
struct SeriesTextCache {
    private var arena: [UInt8] = []
    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0

    private struct Slot {
        var hash: UInt64 = 0
        var offset: UInt32 = 0
        var length: UInt32 = 0
        var value: UInt32 = .max  // .max marks an empty slot
    }

    init(capacity: Int = 1 << 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(), count: size)
        mask = size - 1
    }

    /// The value stored for `key`, if any.
    @inline(__always)
    func value(for key: UnsafeRawBufferPointer) -> UInt32? {
        let hash = Self.hash(key)
        var i = Int(truncatingIfNeeded: hash) & mask
        return arena.withUnsafeBytes { arenaBytes -> UInt32? in
            while true {
                let slot = slots[i]
                if slot.value == .max { return nil }
                if slot.hash == hash && Int(slot.length) == key.count
                    && memcmp(arenaBytes.baseAddress! + Int(slot.offset), key.baseAddress!, key.count) == 0 {
                    return slot.value
                }
                i = (i + 1) & mask
            }
        }
    }

    /// Stores `value` for `key` (which must not be present).
    mutating func insert(_ key: UnsafeRawBufferPointer, value: UInt32) {
        if (count + 1) * 2 > slots.count { grow() }
        let hash = Self.hash(key)
        let offset = UInt32(arena.count)
        arena.append(contentsOf: key)
        place(Slot(hash: hash, offset: offset, length: UInt32(key.count), value: value))
        count += 1
    }

    private mutating func place(_ slot: Slot) {
        var i = Int(truncatingIfNeeded: slot.hash) & mask
        while slots[i].value != .max { i = (i + 1) & mask }
        slots[i] = slot
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.value != .max { place(slot) }
    }

    /// A fast 64-bit hash of bytes, eight at a time (multiply-xorshift mixing).
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }
}

#if canImport(Glibc)
import Glibc
#endif
