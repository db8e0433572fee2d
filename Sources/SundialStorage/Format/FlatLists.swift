/// Lists stored end to end in one array: list `i` is `elements[starts[i] ..< starts[i + 1]]`. A block
/// index keeps its series' chunk lists this way rather than as an array of arrays: one allocation instead
/// of one per series (3,618 in the 24 h corpus), and a list is read in place without counting a reference
/// on an array of its own (``withList(_:_:)``). Those counts made a selection write to every series' list,
/// and a query whose calling thread had moved to the other processor paid for each such write.
struct FlatLists<Element: Sendable>: Sendable, RandomAccessCollection {
    /// Every list's elements, list after list.
    private(set) var elements: [Element] = []
    /// Where each list starts in `elements`, and one past the last list's end.
    private(set) var starts: [Int] = [0]

    /// No lists.
    init() {}

    /// The lists `lists`, in order.
    init(_ lists: [[Element]]) {
        elements.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        starts.reserveCapacity(lists.count + 1)
        for list in lists { append(list) }
    }

    var startIndex: Int { 0 }
    var endIndex: Int { starts.count - 1 }

    /// List `i`.
    subscript(i: Int) -> ArraySlice<Element> { elements[starts[i]..<starts[i + 1]] }

    /// The length of list `i`.
    func count(of i: Int) -> Int { starts[i + 1] - starts[i] }

    /// Adds a list after the last one.
    mutating func append<List: Collection>(_ list: List) where List.Element == Element {
        elements.append(contentsOf: list)
        starts.append(elements.count)
    }

    /// Reserves room for `lists` more lists of `elements` more elements in all.
    mutating func reserveCapacity(lists: Int, elements count: Int) {
        starts.reserveCapacity(starts.count + lists)
        elements.reserveCapacity(elements.count + count)
    }

    /// Calls `body` with every list read in place: `lists(i)` is list `i`, valid inside `body` only.
    func withLists<R>(_ body: (_ lists: (Int) -> UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try elements.withUnsafeBufferPointer { elements in
            try starts.withUnsafeBufferPointer { starts in
                try body { i in UnsafeBufferPointer(rebasing: elements[starts[i]..<starts[i + 1]]) }
            }
        }
    }
}
