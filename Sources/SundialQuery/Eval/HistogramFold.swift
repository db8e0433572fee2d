import SundialStorage

/// The sums of a folded `histogram_quantile(φ, sum by (…, le) (…))` (``Evaluator/foldedHistogramQuantile(_:_:_:context:)``):
/// a row of values and presence flags per sum, which the workers fill in place, and the grouping of
/// the sums into quantile groups.
///
/// Series `i` belongs to sum `groupOfSeries[i]`; worker `w` of `n` owns the series whose sum falls in
/// a quantile group `k` with `k % n == w` (a sum without a usable `le` counts as its own group), so
/// every sum is written by one thread only, in selection order.
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
    /// Per sum, its row, taken from the owning worker's arena on the sum's first value.
    private let values: UnsafeMutableBufferPointer<UnsafeMutablePointer<Double>?>
    private let present: UnsafeMutableBufferPointer<UnsafeMutablePointer<Bool>?>
    /// Per sum, the selection index of its first series with a value (`Int.max` while none): the order in
    /// which the sum's output series would be made.
    private let firstResult: UnsafeMutableBufferPointer<Int>
    /// Per sum, the steps it has a value at.
    private let points: UnsafeMutableBufferPointer<Int>
    /// Sum index by position in ``quantilePlan()``'s input order.
    private var sumAtPosition: [Int] = []
    /// Per worker, where its sums' rows come from.
    private let arenas: [RowArena]

    /// Groups the selected series by the values of the `by` labels `names` (which hold `le`) into sums,
    /// and the sums by those values but `le` into quantile groups: the partitions `sum by` and
    /// `histogram_quantile` make, from label values alone. `labels(i)` are the labels the result of
    /// series `i` carries. Series of one block are grouped by the numbers of their values in its symbol
    /// table (equal numbers are equal strings there), without building their label sets.
    init(series: [any QuerySeries], labels: (Int) -> LabelSet, by names: [String], steps: Int, threads: Int) {
        self.steps = steps
        self.threads = threads
        arenas = (0..<threads).map { _ in RowArena(steps: steps) }
        let partition: Partition
        if let symbolic = Self.sharedSymbols(series), !names.contains(metricNameLabel), let table = symbolic.first?.table {
            let nameNumbers = names.map { table.number(of: $0) }
            let absent = UInt32.max
            partition = Partition(count: series.count, names: names) { i, values in
                for name in nameNumbers { values.append(name.flatMap { symbolic[i].value(ofName: $0) } ?? absent) }
            } text: { $0 == absent ? "" : table.symbols[Int($0)] }
        } else {
            partition = Partition(count: series.count, names: names) { i, values in
                let set = labels(i)
                for name in names { values.append(set[name] ?? "") }
            } text: { $0 }
        }
        let namesButLe = names.filter { $0 != "le" }
        groupOfSeries = partition.groupOfSeries
        sumCount = partition.sumCount
        bounds = partition.bounds
        quantileKeyOfSum = partition.quantileKeyOfSum
        quantileLabels = partition.firstSeriesOfKey.map { labels($0).keeping(namesButLe).droppingMetricName }
        let count = sumCount
        values = .allocate(capacity: Swift.max(count, 1))
        values.initialize(repeating: nil)
        present = .allocate(capacity: Swift.max(count, 1))
        present.initialize(repeating: nil)
        firstResult = .allocate(capacity: Swift.max(count, 1))
        firstResult.initialize(repeating: .max)
        points = .allocate(capacity: Swift.max(count, 1))
        points.initialize(repeating: 0)
    }

    /// The symbol labels of every series when they all number their labels in one strictly ordered
    /// table (a selection from one block), else nil.
    private static func sharedSymbols(_ series: [any QuerySeries]) -> [SymbolLabels]? {
        var symbolic: [SymbolLabels] = []
        symbolic.reserveCapacity(series.count)
        for one in series {
            guard let symbols = one.symbolLabels, symbolic.isEmpty || symbols.table === symbolic[0].table else { return nil }
            symbolic.append(symbols)
        }
        guard let table = symbolic.first?.table, table.isStrictlyOrdered else { return nil }
        return symbolic
    }

    /// The sums and quantile groups of a selection, from each series' tuple of `by` values.
    private struct Partition {
        var groupOfSeries: [Int] = []
        var sumCount = 0
        /// Per sum, its `le` as a number.
        var bounds: [Double?] = []
        /// Per sum, its quantile key, nil when its `le` is missing or not a number.
        var quantileKeyOfSum: [Int?] = []
        /// Per quantile key, the first series with it.
        var firstSeriesOfKey: [Int] = []

        /// `values(i, &buffer)` appends the values of `names` for series `i` of `count`; `text` reads one as a string.
        init<Value: Hashable>(count: Int, names: [String], values: (Int, inout [Value]) -> Void, text: (Value) -> String) {
            let lePosition = names.firstIndex(of: "le")
            let keptPositions = names.indices.filter { names[$0] != "le" }
            var sums = TupleIndex<Value>(width: names.count, capacity: count)
            var quantileKeys = TupleIndex<Value>(width: keptPositions.count)
            // A histogram has a few dozen distinct bounds: each is parsed once.
            var les = TupleIndex<Value>(width: 1)
            var boundOfLe: [Double?] = []
            var keyValues: [Value] = []
            groupOfSeries.reserveCapacity(count)
            for i in 0..<count {
                let (g, isNewSum) = sums.number { values(i, &$0) }
                groupOfSeries.append(g)
                guard isNewSum else { continue }
                var bound: Double?
                if let lePosition {
                    let le = sums.value(lePosition, ofTuple: g)
                    let (number, isNewLe) = les.number(of: CollectionOfOne(le))
                    if isNewLe {
                        // An empty value is an absent label, as in the sum's labels.
                        let string = text(le)
                        boundOfLe.append(string.isEmpty ? nil : GoFloat.parse(string))
                    }
                    bound = boundOfLe[number]
                }
                bounds.append(bound)
                guard bound != nil else {
                    quantileKeyOfSum.append(nil)
                    continue
                }
                keyValues.removeAll(keepingCapacity: true)
                for position in keptPositions { keyValues.append(sums.value(position, ofTuple: g)) }
                let (k, isNewKey) = quantileKeys.number(of: keyValues)
                quantileKeyOfSum.append(k)
                if isNewKey { firstSeriesOfKey.append(i) }
            }
            sumCount = sums.count
        }
    }

    deinit {
        values.deallocate()
        present.deallocate()
        firstResult.deallocate()
        points.deallocate()
    }

    /// The worker that evaluates series `i` of the selection.
    func owner(ofSeries i: Int) -> Int {
        let g = groupOfSeries[i]
        return (quantileKeyOfSum[g] ?? g) % threads
    }

    /// Adds the result of series `i` (the selection index) into its sum: the first value is taken as it
    /// is, later ones added, as `sum` does. Only the owner of the series, worker `worker`, calls this.
    func add(_ result: RangeKernel.StepBuffer, ofSeries i: Int, worker: Int) {
        let g = groupOfSeries[i]
        if firstResult[g] == .max { firstResult[g] = i }
        if values[g] == nil {
            let (row, flags) = arenas[worker].row()
            values[g] = row
            present[g] = flags
        }
        guard let value = values[g], let has = present[g] else { return }
        var newPoints = 0
        result.values.withUnsafeBufferPointer { input in
            result.present.withUnsafeBufferPointer { inputPresent in
                for s in 0..<steps where inputPresent[s] {
                    if has[s] {
                        value[s] += input[s]
                    } else {
                        value[s] = input[s]
                        has[s] = true
                        newPoints &+= 1
                    }
                }
            }
        }
        points[g] &+= newPoints
    }

    /// The points of every sum (the steps it has a value at), once every series is added.
    var totalPoints: Int { points.reduce(0, +) }

    /// The sums with a value.
    var sumsWithValues: Int { firstResult.lazy.filter { $0 != .max }.count }

    /// The quantile groups laid out as ``Evaluator/histogramQuantile(_:_:_:context:)`` lays them out for
    /// the sums' series (the sums with a value, in the order they were made): group `r` in order of first
    /// appearance, its members by bound, then position.
    func quantilePlan() -> QuantilePlan {
        let made = (0..<sumCount).filter { firstResult[$0] != .max }.sorted { firstResult[$0] < firstResult[$1] }
        sumAtPosition = made
        // Groups are numbered as they first appear among the sums in that order.
        var groupOfKey = [Int](repeating: -1, count: quantileGroupCount)
        var labels: [LabelSet] = []
        var members: [BucketMember] = []
        for (position, g) in made.enumerated() {
            guard let key = quantileKeyOfSum[g], let bound = bounds[g] else { continue }
            if groupOfKey[key] < 0 {
                groupOfKey[key] = labels.count
                labels.append(quantileLabels[key])
            }
            members.append(BucketMember(series: position, group: groupOfKey[key], bound: bound))
        }
        return QuantilePlan(groups: BucketGroups(members), labels: labels)
    }
}

