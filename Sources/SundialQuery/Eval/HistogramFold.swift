import SundialStorage

/// The sums of a folded `histogram_quantile(φ, sum by (…, le) (…))` (``Evaluator/foldedHistogramQuantile(_:_:_:context:)``):
/// the grouping of the selected series into sums and of the sums into quantile groups, and a row of
/// values and presence flags per sum while its group is being computed.
///
/// Series `i` belongs to sum `groupOfSeries[i]`; each worker claims the next quantile group not yet taken
/// (``WorkClaims``), one after another (``evaluate(_:_:worker:scratch:results:q:)``): it adds the group's
/// series into its sums' rows in selection order, computes the group's quantiles, and hands the rows
/// to the next group. A sum without a usable `le` is its own unit, owned by worker `g % n`. Every sum is
/// written by one thread only, and a worker's rows stay a few hundred kilobytes, in its core's cache,
/// instead of every sum of the query at once (870 × 1,441 steps, 10 MB of fresh pages in a cold process).
final class HistogramFold: @unchecked Sendable {
    let steps: Int
    let threads: Int
    /// Per selected series, its sum.
    let groupOfSeries: [Int]
    /// How many sums there are.
    private let sumCount: Int
    /// Per sum, its quantile group's key index, or nil when its `le` is missing or not a number.
    private let quantileKeyOfSum: [Int?]
    /// Per sum, its `le` as a number.
    private let bounds: [Double?]
    /// Per quantile key, the output labels (the `by` labels but `le`, without the metric name).
    private let quantileLabels: [LabelSet]
    /// How many quantile groups (keys) there are.
    var quantileGroupCount: Int { quantileLabels.count }
    /// True when some sum's `le` reads as NaN: buckets then have no consistent order, and a group sorted on its
    /// own need not come out as the ordinary path sorts all groups at once, so the caller does not fold.
    var hasNaNBound: Bool { bounds.contains { $0?.isNaN == true } }
    /// Per sum, its row, taken from the owning worker's arena on the sum's first value.
    private let values: UnsafeMutableBufferPointer<UnsafeMutablePointer<Double>?>
    private let present: UnsafeMutableBufferPointer<UnsafeMutablePointer<Bool>?>
    /// Per sum, the selection index of its first series with a value (`Int.max` while none): the order in
    /// which the sum's output series would be made.
    private let firstResult: UnsafeMutableBufferPointer<Int>
    /// Per sum, the steps it has a value at.
    private let points: UnsafeMutableBufferPointer<Int>
    /// Per quantile key, its sums, and the selection indices of its series in selection order.
    private let sumsOfKey: KeyedLists
    private let seriesOfKey: KeyedLists
    /// The sums without a quantile key, each with the selection indices of its series.
    private let keylessSums: [(sum: Int, series: [Int])]
    /// Per worker, where its sums' rows come from.
    private let arenas: [RowArena]
    /// Hands the quantile groups out to the workers, one at a time, in order.
    private let groupClaims: WorkClaims

