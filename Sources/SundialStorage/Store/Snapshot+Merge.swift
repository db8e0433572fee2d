/// Merging the series lists of several blocks (and the head) into one list sorted by labels, each series once
/// with the pieces of every list it is in.
extension Snapshot {
    /// The series of `lists` merged by labels, sorted by labels, each with the pieces of every list it is in
    /// (in list order): the entries (labels built, `builtLabels` rebuilt to hold them) and the pieces regrouped.
    /// Each list holds the series of one block, or of the head (labels built).
    ///
    /// Labels are compared as numbers: every string the series' labels use, from every block's symbol table
    /// and the head's label sets, is ranked once in `String`'s order, and a series' key is its labels' ranks,
    /// pair by pair. Equal keys are equal label sets, and the keys' order is ``LabelSet``'s. Building a label
    /// set for each series of each block and hashing it took 8 ms of a day's selection over twelve 2 h blocks.
    static func merged(_ lists: [[SeriesSelection.Entry]], _ blocks: [BlockReader], _ builtLabels: [LabelSet],
                       _ pieces: [SeriesSelection.Piece]) -> (entries: [SeriesSelection.Entry], builtLabels: [LabelSet],
                                                              pieces: [SeriesSelection.Piece]) {
        let ranks = LabelRanks(lists, blocks, builtLabels)
        // Every entry's key, flat, in list order.
        var keys: [UInt32] = []
        var keyEnds: [Int] = []
        keyEnds.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for list in lists { ranks.appendKeys(of: list, blocks, builtLabels, to: &keys, ends: &keyEnds) }
        func key(_ k: Int) -> ArraySlice<UInt32> { keys[(k == 0 ? 0 : keyEnds[k &- 1])..<keyEnds[k]] }
        // Series by key: open addressing over 64-bit hashes of the keys, each slot checked against the key.
        var seriesOfHash: [UInt64: Int] = [:]
        var firstEntry: [(list: Int, entry: Int, key: Int)] = []
        var seriesPieces: [[Int]] = []
        var position = 0
        for (l, list) in lists.enumerated() {
            for (e, entry) in list.enumerated() {
                let own = key(position)
                var hash = own.reduce(UInt64(own.count)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 &+ 0x9E37_79B9_7F4A_7C15 }
                while true {
                    guard let series = seriesOfHash[hash] else {
                        seriesOfHash[hash] = firstEntry.count
                        firstEntry.append((l, e, position))
                        seriesPieces.append(Array(entry.pieces))
                        break
                    }
                    if key(firstEntry[series].key).elementsEqual(own) {
                        seriesPieces[series].append(contentsOf: entry.pieces)
                        break
                    }
                    hash &+= 1
                }
                position += 1
            }
        }
        var order = Array(firstEntry.indices)
        order.sort { key(firstEntry[$0].key).lexicographicallyPrecedes(key(firstEntry[$1].key)) }
        var regrouped: [SeriesSelection.Piece] = []
        regrouped.reserveCapacity(pieces.count)
        var labels: [LabelSet] = []
        labels.reserveCapacity(order.count)
        var entries: [SeriesSelection.Entry] = []
        entries.reserveCapacity(order.count)
        for series in order {
            let first = regrouped.count
            for p in seriesPieces[series] { regrouped.append(pieces[p]) }
            let (l, e, _) = firstEntry[series]
            labels.append(Self.labels(lists[l][e], blocks, builtLabels))
            entries.append(SeriesSelection.Entry(labels: .built(labels.count - 1), pieces: first..<regrouped.count))
        }
        return (entries, labels, regrouped)
    }
}

/// The strings the labels of some series use, each ranked in `String`'s order, and per block its symbols' ranks.
private struct LabelRanks {
    /// Per block (by order), the rank of each symbol the selected series use (others `UInt32.max`).
    private let symbolRanks: [[UInt32]]
    /// The rank of every string used.
    private let stringRanks: [String: UInt32]

    init(_ lists: [[SeriesSelection.Entry]], _ blocks: [BlockReader], _ builtLabels: [LabelSet]) {
        // The symbols each block's selected series use, and the head's strings.
        var used = [[Bool]](repeating: [], count: blocks.count)
        var strings = Set<String>()
        for list in lists {
            for entry in list {
                switch entry.labels {
                case let .block(order, id):
                    if used[order].isEmpty { used[order] = [Bool](repeating: false, count: blocks[order].index.symbols.count) }
                    // The block's series' labels, read in place.
                    blocks[order].index.seriesLabels[id].withUnsafeBufferPointer { pairs in
                        for symbol in pairs { used[order][Int(symbol)] = true }
                    }
                case let .built(index):
                    for label in builtLabels[index].labels {
                        strings.insert(label.name)
                        strings.insert(label.value)
                    }
                }
            }
        }
        for (order, flags) in used.enumerated() where !flags.isEmpty {
            let symbols = blocks[order].index.symbols
            for (symbol, isUsed) in flags.enumerated() where isUsed { strings.insert(symbols[symbol]) }
        }
        var ranks: [String: UInt32] = [:]
        ranks.reserveCapacity(strings.count)
        for (rank, string) in strings.sorted().enumerated() { ranks[string] = UInt32(rank) }
        symbolRanks = used.enumerated().map { order, flags in
            guard !flags.isEmpty else { return [] }
            let symbols = blocks[order].index.symbols
            return flags.enumerated().map { symbol, isUsed in isUsed ? ranks[symbols[symbol]] ?? .max : .max }
        }
        stringRanks = ranks
    }

    /// Appends the key of each entry of `list`, ending each at `ends`: the ranks of its labels' names and
    /// values, pair by pair in label order.
    func appendKeys(of list: [SeriesSelection.Entry], _ blocks: [BlockReader], _ builtLabels: [LabelSet],
                    to keys: inout [UInt32], ends: inout [Int]) {
        for entry in list {
            switch entry.labels {
            case let .block(order, id):
                // As `SymbolLabels.labelSet` reads them: whole pairs only.
                symbolRanks[order].withUnsafeBufferPointer { ranks in
                    blocks[order].index.seriesLabels[id].withUnsafeBufferPointer { pairs in
                        var i = 0
                        while i + 1 < pairs.count {
                            keys.append(ranks[Int(pairs[i])])
                            keys.append(ranks[Int(pairs[i + 1])])
                            i += 2
                        }
                    }
                }
            case let .built(index):
                for label in builtLabels[index].labels {
                    keys.append(stringRanks[label.name] ?? .max)
                    keys.append(stringRanks[label.value] ?? .max)
                }
            }
            ends.append(keys.count)
        }
    }
}
