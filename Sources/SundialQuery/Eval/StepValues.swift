import SundialStorage

/// The evaluation times of one evaluation: `startMs`, `startMs + stepMs`, … (`count` of them). An
/// instant query is a grid of one step.
struct StepGrid: Sendable, Equatable {
    let startMs: Int64
    let stepMs: Int64
    let count: Int

    init(startMs: Int64, stepMs: Int64, count: Int) {
        self.startMs = startMs
        self.stepMs = stepMs
        self.count = count
    }

    static func instant(_ timeMs: Int64) -> StepGrid { StepGrid(startMs: timeMs, stepMs: 1, count: 1) }

    @inline(__always) func time(_ step: Int) -> Int64 { startMs &+ Int64(step) &* stepMs }

    var endMs: Int64 { time(Swift.max(count - 1, 0)) }
}

/// One series over a ``StepGrid``: a value and a presence flag per step (NaN is a value, so absence
/// needs its own flag).
struct StepSeries: Sendable {
    var labels: LabelSet
    var values: [Double]
    var present: [Bool]

    init(labels: LabelSet, steps: Int) {
        self.labels = labels
        self.values = [Double](repeating: 0, count: steps)
        self.present = [Bool](repeating: false, count: steps)
    }

    init(labels: LabelSet, values: [Double], present: [Bool]) {
        self.labels = labels
        self.values = values
        self.present = present
    }

    var pointCount: Int {
        var n = 0
        for p in present where p { n += 1 }
        return n
    }

    var isEmpty: Bool { !present.contains(true) }
}

/// What an expression evaluates to over a grid.
enum StepValue: Sendable {
    case scalar([Double])
    case vector([StepSeries])
    case string(String)
    /// Raw samples of a range selector or subquery (only at the top of an instant query).
    case matrix([RangeSeries])
}

/// Gathers output series by label set, so that an operation producing the same labels twice at
/// the same step fails the way Prometheus fails ("vector cannot contain metrics with the same
/// labelset"). Look-ups by labels happen once per input series, never per step.
struct SeriesCollector {
    let steps: Int
    private(set) var series: [StepSeries] = []
    private var slots: [LabelSet: Int] = [:]

    init(steps: Int) { self.steps = steps }

    /// The output slot for `labels`, created on first use.
    mutating func slot(for labels: LabelSet) -> Int {
        if let slot = slots[labels] { return slot }
        slots[labels] = series.count
        series.append(StepSeries(labels: labels, steps: steps))
        return series.count - 1
    }

    /// True when the slot already has a value at `step`.
    @inline(__always) func isSet(_ slot: Int, _ step: Int) -> Bool { series[slot].present[step] }

    /// Sets a value; a second value for the same labels at the same step is the Prometheus error.
    @inline(__always) mutating func set(_ slot: Int, _ step: Int, _ value: Double, context: @autoclosure () -> String) throws(QueryError) {
        if series[slot].present[step] {
            throw .evaluation("vector cannot contain metrics with the same labelset \(series[slot].labels) (in `\(context())`)")
        }
        series[slot].present[step] = true
        series[slot].values[step] = value
    }

    /// Adds `delta` to the value at `step` (absent counts as 0) and marks it present.
    @inline(__always) mutating func add(_ slot: Int, _ step: Int, _ delta: Double) {
        series[slot].values[step] = (series[slot].present[step] ? series[slot].values[step] : 0) + delta
        series[slot].present[step] = true
    }

    /// The collected series that have at least one value.
    func finish() -> [StepSeries] { series.filter { !$0.isEmpty } }
}

extension LabelSet {
    /// A copy without `__name__`.
    var droppingMetricName: LabelSet {
        guard self[metricNameLabel] != nil else { return self }
        return filter { $0.name != metricNameLabel }
    }

    /// A copy keeping only the labels named in `names`.
    func keeping(_ names: [String]) -> LabelSet {
        filter { names.contains($0.name) }
    }

    /// A copy without the labels named in `names`.
    func removing(_ names: [String]) -> LabelSet {
        filter { !names.contains($0.name) }
    }
}

/// Fails when two series of a whole result share a label set (Prometheus' `ContainsSameLabelset`
/// on a matrix, applied after range-vector functions and unary minus).
func checkUniqueLabels(_ series: [StepSeries], context: @autoclosure () -> String) throws(QueryError) {
    var seen = Set<LabelSet>()
    for s in series where !seen.insert(s.labels).inserted {
        throw .evaluation("vector cannot contain metrics with the same labelset \(s.labels) (in `\(context())`)")
    }
}