    /// Groups the selected series by the values of the `by` labels `names` (which hold `le`) into sums,
    /// and the sums by those values but `le` into quantile groups: the partitions `sum by` and
    /// `histogram_quantile` make, from label values alone. `labels(i)` are the labels the result of
    /// series `i` carries. Series numbered in one symbol table (the selection's
    /// ``QuerySelection/sharedSymbolTable``: equal numbers are equal strings there) are grouped by the
    /// numbers of their values, without building their label sets.
    init(_ selection: any QuerySelection, labels: (Int) -> LabelSet, by names: [String], steps: Int, threads: Int) {
        let count = selection.count
        self.steps = steps
        self.threads = threads
        arenas = (0..<threads).map { _ in RowArena(steps: steps) }
        let partition: Partition
        if let table = selection.sharedSymbolTable, !names.contains(metricNameLabel) {
            let nameNumbers = names.map { table.number(of: $0) }
            let absent = UInt32.max
            let text = { (value: UInt32) in value == absent ? "" : table.symbols[Int(value)] }
            if names.count <= 2 {
                partition = Partition(count: count, names: names, symbol: { i, position in
                    nameNumbers[position].flatMap { selection.symbolValue(i, ofName: $0) } ?? absent
                }, text: text)
            } else {
                partition = Partition(count: count, names: names, values: { i, values in
                    for name in nameNumbers { values.append(name.flatMap { selection.symbolValue(i, ofName: $0) } ?? absent) }
                }, text: text)
            }
        } else {
            partition = Partition(count: count, names: names) { i, values in
                let set = labels(i)
                for name in names { values.append(set[name] ?? "") }
            } text: { $0 }
        }
        groupOfSeries = partition.groupOfSeries
        sumCount = partition.sumCount
        bounds = partition.bounds
        quantileKeyOfSum = partition.quantileKeyOfSum
        quantileLabels = partition.keyLabels
        groupClaims = WorkClaims(quantileLabels.count)
        let keyOfSum = partition.quantileKeyOfSum
        let groupOfSeries = partition.groupOfSeries
        sumsOfKey = KeyedLists(keys: quantileLabels.count, items: partition.sumCount) { keyOfSum[$0] }
        seriesOfKey = KeyedLists(keys: quantileLabels.count, items: count) { keyOfSum[groupOfSeries[$0]] }
        var seriesOfKeyless: [Int: [Int]] = [:]
        for (i, g) in groupOfSeries.enumerated() where keyOfSum[g] == nil { seriesOfKeyless[g, default: []].append(i) }
        keylessSums = seriesOfKeyless.keys.sorted().map { (sum: $0, series: seriesOfKeyless[$0] ?? []) }
        let sums = sumCount
        values = .allocate(capacity: Swift.max(sums, 1))
        values.initialize(repeating: nil)
        present = .allocate(capacity: Swift.max(sums, 1))
        present.initialize(repeating: nil)
        firstResult = .allocate(capacity: Swift.max(sums, 1))
        firstResult.initialize(repeating: .max)
        points = .allocate(capacity: Swift.max(sums, 1))
        points.initialize(repeating: 0)
    }

    /// The sums and quantile groups of a selection, from each series' tuple of `by` values.
    private struct Partition {
        var groupOfSeries: [Int] = []
        var sumCount = 0
        /// Per sum, its `le` as a number.
        var bounds: [Double?] = []
        /// Per sum, its quantile key, nil when its `le` is missing or not a number.
        var quantileKeyOfSum: [Int?] = []
        /// Per quantile key, its output labels: its values of the `by` labels but `le` (an empty one absent).
        var keyLabels: [LabelSet] = []

        /// `values(i, &buffer)` appends the values of `names` for series `i` of `count`; `text` reads one as a string.
        init<Value: Hashable>(count: Int, names: [String], values: (Int, inout [Value]) -> Void, text: (Value) -> String) {
            let lePosition = names.firstIndex(of: "le")
            let keptPositions = names.indices.filter { names[$0] != "le" && names[$0] != metricNameLabel }
            var sums = TupleIndex<Value>(width: names.count, capacity: count)
            var quantileKeys = TupleIndex<Value>(width: keptPositions.count)
            // A histogram has a few dozen distinct bounds: each is parsed once.
            var boundOfLe: [Value: Double?] = [:]
            groupOfSeries.reserveCapacity(count)
            for i in 0..<count {
                let (g, isNewSum) = sums.number { values(i, &$0) }
                groupOfSeries.append(g)
                guard isNewSum else { continue }
                var bound: Double?
                if let lePosition {
                    let le = sums.value(lePosition, ofTuple: g)
                    if let known = boundOfLe[le] {
                        bound = known
                    } else {
                        bound = Self.bound(text(le))
                        boundOfLe[le] = .some(bound)
                    }
                }
                addSum(bound: bound) {
                    quantileKeys.number { key in
                        for position in keptPositions { key.append(sums.value(position, ofTuple: g)) }
                    }
                } labels: {
                    LabelSet(keptPositions.map { Label(names[$0], text(sums.value($0, ofTuple: g))) })
                }
            }
            sumCount = sums.count
        }

