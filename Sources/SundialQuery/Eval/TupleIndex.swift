import SundialStorage

/// Numbers the distinct tuples of values that series take for a fixed list of labels, in the order they
/// first appear: the groups of `sum by (operation, le)` and the sums of a folded `histogram_quantile`
/// are such tuples. The values are label values (`String`), or their numbers in one block's
/// ``SundialStorage/SymbolTable`` (`UInt32`), which spare hashing strings.
///
/// Every series of a query passes through here once, so a lookup allocates nothing: the values are read
/// into a reused buffer, hashed in place and compared with the tuples stored flat, one after another, in
/// an open-addressing table of tuple numbers. Strings compare as `String`s do, as label sets do
/// everywhere else in Sundial.
///
/// ```swift
/// var groups = TupleIndex<String>(width: 1)
/// groups.number(of: LabelSet(name: "x", ["operation": "Get"]), names: ["operation"])  // (0, inserted: true)
/// groups.number(of: LabelSet(name: "y", ["operation": "Get"]), names: ["operation"])  // (0, inserted: false)
/// ```
struct TupleIndex<Value: Hashable> {
    /// How many values make a tuple.
    let width: Int
    /// The tuples, `width` values each, in the order of their numbers.
    private var tuples: [Value] = []
    /// Slots of the hash table: a tuple's number plus one, 0 for empty. The count is a power of two.
    private var slots: [Int32]
    /// Per tuple, its hash, so that growing the table hashes nothing again and most mismatches are
    /// rejected without comparing values.
    private var hashes: [Int] = []
    /// The values of the tuple being looked up.
    private var scratch: [Value] = []

    /// How many distinct tuples have been seen.
    var count: Int { hashes.count }

    /// An index for tuples of `width` values, sized for about `capacity` tuples.
    init(width: Int, capacity: Int = 8) {
        self.width = width
        slots = [Int32](repeating: 0, count: 16)
        scratch.reserveCapacity(width)
        reserveCapacity(capacity)
    }

    /// Makes room for `capacity` tuples in all, so that the table is not rebuilt as it fills.
    mutating func reserveCapacity(_ capacity: Int) {
        tuples.reserveCapacity(capacity * width)
        hashes.reserveCapacity(capacity)
        var size = slots.count
        while size < capacity * 2 { size <<= 1 }
        if size > slots.count { rebuild(size: size) }
    }

    /// The number of the tuple `values` (`width` of them), and whether this call numbered it.
    mutating func number(of values: some Sequence<Value>) -> (number: Int, inserted: Bool) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: values)
        return numberOfScratch()
    }

    /// The number of the tuple `fill` writes into the buffer it is given (emptied first; `width` values).
    mutating func number(filling fill: (inout [Value]) -> Void) -> (number: Int, inserted: Bool) {
        scratch.removeAll(keepingCapacity: true)
        fill(&scratch)
        return numberOfScratch()
    }

    /// The value at `position` of tuple `number`.
    func value(_ position: Int, ofTuple number: Int) -> Value {
        tuples[number * width + position]
    }

    private mutating func numberOfScratch() -> (number: Int, inserted: Bool) {
        precondition(scratch.count == width, "a tuple has \(width) values")
        let hash: Int
        if Value.self == UInt32.self {
            // Symbol numbers: a multiply-and-fold per number instead of SipHash (a third of the cost of
            // grouping a block's series).
            hash = scratch.withUnsafeBytes { raw in
                var h: UInt64 = 0x243F_6A88_85A3_08D3
                for k in 0..<(raw.count / 4) {
                    h = (h ^ UInt64(raw.loadUnaligned(fromByteOffset: k * 4, as: UInt32.self))) &* 0x9E37_79B9_7F4A_7C15
                    h ^= h >> 29
                }
                return Int(truncatingIfNeeded: h ^ (h >> 32))
            }
        } else {
            var hasher = Hasher()
            for value in scratch { hasher.combine(value) }
            hash = hasher.finalize()
        }
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 {
            let candidate = Int(slots[slot]) - 1
            if hashes[candidate] == hash && equalsScratch(candidate) { return (candidate, false) }
            slot = (slot + 1) & mask
        }
        let number = hashes.count
        hashes.append(hash)
        tuples.append(contentsOf: scratch)
        slots[slot] = Int32(truncatingIfNeeded: number + 1)
        if hashes.count * 2 > slots.count { rebuild(size: slots.count * 2) }
        return (number, true)
    }

    private func equalsScratch(_ number: Int) -> Bool {
        let base = number * width
        for k in 0..<width where tuples[base + k] != scratch[k] { return false }
        return true
    }

    /// Makes the table `size` slots (a power of two) and places every tuple again by its stored hash.
    private mutating func rebuild(size: Int) {
        slots = [Int32](repeating: 0, count: size)
        let mask = slots.count - 1
        for (number, hash) in hashes.enumerated() {
            var slot = hash & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(truncatingIfNeeded: number + 1)
        }
    }
}

extension TupleIndex where Value == String {
    /// The number of the tuple of the values of labels `names` (`width` of them) in `labels`, an absent
    /// label read as the empty string, as Prometheus groups it; and whether this call numbered it.
    mutating func number(of labels: LabelSet, names: [String]) -> (number: Int, inserted: Bool) {
        number { values in
            for name in names { values.append(labels[name] ?? "") }
        }
    }
}
