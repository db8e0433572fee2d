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
    private var index: [LabelSet: Int] = [:]
    private var labels: [LabelSet] = []
    private var value: [Double] = []
    private var mean: [Double] = []
    private var count: [Int] = []
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
        let key = Self.groupLabels(labels, grouping)
        if let g = index[key] { return g }
        let g = self.labels.count
        index[key] = g
        self.labels.append(key)
        value.append(contentsOf: repeatElement(0, count: steps))
        count.append(contentsOf: repeatElement(0, count: steps))
        if usesMean { mean.append(contentsOf: repeatElement(0, count: steps)) }
        return g
    }

    /// Adds one input series' values at the steps where it is present.
    mutating func add(_ series: StepSeries) {
        let base = group(of: series.labels) * steps
        let op = op
        series.values.withUnsafeBufferPointer { values in
            series.present.withUnsafeBufferPointer { present in
                value.withUnsafeMutableBufferPointer { value in
                    count.withUnsafeMutableBufferPointer { count in
                        mean.withUnsafeMutableBufferPointer { mean in
                            for s in 0..<steps where present[s] {
                                Self.fold(op, values[s], at: base + s, &value, &mean, &count)
                            }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func fold(_ op: AggregationOperator, _ v: Double, at k: Int, _ value: inout UnsafeMutableBufferPointer<Double>,
                             _ mean: inout UnsafeMutableBufferPointer<Double>, _ count: inout UnsafeMutableBufferPointer<Int>) {
        let n = count[k] + 1
        count[k] = n
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
            var series = StepSeries(labels: labels[g], steps: steps)
            let base = g * steps
            for s in 0..<steps where count[base + s] > 0 {
                let k = base + s
                let n = Double(count[k])
                series.present[s] = true
                switch op {
                case .avg: series.values[s] = mean[k]
                case .count: series.values[s] = n
                case .stdvar: series.values[s] = value[k] / n
                case .stddev: series.values[s] = (value[k] / n).squareRoot()
                default: series.values[s] = value[k]
                }
            }
            if !series.isEmpty { output.append(series) }
        }
        return output
    }
}
