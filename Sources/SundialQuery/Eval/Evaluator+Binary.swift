#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SundialStorage

extension Evaluator {
    /// Arithmetic, comparisons (filtering or `bool`) and set operators between scalars and
    /// vectors, with Prometheus 2.42's vector matching.
    func evaluateBinary(_ operation: BinaryOperation, _ grid: StepGrid) throws(QueryError) -> StepValue {
        let lhs = try evaluate(operation.lhs, grid)
        let rhs = try evaluate(operation.rhs, grid)
        let context = Expr.binary(operation).description
        switch (lhs, rhs) {
        case let (.scalar(l), .scalar(r)):
            var out = [Double](repeating: 0, count: grid.count)
            for s in 0..<grid.count { out[s] = Self.scalarOperation(operation.op, l[s], r[s]) }
            return .scalar(out)
        case let (.vector(l), .scalar(r)):
            return .vector(try vectorScalar(operation, l, r, scalarOnLeft: false, grid, context: context))
        case let (.scalar(l), .vector(r)):
            return .vector(try vectorScalar(operation, r, l, scalarOnLeft: true, grid, context: context))
        case let (.vector(l), .vector(r)):
            let output = operation.op.isSetOperator
                ? try setOperation(operation, l, r, grid, context: context)
                : try vectorVector(operation, l, r, grid, context: context)
            try account(output: output, steps: grid.count)
            return .vector(output)
        default:
            throw .evaluation("binary expression must contain only scalar and instant vector types in `\(context)`")
        }
    }

    // MARK: Elements

    /// Two scalars (comparisons give 0 or 1, as they must carry `bool`).
    static func scalarOperation(_ op: BinaryOperator, _ l: Double, _ r: Double) -> Double {
        let (value, keep) = elementOperation(op, l, r)
        return op.isComparison ? (keep ? 1 : 0) : value
    }

    /// One pair of values: the result, and for comparisons whether the pair passes (the value is
    /// then the left-hand one).
    @inline(__always) static func elementOperation(_ op: BinaryOperator, _ l: Double, _ r: Double) -> (value: Double, keep: Bool) {
        switch op {
        case .add: (l + r, true)
        case .subtract: (l - r, true)
        case .multiply: (l * r, true)
        case .divide: (l / r, true)
        case .power: (GoFloat.pow(l, r), true)
        case .modulo: (GoFloat.mod(l, r), true)
        case .atan2: (atan2(l, r), true)
        case .equal: (l, l == r)
        case .notEqual: (l, l != r)
        case .greater: (l, l > r)
        case .less: (l, l < r)
        case .greaterOrEqual: (l, l >= r)
        case .lessOrEqual: (l, l <= r)
        case .and, .or, .unless: (l, true)
        }
    }

    // MARK: Vector and scalar

    private func vectorScalar(_ operation: BinaryOperation, _ vector: [StepSeries], _ scalar: [Double], scalarOnLeft: Bool,
                              _ grid: StepGrid, context: String) throws(QueryError) -> [StepSeries] {
        let op = operation.op
        let dropName = op.dropsMetricName || operation.returnBool
        var collector = SeriesCollector(steps: grid.count)
        for series in vector {
            let slot = collector.slot(for: dropName ? series.labels.droppingMetricName : series.labels)
            for s in 0..<grid.count where series.present[s] {
                var (l, r) = (series.values[s], scalar[s])
                if scalarOnLeft { (l, r) = (r, l) }
                var (value, keep) = Self.elementOperation(op, l, r)
                if op.isComparison && scalarOnLeft { value = r }
                if operation.returnBool {
                    value = keep ? 1 : 0
                    keep = true
                }
                if keep { try collector.set(slot, s, value, context: context) }
            }
        }
        let output = collector.finish()
        try account(output: output, steps: grid.count)
        return output
    }

    // MARK: Vector and vector

    /// The matching signature of a series: the `on` labels, or every label but the `ignoring`
    /// ones and the metric name.
    private func signature(_ labels: LabelSet, _ matching: VectorMatching) -> LabelSet {
        matching.on ? labels.keeping(matching.labels) : labels.removing(matching.labels + [metricNameLabel])
    }

    /// Interns the signatures of both sides into small integers (computed once per series).
    private func signatureIDs(_ lhs: [StepSeries], _ rhs: [StepSeries], _ matching: VectorMatching)
        -> (lhs: [Int], rhs: [Int], labels: [LabelSet]) {
        var ids: [LabelSet: Int] = [:]
        var labels: [LabelSet] = []
        func id(_ series: StepSeries) -> Int {
            let key = signature(series.labels, matching)
            if let existing = ids[key] { return existing }
            ids[key] = labels.count
            labels.append(key)
            return labels.count - 1
        }
        return (lhs.map(id), rhs.map(id), labels)
    }

    /// For each step, whether any series of `side` has a value.
    private func anyPresent(_ side: [StepSeries], _ steps: Int) -> [Bool] {
        var any = [Bool](repeating: false, count: steps)
        for series in side { for s in 0..<steps where series.present[s] { any[s] = true } }
        return any
    }

