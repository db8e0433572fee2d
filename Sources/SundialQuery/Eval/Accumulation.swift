import SundialStorage

/// The running state of `sum`, `avg`, `count`, `min`, `max`, `group`, `stddev` and `stdvar` with
/// `by`/`without`: series are added one at a time, in input order, so an aggregation can consume the
/// series of a range function as they are produced instead of holding them all.
///
/// Group membership is looked up once per input series; the per-step work runs over flat arrays
/// indexed by group and step.
struct Accumulation {
    let op: AggregationOperator
    let grouping: Grouping?
    let steps: Int
    /// Groups by the values of the `by` labels (no label set is built to look one up).
    private var indexByValues: TupleIndex<String>
    /// Groups by their labels, for `without`.
    private var indexByLabels: [LabelSet: Int] = [:]
    private var labels: [LabelSet] = []
    /// Per group, a value per step (the sum, minimum, … so far).
    private var value: [[Double]] = []
    /// Per group, the running mean per step (`avg`, `stddev`, `stdvar` only).
    private var mean: [[Double]] = []
    /// Per group, how many series had a value at each step (4 bytes, half the memory of `Int`, which
    /// a day at 1 m steps for 870 groups made 10 MB of fresh pages; no selection reaches 2^32 series).
    private var count: [[UInt32]] = []
    private var usesMean: Bool { op == .avg || op == .stddev || op == .stdvar }

    /// True for the operators this type computes.
    static func handles(_ op: AggregationOperator) -> Bool {
        switch op {
        case .sum, .avg, .count, .min, .max, .group, .stddev, .stdvar: true
        default: false
        }
    }

    init(_ op: AggregationOperator, grouping: Grouping?, steps: Int) {
        self.op = op
        self.grouping = grouping
        self.steps = steps
        if case let .by(names)? = grouping {
            indexByValues = TupleIndex(width: names.count)
        } else {
            indexByValues = TupleIndex(width: 0)
        }
    }

    /// Makes room for the groups of `series` input series (an upper bound), so that the group index is not
    /// rebuilt as it grows.
    mutating func reserveCapacity(series: Int) {
        let groups = Swift.min(series, 1 << 16)
        switch grouping {
        case .by?: indexByValues.reserveCapacity(groups)
        case .without?: indexByLabels.reserveCapacity(groups)
        case nil: return
        }
        labels.reserveCapacity(groups)
        value.reserveCapacity(groups)
        count.reserveCapacity(groups)
        mean.reserveCapacity(groups)
    }

    /// The output labels of the group a series with `labels` falls in.
    static func groupLabels(_ labels: LabelSet, _ grouping: Grouping?) -> LabelSet {
        switch grouping {
        case let .by(names)?: labels.keeping(names)
        case let .without(names)?: labels.removing(names + [metricNameLabel])
        case nil: LabelSet([])
        }
    }

    private mutating func group(of labels: LabelSet) -> Int {
        switch grouping {
        case let .by(names)?:
            let (g, inserted) = indexByValues.number(of: labels, names: names)
            if !inserted { return g }
        case .without?:
            let key = Self.groupLabels(labels, grouping)
            if let g = indexByLabels[key] { return g }
            indexByLabels[key] = self.labels.count
        case nil:
            if !self.labels.isEmpty { return 0 }
        }
        self.labels.append(Self.groupLabels(labels, grouping))
        value.append([Double](repeating: 0, count: steps))
        count.append([UInt32](repeating: 0, count: steps))
        mean.append(usesMean ? [Double](repeating: 0, count: steps) : [])
        return self.labels.count - 1
    }

    /// Adds one input series' values at the steps where it is present.
    mutating func add(_ series: StepSeries) {
        let g = group(of: series.labels)
        let op = op
        let steps = steps
        series.values.withUnsafeBufferPointer { values in
            series.present.withUnsafeBufferPointer { present in
                value[g].withUnsafeMutableBufferPointer { value in
                    count[g].withUnsafeMutableBufferPointer { count in
                        mean[g].withUnsafeMutableBufferPointer { mean in
                            if op == .sum {
                                // The everyday case, written out: the first value is taken as it is (so -0 stays -0).
                                for s in 0..<steps where present[s] {
                                    value[s] = count[s] == 0 ? values[s] : value[s] + values[s]
                                    count[s] &+= 1
                                }
                                return
                            }
                            for s in 0..<steps where present[s] {
                                Self.fold(op, values[s], at: s, &value, &mean, &count)
                            }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func fold(_ op: AggregationOperator, _ v: Double, at k: Int, _ value: inout UnsafeMutableBufferPointer<Double>,
                             _ mean: inout UnsafeMutableBufferPointer<Double>, _ count: inout UnsafeMutableBufferPointer<UInt32>) {
        count[k] &+= 1
        let n = Int(count[k])
        if n == 1 {
            switch op {
            case .stddev, .stdvar:
                value[k] = 0
                mean[k] = v
            case .avg: mean[k] = v
            case .group: value[k] = 1
            default: value[k] = v
            }
            return
        }
        switch op {
        case .sum: value[k] += v
        case .avg:
            let m = mean[k]
            if m.isInfinite {
                if v.isInfinite && (m > 0) == (v > 0) { break }
                if !v.isInfinite && !v.isNaN { break }
            }
            mean[k] = m + (v / Double(n) - m / Double(n))
        case .max:
            if value[k] < v || value[k].isNaN { value[k] = v }
        case .min:
            if value[k] > v || value[k].isNaN { value[k] = v }
        case .stddev, .stdvar:
            let delta = v - mean[k]
            mean[k] += delta / Double(n)
            value[k] += delta * (v - mean[k])
        default: break
        }
    }

    /// One series per group that has a value at some step, in the order groups first appeared.
    func finish() -> [StepSeries] {
        var output: [StepSeries] = []
        output.reserveCapacity(labels.count)
        for g in labels.indices {
            var present = [Bool](repeating: false, count: steps)
            var values = op == .sum || op == .min || op == .max || op == .group ? value[g] : [Double](repeating: 0, count: steps)
            var any = false
            for s in 0..<steps where count[g][s] > 0 {
                any = true
                present[s] = true
                let n = Double(count[g][s])
                switch op {
                case .avg: values[s] = mean[g][s]
                case .count: values[s] = n
                case .stdvar: values[s] = value[g][s] / n
                case .stddev: values[s] = (value[g][s] / n).squareRoot()
                default: break
                }
            }
            if any { output.append(StepSeries(labels: labels[g], values: values, present: present)) }
        }
        return output
    }
}
