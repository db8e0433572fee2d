/// Numbers distinct 64-bit keys in the order they first appear: the ``TupleIndex`` of tuples small enough
/// to pack into one integer (two symbol numbers), looked up without a buffer or a general hasher.
///
/// ```swift
/// var index = PackedKeyIndex(capacity: 4)
/// index.number(7)  // (0, inserted: true)
/// index.number(9)  // (1, inserted: true)
/// index.number(7)  // (0, inserted: false)
/// ```
struct PackedKeyIndex {
    /// The keys, in the order of their numbers.
    private(set) var keys: [UInt64] = []
    /// Slots of an open-addressing table: a key's number plus one, 0 for empty. The count is a power of two.
    private var slots: [Int32]

    /// How many distinct keys have been seen.
    var count: Int { keys.count }

    /// An index sized for about `capacity` keys.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        keys.reserveCapacity(capacity)
    }

    /// The number of `key`, and whether this call numbered it.
    mutating func number(_ key: UInt64) -> (number: Int, inserted: Bool) {
        var slot = Self.slot(of: key, mask: slots.count &- 1)
        while slots[slot] != 0 {
            let candidate = Int(slots[slot]) &- 1
            if keys[candidate] == key { return (candidate, false) }
            slot = (slot &+ 1) & (slots.count &- 1)
        }
        let number = keys.count
        keys.append(key)
        slots[slot] = Int32(truncatingIfNeeded: number &+ 1)
        if keys.count &* 2 > slots.count { rebuild(size: slots.count &* 2) }
        return (number, true)
    }

    /// A key's first slot: the high bits of a multiplicative hash (Fibonacci hashing), folded so that keys
    /// differing only in their low or high half spread too.
    private static func slot(of key: UInt64, mask: Int) -> Int {
        let mixed = (key ^ (key &>> 29)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed ^ (mixed &>> 32)) & mask
    }

    /// Makes the table `size` slots (a power of two) and places every key again.
    private mutating func rebuild(size: Int) {
        slots = [Int32](repeating: 0, count: size)
        let mask = size &- 1
        for (number, key) in keys.enumerated() {
            var slot = Self.slot(of: key, mask: mask)
            while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = Int32(truncatingIfNeeded: number &+ 1)
        }
    }
}