    /// The labels of a result: the "many" side's, without the name for arithmetic, reduced to the
    /// `on` labels (or without the `ignoring` ones) for one-to-one, plus `group_x` labels copied
    /// from the "one" side.
    private func resultLabels(_ many: LabelSet, _ one: LabelSet, _ operation: BinaryOperation, _ matching: VectorMatching) -> LabelSet {
        var labels = operation.op.dropsMetricName ? many.droppingMetricName : many
        if matching.cardinality == .oneToOne {
            labels = matching.on ? labels.keeping(matching.labels) : labels.removing(matching.labels)
        }
        for name in matching.include { labels = labels.setting(name, to: one[name] ?? "") }
        return operation.returnBool ? labels.droppingMetricName : labels
    }

    private func vectorVector(_ operation: BinaryOperation, _ lhs: [StepSeries], _ rhs: [StepSeries], _ grid: StepGrid,
                              context: String) throws(QueryError) -> [StepSeries] {
        let matching = operation.effectiveMatching
        let (lhsSig, rhsSig, sigLabels) = signatureIDs(lhs, rhs, matching)
        let swapped = matching.cardinality == .oneToMany
        let (many, one) = swapped ? (rhs, lhs) : (lhs, rhs)
        let (manySig, oneSig) = swapped ? (rhsSig, lhsSig) : (lhsSig, rhsSig)
        let lhsAny = anyPresent(lhs, grid.count)
        let rhsAny = anyPresent(rhs, grid.count)
        var oneAt = [Int](repeating: -1, count: sigLabels.count)
        var matchedAt = [Int](repeating: -1, count: sigLabels.count)
        var touched: [Int] = []
        var cachedOne = [Int](repeating: -1, count: many.count)
        var cachedSlot = [Int](repeating: -1, count: many.count)
        var collector = SeriesCollector(steps: grid.count)

        for s in 0..<grid.count where lhsAny[s] && rhsAny[s] {
            for (j, series) in one.enumerated() where series.present[s] {
                let sig = oneSig[j]
                if oneAt[sig] >= 0 {
                    throw .evaluation("found duplicate series for the match group \(sigLabels[sig]) on the \(swapped ? "left" : "right") "
                        + "hand-side of the operation: [\(series.labels), \(one[oneAt[sig]].labels)];many-to-many matching not allowed: "
                        + "matching labels must be unique on one side (in `\(context)`)")
                }
                oneAt[sig] = j
                touched.append(sig)
            }
            for (i, series) in many.enumerated() where series.present[s] {
                let sig = manySig[i]
                let j = oneAt[sig]
                if j < 0 { continue }
                var (l, r) = (series.values[s], one[j].values[s])
                if swapped { (l, r) = (r, l) }
                var (value, keep) = Self.elementOperation(operation.op, l, r)
                if operation.returnBool {
                    value = keep ? 1 : 0
                } else if !keep {
                    continue
                }
                if cachedOne[i] != j {
                    cachedOne[i] = j
                    cachedSlot[i] = collector.slot(for: resultLabels(series.labels, one[j].labels, operation, matching))
                }
                let slot = cachedSlot[i]
                if matching.cardinality == .oneToOne {
                    if matchedAt[sig] == s {
                        throw .evaluation("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right) (in `\(context)`)")
                    }
                    matchedAt[sig] = s
                } else if collector.isSet(slot, s) {
                    throw .evaluation("multiple matches for labels: grouping labels must ensure unique matches (in `\(context)`)")
                }
                try collector.set(slot, s, value, context: context)
            }
            for sig in touched { oneAt[sig] = -1 }
            touched.removeAll(keepingCapacity: true)
        }
        return collector.finish()
    }

    // MARK: and or unless

    private func setOperation(_ operation: BinaryOperation, _ lhs: [StepSeries], _ rhs: [StepSeries], _ grid: StepGrid,
                              context: String) throws(QueryError) -> [StepSeries] {
        let matching = operation.effectiveMatching
        let (lhsSig, rhsSig, sigLabels) = signatureIDs(lhs, rhs, matching)
        let lhsAny = anyPresent(lhs, grid.count)
        let rhsAny = anyPresent(rhs, grid.count)
        var collector = SeriesCollector(steps: grid.count)
        let lhsSlots = lhs.map { collector.slot(for: $0.labels) }
        let rhsSlots = operation.op == .or ? rhs.map { collector.slot(for: $0.labels) } : []
        var markedAt = [Int](repeating: -1, count: sigLabels.count)

        for s in 0..<grid.count {
            switch operation.op {
            case .and:
                guard lhsAny[s] && rhsAny[s] else { continue }
                for (j, series) in rhs.enumerated() where series.present[s] { markedAt[rhsSig[j]] = s }
                for (i, series) in lhs.enumerated() where series.present[s] && markedAt[lhsSig[i]] == s {
                    try collector.set(lhsSlots[i], s, series.values[s], context: context)
                }
            case .or:
                for (i, series) in lhs.enumerated() where series.present[s] {
                    markedAt[lhsSig[i]] = s
                    try collector.set(lhsSlots[i], s, series.values[s], context: context)
                }
                for (j, series) in rhs.enumerated() where series.present[s] && (!lhsAny[s] || markedAt[rhsSig[j]] != s) {
                    try collector.set(rhsSlots[j], s, series.values[s], context: context)
                }
            default:  // unless
                if rhsAny[s] {
                    for (j, series) in rhs.enumerated() where series.present[s] { markedAt[rhsSig[j]] = s }
                }
                for (i, series) in lhs.enumerated() where series.present[s] && (!rhsAny[s] || markedAt[lhsSig[i]] != s) {
                    try collector.set(lhsSlots[i], s, series.values[s], context: context)
                }
            }
        }
        return collector.finish()
    }
}