        /// The partition of series whose values of `names` (at most two) are symbol numbers, `symbol(i, position)`
        /// that of name `position` for series `i` (`UInt32.max` for an absent label; `text` reads one). Each
        /// series' tuple is packed into one integer and numbered by ``PackedKeyIndex``: the general index's
        /// buffers and hashing took 0.7 M instructions of an instant latency query (868 series, 868 sums).
        init(count: Int, names: [String], symbol: (Int, Int) -> UInt32, text: (UInt32) -> String) {
            precondition(names.count <= 2, "a packed key holds two symbol numbers")
            let lePosition = names.firstIndex(of: "le")
            let keptPositions = names.indices.filter { names[$0] != "le" && names[$0] != metricNameLabel }
            var sums = PackedKeyIndex(capacity: count)
            var quantileKeys = PackedKeyIndex(capacity: 64)
            var les = PackedKeyIndex(capacity: 32)
            var boundOfLe: [Double?] = []
            groupOfSeries.reserveCapacity(count)
            bounds.reserveCapacity(count)
            quantileKeyOfSum.reserveCapacity(count)
            for i in 0..<count {
                var packed: UInt64 = 0
                for position in names.indices { packed |= UInt64(symbol(i, position)) << UInt64(32 * position) }
                // A constant from here on: a variable that the closures below read was checked for exclusive
                // access at run time (66 k instructions an instant latency query).
                let key = packed
                let (g, isNewSum) = sums.number(key)
                groupOfSeries.append(g)
                guard isNewSum else { continue }
                let value = { (position: Int) in UInt32(truncatingIfNeeded: key >> UInt64(32 * position)) }
                var bound: Double?
                if let lePosition {
                    let (n, isNewLe) = les.number(UInt64(value(lePosition)))
                    if isNewLe { boundOfLe.append(Self.bound(text(value(lePosition)))) }
                    bound = boundOfLe[n]
                }
                addSum(bound: bound) {
                    var kept: UInt64 = 0
                    for (j, position) in keptPositions.enumerated() { kept |= UInt64(value(position)) << UInt64(32 * j) }
                    return quantileKeys.number(kept)
                } labels: {
                    LabelSet(keptPositions.map { Label(names[$0], text(value($0))) })
                }
            }
            sumCount = sums.count
        }

        /// An `le` value as a bound: an empty value is an absent label, as in the sum's labels.
        private static func bound(_ le: String) -> Double? {
            le.isEmpty ? nil : GoFloat.parse(le)
        }

        /// Records a new sum with `bound`: without one it has no quantile group; with one, `quantileKey()` numbers
        /// its group and `labels()` makes a new group's output labels.
        private mutating func addSum(bound: Double?, quantileKey: () -> (number: Int, inserted: Bool), labels: () -> LabelSet) {
            bounds.append(bound)
            guard bound != nil else {
                quantileKeyOfSum.append(nil)
                return
            }
            let (k, isNewKey) = quantileKey()
            quantileKeyOfSum.append(k)
            if isNewKey { keyLabels.append(labels()) }
        }
    }

    /// Lists of numbers, one per key, held in one array.
    private struct KeyedLists {
        private var starts: [Int]
        private var items: [Int]

        /// Item `j` goes to the list of `key(j)`, if any, in order.
        init(keys: Int, items count: Int, key: (Int) -> Int?) {
            var starts = [Int](repeating: 0, count: keys + 1)
            for j in 0..<count { if let k = key(j) { starts[k + 1] += 1 } }
            for k in 0..<keys { starts[k + 1] += starts[k] }
            var next = starts
            var items = [Int](repeating: 0, count: starts[keys])
            for j in 0..<count {
                guard let k = key(j) else { continue }
                items[next[k]] = j
                next[k] += 1
            }
            self.starts = starts
            self.items = items
        }

        subscript(key: Int) -> ArraySlice<Int> { items[starts[key]..<starts[key + 1]] }
    }

    deinit {
        values.deallocate()
        present.deallocate()
        firstResult.deallocate()
        points.deallocate()
    }

    /// Adds the result of series `i` (the selection index) into its sum: the first value is taken as it
    /// is, later ones added, as `sum` does. Only the owner of the series, worker `worker`, calls this.
    func add(_ result: RangeKernel.StepBuffer, ofSeries i: Int, worker: Int) {
        result.values.withUnsafeBufferPointer { input in
            result.present.withUnsafeBufferPointer { inputPresent in
                let g = groupOfSeries[i]
                guard values[g] == nil, input.count == steps, inputPresent.count == steps, let from = input.baseAddress,
                      let fromPresent = inputPresent.baseAddress else {
                    return add(input, inputPresent, ofSeries: i, worker: worker)
                }
                // The sum's first series (often its only one: one per bucket and label set): its row is the
                // result as it is, copied whole rather than step by step.
                if firstResult[g] == .max { firstResult[g] = i }
                let (row, flags) = arenas[worker].row(clearingFlags: false)
                row.update(from: from, count: steps)
                flags.update(from: fromPresent, count: steps)
                values[g] = row
                present[g] = flags
                points[g] &+= result.found
            }
        }
    }

