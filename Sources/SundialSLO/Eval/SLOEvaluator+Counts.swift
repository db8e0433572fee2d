import Foundation
import SundialQuery
import SundialStorage

/// The evaluation times of an SLO evaluation: `startMs`, `startMs + stepMs`, … (`count` of them). One instant is a
/// grid of one step; a history is a grid of a few hundred.
struct EvaluationGrid: Equatable {
    var startMs: Int64
    var stepMs: Int64
    var count: Int

    static func instant(_ timeMs: Int64) -> EvaluationGrid { EvaluationGrid(startMs: timeMs, stepMs: 1, count: 1) }

    var endMs: Int64 { startMs + Int64(max(count - 1, 0)) * stepMs }

    func time(_ step: Int) -> Int64 { startMs + Int64(step) * stepMs }

    /// The step index of a timestamp that lies on the grid.
    func index(_ timeMs: Int64) -> Int? {
        let offset = timeMs - startMs
        guard offset >= 0, offset % stepMs == 0 else { return nil }
        let index = Int(offset / stepMs)
        return index < count ? index : nil
    }
}

extension SLOEvaluator {
    /// Per-group counts over one window at every step of a grid (nil where the group had no sample), and whether a
    /// latency figure was interpolated.
    struct WindowCounts {
        var counts: [LabelSet: [EventCounts?]]
        var estimated: Bool

        /// The counts at one step, for the groups that have them.
        func at(_ step: Int) -> [LabelSet: EventCounts] {
            counts.compactMapValues { $0[step] }
        }
    }

    /// Counts events over a `windowSeconds` window ending at each step of `grid`: one range query per counter, so
    /// each series is decoded once for the whole grid.
    func counts(_ spec: SLOSpec, windowSeconds: Int64, grid: EvaluationGrid,
                notes: inout [String]) throws(SLOEvaluationError) -> WindowCounts {
        let window = SLODuration.text(windowSeconds * 1000)
        switch spec.indicator {
        case let .ratio(ratio):
            let total = try run(spec, eventQuery(ratio.total, spec.groupBy, window), grid)
            var result: [LabelSet: [EventCounts?]] = [:]
            // A missing bad (or good) family while total has events counts as zero.
            let other = try run(spec, eventQuery(ratio.bad ?? ratio.good ?? ratio.total, spec.groupBy, window), grid)
            let isBad = ratio.bad != nil
            for (key, totals) in total {
                let others = other[key]
                result[key] = totals.indices.map { step -> EventCounts? in
                    guard let count = totals[step] else { return nil }
                    let value = others?[step] ?? 0
                    return isBad ? EventCounts(bad: min(value, count), total: count)
                        : EventCounts(bad: max(count - value, 0), total: count)
                }
            }
            return WindowCounts(counts: result, estimated: false)
        case let .latency(latency):
            return try latencyCounts(spec, latency, windowSeconds: windowSeconds, grid: grid, notes: &notes)
        }
    }

    /// `sum by (groups) (increase(selector[window]))` per selector, or a query with `$window` replaced.
    func eventQuery(_ query: EventQuery, _ groupBy: [String], _ window: String) -> [String] {
        switch query {
        case let .selector(selector): ["sum\(by(groupBy)) (increase(\(selector)[\(window)]))"]
        case let .selectors(list): list.map { "sum\(by(groupBy)) (increase(\($0)[\(window)]))" }
        case let .query(text): [text.replacingOccurrences(of: "$window", with: window)]
        }
    }

    func by(_ labels: [String]) -> String {
        labels.isEmpty ? "" : " by (" + labels.joined(separator: ", ") + ")"
    }

    /// Runs range queries over the grid and sums their values per group key and step (NaN and infinite values are
    /// skipped; a step without any value stays nil).
    func run(_ spec: SLOSpec, _ queries: [String], _ grid: EvaluationGrid) throws(SLOEvaluationError) -> [LabelSet: [Double?]] {
        var out: [LabelSet: [Double?]] = [:]
        for query in queries {
            for series in try matrix(spec, query, grid) {
                let key = groupKey(series.labels, spec.groupBy)
                var values = out[key] ?? [Double?](repeating: nil, count: grid.count)
                for sample in series.samples where sample.value.isFinite {
                    guard let step = grid.index(sample.timestampMs) else { continue }
                    values[step] = (values[step] ?? 0) + sample.value
                }
                out[key] = values
            }
        }
        return out
    }