extension HistogramFold: BucketSeries {
    /// The row of the sum at `position` in ``quantilePlan()``'s order.
    func withSeries<R>(_ position: Int, _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Bool>) -> R) -> R {
        let g = sumAtPosition[position]
        return body(UnsafeBufferPointer(start: values[g], count: values[g] == nil ? 0 : steps),
                    UnsafeBufferPointer(start: present[g], count: present[g] == nil ? 0 : steps))
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
    /// Rows handed out from the newest block.
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

    /// A fresh row: its values uninitialised, its flags false.
    func row() -> (values: UnsafeMutablePointer<Double>, present: UnsafeMutablePointer<Bool>) {
        if used == rowsPerBlock {
            values.append(.allocate(capacity: rowsPerBlock * steps))
            let block = UnsafeMutablePointer<Bool>.allocate(capacity: rowsPerBlock * steps)
            block.initialize(repeating: false, count: rowsPerBlock * steps)
            flags.append(block)
            used = 0
        }
        defer { used += 1 }
        return (values[values.count - 1] + used * steps, flags[flags.count - 1] + used * steps)
    }
}

/// The quantile groups of a ``HistogramFold``, and `labels[r]`, group `r`'s output labels.
struct QuantilePlan {
    let groups: BucketGroups
    let labels: [LabelSet]
    var members: [BucketMember] { groups.members }
    var ranges: [Range<Int>] { groups.ranges }

    /// The groups worker `worker` of `workers` computes.
    func groupsOwned(by worker: Int, of workers: Int) -> StrideTo<Int> {
        stride(from: worker, to: ranges.count, by: workers)
    }
}
