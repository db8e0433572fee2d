#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The samples of one series inside one window, plus what the functions need to know about the
/// window: its bounds, its length and the evaluation time.
struct RangeWindow {
    /// The whole series (the window is `lo..<hi`).
    let timestamps: UnsafeBufferPointer<Int64>
    let values: UnsafeBufferPointer<Double>
    let lo: Int
    let hi: Int
    let rangeStartMs: Int64
    let rangeEndMs: Int64
    let rangeMs: Int64
    let evalTimeMs: Int64

    var count: Int { hi - lo }
}

/// The functions that take a range vector, each computed on one window exactly as Prometheus 2.42
/// computes it (`promql/functions.go`).
enum RangeFunction: String, CaseIterable {
    case rate, increase, delta, irate, idelta, resets, changes, deriv
    case predictLinear = "predict_linear"
    case holtWinters = "holt_winters"
    case avgOverTime = "avg_over_time"
    case sumOverTime = "sum_over_time"
    case minOverTime = "min_over_time"
    case maxOverTime = "max_over_time"
    case countOverTime = "count_over_time"
    case lastOverTime = "last_over_time"
    case stddevOverTime = "stddev_over_time"
    case stdvarOverTime = "stdvar_over_time"
    case quantileOverTime = "quantile_over_time"
    case presentOverTime = "present_over_time"
    case absentOverTime = "absent_over_time"

    /// True when block chunk summaries can stand for samples: the function needs only a window's first
    /// and last sample, its count and its decreases.
    var readsSummaries: Bool { self == .rate || self == .increase || self == .delta }

    /// The value for one non-empty window, or nil when Prometheus outputs nothing.
    /// - Parameters:
    ///   - arguments: The scalar arguments at this step, in call order (without the range vector).
    ///   - scratch: A reusable buffer for functions that sort.
    func apply(_ w: RangeWindow, _ arguments: [Double], _ scratch: inout [Double]) throws(QueryError) -> Double? {
        switch self {
        case .rate: return Self.extrapolatedRate(w, isCounter: true, isRate: true)
        case .increase: return Self.extrapolatedRate(w, isCounter: true, isRate: false)
        case .delta: return Self.extrapolatedRate(w, isCounter: false, isRate: false)
        case .irate: return Self.instantValue(w, isRate: true)
        case .idelta: return Self.instantValue(w, isRate: false)
        case .resets:
            var resets = 0
            for i in (w.lo + 1)..<w.hi where w.values[i] < w.values[i - 1] { resets += 1 }
            return Double(resets)
        case .changes:
            var changes = 0
            for i in (w.lo + 1)..<w.hi {
                let current = w.values[i]
                let previous = w.values[i - 1]
                if current != previous && !(current.isNaN && previous.isNaN) { changes += 1 }
            }
            return Double(changes)
        case .deriv:
            guard w.count >= 2 else { return nil }
            return Self.linearRegression(w, interceptTimeMs: w.timestamps[w.lo]).slope
        case .predictLinear:
            guard w.count >= 2 else { return nil }
            let (slope, intercept) = Self.linearRegression(w, interceptTimeMs: w.evalTimeMs)
            return slope * (arguments.first ?? .nan) + intercept
        case .holtWinters:
            return try Self.holtWinters(w, smoothing: arguments.first ?? .nan, trend: arguments.dropFirst().first ?? .nan)
        case .avgOverTime: return Self.average(w)
        case .sumOverTime:
            var sum = 0.0
            var c = 0.0
            for i in w.lo..<w.hi { (sum, c) = kahanSumInc(w.values[i], sum, c) }
            return sum.isInfinite ? sum : sum + c
        case .minOverTime:
            var result = w.values[w.lo]
            for i in w.lo..<w.hi where w.values[i] < result || result.isNaN { result = w.values[i] }
            return result
        case .maxOverTime:
            var result = w.values[w.lo]
            for i in w.lo..<w.hi where w.values[i] > result || result.isNaN { result = w.values[i] }
            return result
        case .countOverTime: return Double(w.count)
        case .lastOverTime: return w.values[w.hi - 1]
        case .stddevOverTime: return Self.variance(w).squareRoot()
        case .stdvarOverTime: return Self.variance(w)
        case .quantileOverTime:
            scratch.removeAll(keepingCapacity: true)
            for i in w.lo..<w.hi { scratch.append(w.values[i]) }
            return Quantiles.quantile(arguments.first ?? .nan, &scratch)
        case .presentOverTime, .absentOverTime: return 1
        }
    }

