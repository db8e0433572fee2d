/// The label names and values of one block, which its series' labels refer to by number
/// (docs/FORMAT.md, "Index": the symbols, sorted). Series of one block can be grouped and ordered by
/// these numbers instead of by their strings.
///
/// ```swift
/// if let symbols = series.symbolLabels, symbols.table.isStrictlyOrdered,
///    let operation = symbols.table.number(of: "operation") {
///     let value = symbols.value(ofName: operation)  // equal numbers are equal strings
/// }
/// ```
public final class SymbolTable: Sendable {
    /// Every distinct label name and value of the block, in the order the index lists them.
    public let symbols: [String]
    /// Whether `symbols` is strictly increasing, found on first use: a block's writer sorts them, but
    /// nothing else relies on it, so a reader checks before numbers are taken for strings.
    private let ordered = Locked<Bool?>(nil)

    init(_ symbols: [String]) {
        self.symbols = symbols
    }

    /// True when the symbols are strictly increasing: then a string has one number, and numbers order
    /// as their strings do. Checked once per table.
    public var isStrictlyOrdered: Bool {
        if let known = ordered.withLock({ $0 }) { return known }
        let result = zip(symbols, symbols.dropFirst()).allSatisfy { $0 < $1 }
        ordered.withLock { $0 = result }
        return result
    }

    /// The number of `string`, or nil when the block holds no such name or value. Meaningful only when
    /// ``isStrictlyOrdered`` (a binary search).
    public func number(of string: String) -> UInt32? {
        Self.number(of: string, in: symbols)
    }

    /// The position of `string` in the sorted `symbols` (a binary search), nil when absent.
    static func number(of string: String, in symbols: [String]) -> UInt32? {
        let low = symbols.partitionPoint { $0 >= string }
        return low < symbols.count && symbols[low] == string ? UInt32(low) : nil
    }
}

/// A series' labels as numbers in a block's ``SymbolTable``: what the block's index stores, read
/// without building a ``LabelSet``.
public struct SymbolLabels: Sendable {
    /// The table the numbers refer to.
    public let table: SymbolTable
    /// (name, value) numbers, flattened, in the order of the labels.
    public let pairs: [UInt32]

    /// The number of the value of the label whose name has number `name`, or nil when the series has none.
    @inlinable
    public func value(ofName name: UInt32) -> UInt32? {
        var i = 0
        while i + 1 < pairs.count {
            if pairs[i] == name { return pairs[i + 1] }
            i += 2
        }
        return nil
    }

    /// The labels as strings.
    public var labelSet: LabelSet { Self.labelSet(pairs, table.symbols) }

    /// The label set that `pairs` of numbers in `symbols` stand for.
    static func labelSet(_ pairs: [UInt32], _ symbols: [String]) -> LabelSet {
        var labels: [Label] = []
        labels.reserveCapacity(pairs.count / 2)
        var i = 0
        while i + 1 < pairs.count {
            labels.append(Label(symbols[Int(pairs[i])], symbols[Int(pairs[i + 1])]))
            i += 2
        }
        return LabelSet(presorted: labels)
    }

    /// ``LabelSet``'s order, on numbers: for two series of one strictly ordered table, the same answer as
    /// comparing their label sets.
    func precedes(_ other: SymbolLabels) -> Bool {
        Self.precedes(pairs, other.pairs)
    }

    /// ``precedes(_:)`` on two series' pairs of numbers.
    static func precedes(_ pairs: [UInt32], _ other: [UInt32]) -> Bool {
        for (l, r) in zip(pairs, other) where l != r { return l < r }
        return pairs.count < other.count
    }
}