    /// ``add(_:ofSeries:worker:)`` from a result's values and presence flags, one per step.
    func add(_ input: UnsafeBufferPointer<Double>, _ inputPresent: UnsafeBufferPointer<Bool>, ofSeries i: Int, worker: Int) {
        let g = groupOfSeries[i]
        if firstResult[g] == .max { firstResult[g] = i }
        if values[g] == nil {
            let (row, flags) = arenas[worker].row()
            values[g] = row
            present[g] = flags
        }
        guard let value = values[g], let has = present[g] else { return }
        var newPoints = 0
        for s in 0..<steps where inputPresent[s] {
            if has[s] {
                value[s] += input[s]
            } else {
                value[s] = input[s]
                has[s] = true
                newPoints &+= 1
            }
        }
        points[g] &+= newPoints
    }

    /// The points of every sum (the steps it has a value at), once every series is added.
    var totalPoints: Int { points.reduce(0, +) }

    /// The sums with a value.
    var sumsWithValues: Int { firstResult.lazy.filter { $0 != .max }.count }

    /// Worker `worker`'s share: each quantile group it claims in turn, the next one left (its series evaluated
    /// by `kernel` and added into their sums, in selection order; outcomes in `round`'s slots), its quantiles computed into
    /// region `k` of `results` from its sums with a value, ordered by bound, then by first result (the
    /// order ``Evaluator/histogramQuantile(_:_:_:context:)`` reads the sums' series in); then the sums
    /// without a usable `le` it owns, whose rows stay.
    func evaluate(_ kernel: RangeKernel, _ round: SeriesRound, worker: Int, scratch: inout RangeKernel.Scratch,
                  results: QuantileResults, q: [Double]) {
        var members = GroupMembers()
        while let claimed = groupClaims.claim(1) {
            let k = claimed.lowerBound
            for i in seriesOfKey[k] { round.fold(i, kernel, into: self, worker: worker, scratch: &scratch) }
            finishGroup(k, worker: worker, results: results, q: q, members: &members)
        }
        for unit in keylessSums where unit.sum % threads == worker {
            for i in unit.series { round.fold(i, kernel, into: self, worker: worker, scratch: &scratch) }
        }
    }

