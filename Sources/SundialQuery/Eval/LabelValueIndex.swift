import SundialStorage

/// Numbers the distinct tuples of label values that series take for a fixed list of label names, in the
/// order they first appear: the groups of `sum by (operation, le)` and the sums of a folded
/// `histogram_quantile` are such tuples.
///
/// Every series of a query passes through here once, so a lookup allocates nothing: the values are read
/// into a reused buffer, hashed in place and compared with the tuples stored flat, one after another, in
/// an open-addressing table of group numbers. An absent label reads as the empty string, as Prometheus
/// groups it. Values compare as `String`s do, as label sets do everywhere else in Sundial (a byte-wise
/// hash and comparison, Prometheus's own rule, was tried: reaching a `String`'s bytes cost more than
/// `Hasher` and `==`, which compare shared storage at once).
///
/// ```swift
/// var groups = LabelValueIndex(names: ["operation"])
/// groups.number(of: LabelSet(name: "x", ["operation": "Get"]))  // (0, inserted: true)
/// groups.number(of: LabelSet(name: "y", ["operation": "Get"]))  // (0, inserted: false)
/// ```
struct LabelValueIndex {
    /// The label names whose values make a tuple.
    let names: [String]
    /// The tuples, `names.count` values each, in the order of their numbers.
    private(set) var tuples: [String] = []
    /// Slots of the hash table: a tuple's number plus one, 0 for empty. The count is a power of two.
    private var slots: [Int32]
    /// Per tuple, its hash, so that growing the table hashes nothing again and most mismatches are
    /// rejected without comparing strings.
    private var hashes: [Int] = []
    /// The values of the series being looked up.
    private var scratch: [String] = []

    /// How many distinct tuples have been seen.
    var count: Int { hashes.count }

    /// An index for tuples of the values of `names`, sized for about `capacity` tuples.
    init(names: [String], capacity: Int = 8) {
        self.names = names
        slots = [Int32](repeating: 0, count: 16)
        scratch.reserveCapacity(names.count)
        reserveCapacity(capacity)
    }

    /// Makes room for `capacity` tuples in all, so that the table is not rebuilt as it fills.
    mutating func reserveCapacity(_ capacity: Int) {
        tuples.reserveCapacity(capacity * names.count)
        hashes.reserveCapacity(capacity)
        var size = slots.count
        while size < capacity * 2 { size <<= 1 }
        if size > slots.count { rebuild(size: size) }
    }

    /// The number of the tuple `labels` takes, and whether this call numbered it.
    mutating func number(of labels: LabelSet) -> (number: Int, inserted: Bool) {
        scratch.removeAll(keepingCapacity: true)
        for name in names { scratch.append(labels[name] ?? "") }
        return numberOfScratch()
    }

    /// The number of the tuple `values` (one per name, in the order of ``names``), and whether this call
    /// numbered it.
    mutating func number(of values: some Sequence<String>) -> (number: Int, inserted: Bool) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: values)
        precondition(scratch.count == names.count, "a tuple has one value per name")
        return numberOfScratch()
    }

    /// The value of name `position` in tuple `number`.
    func value(_ position: Int, ofTuple number: Int) -> String {
        tuples[number * names.count + position]
    }

    private mutating func numberOfScratch() -> (number: Int, inserted: Bool) {
        var hasher = Hasher()
        for value in scratch { hasher.combine(value) }
        let hash = hasher.finalize()
        let width = names.count
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 {
            let candidate = Int(slots[slot]) - 1
            if hashes[candidate] == hash && equalsScratch(candidate, width) { return (candidate, false) }
            slot = (slot + 1) & mask
        }
        let number = hashes.count
        hashes.append(hash)
        tuples.append(contentsOf: scratch)
        slots[slot] = Int32(truncatingIfNeeded: number + 1)
        if hashes.count * 2 > slots.count { rebuild(size: slots.count * 2) }
        return (number, true)
    }

    private func equalsScratch(_ number: Int, _ width: Int) -> Bool {
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
