/// A set of series ids as a bitset: the working form of postings while matchers are intersected.
struct SeriesBitset {
    private(set) var words: [UInt64]
    let capacity: Int

    /// An empty set (or a full one) over ids `0..<capacity`.
    init(capacity: Int, full: Bool = false) {
        self.capacity = capacity
        words = [UInt64](repeating: full ? ~0 : 0, count: (capacity + 63) / 64)
        if full, capacity % 64 != 0, !words.isEmpty {
            words[words.count - 1] = (1 << UInt64(capacity % 64)) - 1
        }
    }

    mutating func insert(_ id: UInt32) {
        words[Int(id) >> 6] |= 1 << UInt64(id & 63)
    }

    mutating func insert(contentsOf ids: [UInt32]) {
        for id in ids { insert(id) }
    }

    mutating func formIntersection(_ other: SeriesBitset) {
        for i in words.indices { words[i] &= other.words[i] }
    }

    mutating func subtract(_ other: SeriesBitset) {
        for i in words.indices { words[i] &= ~other.words[i] }
    }

    var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// The ids in ascending order.
    var members: [Int] {
        var out: [Int] = []
        for (i, word) in words.enumerated() where word != 0 {
            var w = word
            while w != 0 {
                out.append(i * 64 + w.trailingZeroBitCount)
                w &= w - 1
            }
        }
        return out
    }
}

extension BlockIndex {
    /// The ids of the series every matcher selects, ascending, using the postings.
    func seriesMatching(_ matchers: [LabelMatcher]) -> [Int] {
        var result = SeriesBitset(capacity: seriesCount, full: true)
        for matcher in matchers {
            let values = SymbolTable.number(of: matcher.name, in: symbols).flatMap { postings[$0] } ?? [:]
            var selected = SeriesBitset(capacity: seriesCount)
            if matcher.operation == .equal && !matcher.value.isEmpty {
                if let value = SymbolTable.number(of: matcher.value, in: symbols), let ids = values[value] { selected.insert(contentsOf: ids) }
                result.formIntersection(selected)
            } else if matcher.matchesEmpty {
                // Everything except the series whose value for this label does not match.
                var rejected = SeriesBitset(capacity: seriesCount)
                for (value, ids) in values where !matcher.matches(symbols[Int(value)]) { rejected.insert(contentsOf: ids) }
                result.subtract(rejected)
            } else {
                for (value, ids) in values where matcher.matches(symbols[Int(value)]) { selected.insert(contentsOf: ids) }
                result.formIntersection(selected)
            }
            if result.isEmpty { return [] }
        }
        return result.members
    }
}