    /// Every group's quantiles, on the calling thread, from results already computed per series (`rows`: a
    /// short grid's, an instant query's). Every sum's row is made at once, in one pass over the series in
    /// selection order, which is the order each sum takes its series in ``evaluate(_:_:worker:scratch:results:q:)``
    /// too, so the answer is the same. The rows are summed here rather than through ``add(_:_:ofSeries:worker:)``:
    /// taking each sum's row from an arena there cost 0.43 M more instructions per instant query (callgrind).
    func evaluate(rows: SeriesRows, results: QuantileResults, q: [Double]) {
        let sums = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(1, sumCount * steps))
        defer { sums.deallocate() }
        let sumsPresent = UnsafeMutableBufferPointer<Bool>.allocate(capacity: Swift.max(1, sumCount * steps))
        defer { sumsPresent.deallocate() }
        sumsPresent.initialize(repeating: false)
        for i in groupOfSeries.indices where rows.found(i) {
            let g = groupOfSeries[i]
            if firstResult[g] == .max {
                firstResult[g] = i
                values[g] = sums.baseAddress.unsafelyUnwrapped + g * steps
                present[g] = sumsPresent.baseAddress.unsafelyUnwrapped + g * steps
            }
            let sum = g * steps
            var newPoints = 0
            rows.withRow(i) { input, inputPresent in
                for s in 0..<steps where inputPresent[s] {
                    if sumsPresent[sum + s] {
                        sums[sum + s] += input[s]
                    } else {
                        sums[sum + s] = input[s]
                        sumsPresent[sum + s] = true
                        newPoints &+= 1
                    }
                }
            }
            points[g] &+= newPoints
        }
        var members = GroupMembers()
        for k in 0..<quantileGroupCount { finishGroup(k, worker: nil, results: results, q: q, members: &members) }
        // The rows of sums without a usable `le` point into `sums` too, which is about to go.
        for g in 0..<sumCount {
            values[g] = nil
            present[g] = nil
        }
    }

    /// Computes quantile group `k`'s quantiles into region `k` of `results` once its series are added: from its
    /// sums with a value, ordered by bound, then by first result (the order
    /// ``Evaluator/histogramQuantile(_:_:_:context:)`` reads the sums' series in); then hands its rows back to
    /// `worker`'s arena (nil: rows of no arena).
    private func finishGroup(_ k: Int, worker: Int?, results: QuantileResults, q: [Double], members: inout GroupMembers) {
        // The group's sums with a value, by first result, then sorted as the ordinary path sorts them (by bound,
        // positions breaking ties) and read by sum. Both sorts run over reused arrays: an instant query finishes
        // 62 groups on the calling thread, and the arrays and sorts of `BucketGroups` took 0.37 M instructions.
        var made = members.made
        var sorted = members.sorted
        members.made = []
        members.sorted = []
        made.removeAll(keepingCapacity: true)
        for g in sumsOfKey[k] where firstResult[g] != .max { made.append(g) }
        let firstResult = self.firstResult
        made.withUnsafeMutableBufferPointer { insertionSort($0) { firstResult[$0] < firstResult[$1] } }
        sorted.removeAll(keepingCapacity: true)
        for (position, g) in made.enumerated() { sorted.append(BucketMember(series: position, group: k, bound: bounds[g] ?? .nan)) }
        // Positions are distinct, so the order is total and any correct sort gives `BucketGroups`' order.
        // `(bound, series) <` spelled out: the tuple comparison was not inlined (54 instructions a comparison).
        sorted.withUnsafeMutableBufferPointer {
            insertionSort($0) { $0.bound < $1.bound || ($0.bound == $1.bound && $0.series < $1.series) }
        }
        for j in sorted.indices { sorted[j].series = made[sorted[j].series] }
        results.compute(group: k, sorted[...], self, q, scratch: &members.quantiles)
        for g in sumsOfKey[k] {
            values[g] = nil
            present[g] = nil
        }
        if let worker { arenas[worker].reset() }
        members.made = made
        members.sorted = sorted
    }

    /// The quantile groups with a value, in the order ``Evaluator/histogramQuantile(_:_:_:context:)``
    /// makes them (by the first result among their sums), with their output labels: read once every
    /// worker has returned.
    func groupsInOutputOrder() -> [(key: Int, labels: LabelSet)] {
        var seen = [Bool](repeating: false, count: quantileGroupCount)
        var order: [(key: Int, labels: LabelSet)] = []
        // The sums with a value by first result: a sum's first result is the series that made it, so walking the
        // series in order meets them in that order (sorting them took 73 k instructions an instant latency query).
        for (i, g) in groupOfSeries.enumerated() where firstResult[g] == i {
            guard let k = quantileKeyOfSum[g], !seen[k] else { continue }
            seen[k] = true
            order.append((k, quantileLabels[k]))
        }
        return order
    }
}

extension HistogramFold: BucketSeries {
    /// The row of sum `g` (a ``BucketMember``'s `series` here is a sum), while its group is computed.
    func withSeries<R>(_ g: Int, _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Bool>) -> R) -> R {
        body(UnsafeBufferPointer(start: values[g], count: values[g] == nil ? 0 : steps),
             UnsafeBufferPointer(start: present[g], count: present[g] == nil ? 0 : steps))
    }

    /// The rows are the fold's own memory, fixed until the group is finished.
    var hasFixedRows: Bool { true }

    /// The row of sum `g`, nil when it has none (no value at any step).
    func row(_ g: Int) -> (values: UnsafePointer<Double>, present: UnsafePointer<Bool>)? {
        guard let value = values[g], let has = present[g] else { return nil }
        return (UnsafePointer(value), UnsafePointer(has))
    }
}

/// The arrays ``HistogramFold`` orders one quantile group's sums in, reused from group to group.
struct GroupMembers {
    /// The group's sums with a value, by first result.
    var made: [Int] = []
    /// Their bucket members, by bound.
    var sorted: [BucketMember] = []
    /// What computing the group's quantiles reuses.
    var quantiles = QuantileScratch()
}