    // MARK: rate, increase, delta

    /// `extrapolatedRate` of Prometheus 2.42: the raw change (plus the value before each reset for
    /// counters), extrapolated towards the window edges when the first/last sample is within 1.1×
    /// the average spacing of them, never extrapolating a counter below zero — the zero clamp runs
    /// before the threshold test in 2.42. `rate` divides by the range, not the sampled interval.
    static func extrapolatedRate(_ w: RangeWindow, isCounter: Bool, isRate: Bool) -> Double? {
        let n = w.count
        guard n >= 2 else { return nil }
        let first = w.values[w.lo]
        let last = w.values[w.hi - 1]
        var result = last - first
        if isCounter {
            var previous = first
            for i in (w.lo + 1)..<w.hi {
                let current = w.values[i]
                if current < previous { result += previous }
                previous = current
            }
        }
        return extrapolate(result, firstValue: first, firstTimestampMs: w.timestamps[w.lo], lastTimestampMs: w.timestamps[w.hi - 1],
                           count: n, rangeStartMs: w.rangeStartMs, rangeEndMs: w.rangeEndMs, rangeMs: w.rangeMs,
                           isCounter: isCounter, isRate: isRate)
    }

    /// The second half of `extrapolatedRate`: `result` (the change over the window's `count` samples,
    /// resets added back for counters) extrapolated towards the window's edges.
    static func extrapolate(_ result: Double, firstValue first: Double, firstTimestampMs firstT: Int64, lastTimestampMs lastT: Int64,
                            count n: Int, rangeStartMs: Int64, rangeEndMs: Int64, rangeMs: Int64,
                            isCounter: Bool, isRate: Bool) -> Double {
        var durationToStart = Double(firstT &- rangeStartMs) / 1000
        let durationToEnd = Double(rangeEndMs &- lastT) / 1000
        let sampledInterval = Double(lastT &- firstT) / 1000
        if isCounter && result > 0 && first >= 0 {
            let durationToZero = sampledInterval * (first / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        return result * extrapolationFactor(durationToStart: durationToStart, durationToEnd: durationToEnd,
                                            sampledInterval: sampledInterval, count: n, rangeMs: rangeMs, isRate: isRate)
    }

    /// What `extrapolate` multiplies the change by: the sampled interval stretched to each edge that is
    /// within 1.1× the average spacing (else by half a spacing), over the sampled interval, per second of
    /// the range for `rate`. It depends on the window's timestamps only, except where a counter's
    /// extrapolation towards zero shortens `durationToStart`.
    @inline(__always)
    static func extrapolationFactor(durationToStart: Double, durationToEnd: Double, sampledInterval: Double, count n: Int,
                                    rangeMs: Int64, isRate: Bool) -> Double {
        let averageSpacing = sampledInterval / Double(n - 1)
        let threshold = averageSpacing * 1.1
        var extrapolateTo = sampledInterval
        extrapolateTo += durationToStart < threshold ? durationToStart : averageSpacing / 2
        extrapolateTo += durationToEnd < threshold ? durationToEnd : averageSpacing / 2
        var factor = extrapolateTo / sampledInterval
        if isRate { factor /= Double(rangeMs) / 1000 }
        return factor
    }

    /// `irate`/`idelta`: the last two samples only; `irate` treats a decrease as a reset.
    static func instantValue(_ w: RangeWindow, isRate: Bool) -> Double? {
        guard w.count >= 2 else { return nil }
        let last = w.values[w.hi - 1]
        let previous = w.values[w.hi - 2]
        var result = isRate && last < previous ? last : last - previous
        let interval = w.timestamps[w.hi - 1] &- w.timestamps[w.hi - 2]
        guard interval != 0 else { return nil }
        if isRate { result /= Double(interval) / 1000 }
        return result
    }

    // MARK: Statistics over time

    /// `avg_over_time`: an incremental, compensated mean that keeps an infinite mean infinite.
    static func average(_ w: RangeWindow) -> Double {
        var mean = 0.0
        var count = 0.0
        var c = 0.0
        for i in w.lo..<w.hi {
            let v = w.values[i]
            count += 1
            if mean.isInfinite {
                if v.isInfinite && (mean > 0) == (v > 0) { continue }
                if !v.isInfinite && !v.isNaN { continue }
            }
            (mean, c) = kahanSumInc(v / count - mean / count, mean, c)
        }
        return mean.isInfinite ? mean : mean + c
    }

    /// Population variance with compensated Welford updates, as `stdvar_over_time`.
    static func variance(_ w: RangeWindow) -> Double {
        var count = 0.0
        var mean = 0.0
        var cMean = 0.0
        var aux = 0.0
        var cAux = 0.0
        for i in w.lo..<w.hi {
            let v = w.values[i]
            count += 1
            let delta = v - (mean + cMean)
            (mean, cMean) = kahanSumInc(delta / count, mean, cMean)
            (aux, cAux) = kahanSumInc(delta * (v - (mean + cMean)), aux, cAux)
        }
        return (aux + cAux) / count
    }

    /// Least squares over the window with x in seconds relative to `interceptTimeMs`.
    static func linearRegression(_ w: RangeWindow, interceptTimeMs: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0
        var sumX = 0.0, cX = 0.0
        var sumY = 0.0, cY = 0.0
        var sumXY = 0.0, cXY = 0.0
        var sumX2 = 0.0, cX2 = 0.0
        let initY = w.values[w.lo]
        var constY = true
        for i in w.lo..<w.hi {
            let y = w.values[i]
            if constY && i > w.lo && y != initY { constY = false }
            n += 1
            let x = Double(w.timestamps[i] &- interceptTimeMs) / 1e3
            (sumX, cX) = kahanSumInc(x, sumX, cX)
            (sumY, cY) = kahanSumInc(y, sumY, cY)
            (sumXY, cXY) = kahanSumInc(x * y, sumXY, cXY)
            (sumX2, cX2) = kahanSumInc(x * x, sumX2, cX2)
        }
        if constY {
            if initY.isInfinite { return (.nan, .nan) }
            return (0, initY)
        }
        sumX += cX
        sumY += cY
        sumXY += cXY
        sumX2 += cX2
        let covXY = sumXY - sumX * sumY / n
        let varX = sumX2 - sumX * sumX / n
        let slope = covXY / varX
        return (slope, sumY / n - slope * sumX / n)
    }

    /// Double exponential smoothing (`holt_winters`), refusing factors outside (0, 1).
    static func holtWinters(_ w: RangeWindow, smoothing sf: Double, trend tf: Double) throws(QueryError) -> Double? {
        if sf <= 0 || sf >= 1 {
            throw .evaluation("invalid smoothing factor. Expected: 0 < sf < 1, got: \(GoFloat.fixed6(sf))")
        }
        if tf <= 0 || tf >= 1 {
            throw .evaluation("invalid trend factor. Expected: 0 < tf < 1, got: \(GoFloat.fixed6(tf))")
        }
        guard w.count >= 2 else { return nil }
        var s0 = 0.0
        var s1 = w.values[w.lo]
        var b = w.values[w.lo + 1] - w.values[w.lo]
        for i in 1..<w.count {
            let x = sf * w.values[w.lo + i]
            if i - 1 != 0 { b = tf * (s1 - s0) + (1 - tf) * b }
            let y = (1 - sf) * (s1 + b)
            s0 = s1
            s1 = x + y
        }
        return s1
    }
}