    /// One range query over the grid (a grid of one step is an instant query).
    func matrix(_ spec: SLOSpec, _ query: String, _ grid: EvaluationGrid) throws(SLOEvaluationError) -> [RangeSeries] {
        do {
            return try engine.range(query, startMs: grid.startMs, endMs: grid.endMs, stepMs: grid.stepMs).matrix
        } catch {
            throw SLOEvaluationError(slo: spec.name, query: query, error: error)
        }
    }

    func groupKey(_ labels: LabelSet, _ groupBy: [String]) -> LabelSet {
        LabelSet(groupBy.compactMap { name in labels[name].map { Label(name, $0) } })
    }

    /// Good events are the cumulative count at the threshold's bucket bound when the threshold is a bound; otherwise
    /// they are interpolated linearly between the neighbouring bounds, as Prometheus's `histogram_quantile` assumes
    /// observations spread evenly inside a bucket. Total events are the `+Inf` bucket.
    private func latencyCounts(_ spec: SLOSpec, _ latency: LatencyIndicator, windowSeconds: Int64, grid: EvaluationGrid,
                               notes: inout [String]) throws(SLOEvaluationError) -> WindowCounts {
        let window = SLODuration.text(windowSeconds * 1000)
        let selectors = bucketSelectors(latency, groupBy: spec.groupBy, minTimeMs: grid.startMs - windowSeconds * 1000,
                                        maxTimeMs: grid.endMs)
        var buckets: [LabelSet: [[(bound: Double, count: Double)]]] = [:]
        for selector in selectors {
            let query = "sum\(by(spec.groupBy + ["le"])) (increase(\(selector)[\(window)]))"
            addBuckets(try matrix(spec, query, grid), to: &buckets, spec: spec, grid: grid)
        }
        var result: [LabelSet: [EventCounts?]] = [:]
        var estimated = false
        for (key, steps) in buckets {
            result[key] = steps.map { unsorted -> EventCounts? in
                let sorted = unsorted.sorted { $0.bound < $1.bound }
                guard let last = sorted.last else { return nil }
                let total = last.count
                let estimate = Self.goodEvents(sorted, threshold: latency.threshold)
                if let note = estimate.note, !notes.contains(note) { notes.append(note) }
                estimated = estimated || estimate.note != nil
                return EventCounts(bad: min(max(total - estimate.good, 0), total), total: total)
            }
        }
        return WindowCounts(counts: result, estimated: estimated)
    }

    /// Adds each series' values at each step to its group's buckets.
    private func addBuckets(_ matrix: [RangeSeries], to buckets: inout [LabelSet: [[(bound: Double, count: Double)]]],
                            spec: SLOSpec, grid: EvaluationGrid) {
        for series in matrix {
            guard let text = series.labels["le"], let bound = Self.parseBound(text) else { continue }
            let key = groupKey(series.labels, spec.groupBy)
            var steps = buckets[key] ?? Array(repeating: [], count: grid.count)
            for sample in series.samples where sample.value.isFinite {
                guard let step = grid.index(sample.timestampMs) else { continue }
                steps[step].append((bound, sample.value))
            }
            buckets[key] = steps
        }
    }

    static func parseBound(_ text: String) -> Double? {
        switch text.lowercased() {
        case "+inf", "inf": .infinity
        default: Double(text)
        }
    }

    /// Good events at `threshold` from cumulative buckets sorted by bound, with a note when estimated.
    static func goodEvents(_ buckets: [(bound: Double, count: Double)], threshold: Double) -> (good: Double, note: String?) {
        if let exact = buckets.first(where: { abs($0.bound - threshold) <= 1e-9 * max(1, abs(threshold)) }) {
            return (exact.count, nil)
        }
        let finite = buckets.filter { $0.bound.isFinite }
        guard let upperIndex = finite.firstIndex(where: { $0.bound > threshold }) else {
            let highest = finite.last
            return (highest?.count ?? 0, "threshold \(threshold) is above the highest finite bucket bound"
                        + (highest.map { " (\($0.bound))" } ?? "") + "; requests above that bound count as bad")
        }
        let upper = finite[upperIndex]
        let lower = upperIndex > 0 ? finite[upperIndex - 1] : (bound: min(0, threshold), count: 0.0)
        guard upper.bound > lower.bound else { return (lower.count, nil) }
        let good = lower.count + (upper.count - lower.count) * (threshold - lower.bound) / (upper.bound - lower.bound)
        return (good, "threshold \(threshold) is not a bucket bound; good events estimated by linear interpolation between "
                    + "the bounds \(lower.bound) and \(upper.bound), as Prometheus's histogram_quantile assumes")
    }
}