/// Sorts `items` by `less` in place: quantile groups are a dozen or two sums that arrive nearly in order.
@inline(__always)
func insertionSort<T>(_ items: UnsafeMutableBufferPointer<T>, by less: (T, T) -> Bool) {
    guard items.count > 1 else { return }
    for i in 1..<items.count where less(items[i], items[i - 1]) {
        let item = items[i]
        var j = i - 1
        while j > 0 && less(item, items[j - 1]) { j -= 1 }
        // `item` belongs at `j`: everything from `j` moves up one.
        var m = i
        while m > j {
            items[m] = items[m - 1]
            m -= 1
        }
        items[j] = item
    }
}

/// Every selected series' result at each step of a short grid (an instant query's), kept so that the
/// series can be evaluated before their sums' groups are known (``Evaluator/foldedHistogramQuantile(_:_:_:context:)``).
/// Each series' row is written by the one worker that claimed it, and read once every worker has returned.
final class SeriesRows: @unchecked Sendable {
    let steps: Int
    private let values: UnsafeMutableBufferPointer<Double>
    private let present: UnsafeMutableBufferPointer<Bool>
    private let hasValue: UnsafeMutableBufferPointer<Bool>

    init(count: Int, steps: Int) {
        self.steps = steps
        values = .allocate(capacity: Swift.max(1, count * steps))
        present = .allocate(capacity: Swift.max(1, count * steps))
        present.initialize(repeating: false)
        hasValue = .allocate(capacity: Swift.max(1, count))
        hasValue.initialize(repeating: false)
    }

    deinit {
        values.deallocate()
        present.deallocate()
        hasValue.deallocate()
    }

    /// Keeps series `i`'s result.
    func store(_ i: Int, _ result: RangeKernel.StepBuffer) {
        guard result.found > 0 else { return }
        hasValue[i] = true
        for s in 0..<steps {
            present[i * steps + s] = result.present[s]
            if result.present[s] { values[i * steps + s] = result.values[s] }
        }
    }

    /// True when series `i` has a value at some step.
    func found(_ i: Int) -> Bool { hasValue[i] }

    /// Series `i`'s row: values (defined where present) and presence flags.
    func withRow<R>(_ i: Int, _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Bool>) -> R) -> R {
        body(UnsafeBufferPointer(rebasing: values[(i * steps)..<((i + 1) * steps)]),
             UnsafeBufferPointer(rebasing: present[(i * steps)..<((i + 1) * steps)]))
    }
}

/// Rows of `steps` values and presence flags, handed out from blocks of a few rows each: under 100 KiB, so
/// they come from the allocator's reused heap rather than fresh mappings, two allocations per block instead of
/// two per row (870 rows a query). Values are not zeroed: one is read only where its flag says it was written
/// (in a cold process zeroing touched 10 MB of fresh pages a second time). One arena per worker, used by it alone.
final class RowArena {
    private let steps: Int
    private let rowsPerBlock: Int
    private var values: [UnsafeMutablePointer<Double>] = []
    private var flags: [UnsafeMutablePointer<Bool>] = []
    /// The block rows are handed out from, and how many of its rows are.
    private var block = -1
    private var used: Int

    init(steps: Int) {
        self.steps = Swift.max(steps, 1)
        rowsPerBlock = Swift.max(1, (96 << 10) / (self.steps * 9))
        used = rowsPerBlock
    }

    deinit {
        for block in values { block.deallocate() }
        for block in flags { block.deallocate() }
    }

    /// A fresh row: its values uninitialised, its flags false (left uninitialised with `clearingFlags` false,
    /// for a caller that writes every one).
    func row(clearingFlags: Bool = true) -> (values: UnsafeMutablePointer<Double>, present: UnsafeMutablePointer<Bool>) {
        if used == rowsPerBlock {
            block += 1
            if block == values.count {
                values.append(.allocate(capacity: rowsPerBlock * steps))
                flags.append(.allocate(capacity: rowsPerBlock * steps))
            }
            used = 0
        }
        defer { used += 1 }
        let present = flags[block] + used * steps
        if clearingFlags { present.initialize(repeating: false, count: steps) }
        return (values[block] + used * steps, present)
    }

    /// Takes every row back: the blocks are handed out again from the first.
    func reset() {
        block = -1
        used = rowsPerBlock
    }
}
