import Foundation
import SundialQuery
import SundialStorage

extension SLOEvaluator {
    /// Per-group counts over one window, and whether a latency figure was interpolated.
    struct WindowCounts {
        var counts: [LabelSet: EventCounts]
        var estimated: Bool
    }

    func counts(_ spec: SLOSpec, windowSeconds: Int64, atMs: Int64,
                notes: inout [String]) throws(SLOEvaluationError) -> WindowCounts {
        let window = SLODuration.text(windowSeconds * 1000)
        switch spec.indicator {
        case let .ratio(ratio):
            let total = try run(spec, eventQuery(ratio.total, spec.groupBy, window), atMs)
            var result: [LabelSet: EventCounts] = [:]
            // A missing bad (or good) family while total has events counts as zero.
            if let bad = ratio.bad {
                let badCounts = try run(spec, eventQuery(bad, spec.groupBy, window), atMs)
                for (key, count) in total { result[key] = EventCounts(bad: min(badCounts[key] ?? 0, count), total: count) }
            } else if let good = ratio.good {
                let goodCounts = try run(spec, eventQuery(good, spec.groupBy, window), atMs)
                for (key, count) in total { result[key] = EventCounts(bad: max(count - (goodCounts[key] ?? 0), 0), total: count) }
            }
            return WindowCounts(counts: result, estimated: false)
        case let .latency(latency):
            return try latencyCounts(spec, latency, window: window, atMs: atMs, notes: &notes)
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

    /// Runs an instant query and sums its samples per group key (NaN and infinite values are skipped).
    func run(_ spec: SLOSpec, _ queries: [String], _ atMs: Int64) throws(SLOEvaluationError) -> [LabelSet: Double] {
        var out: [LabelSet: Double] = [:]
        for query in queries {
            for sample in try vector(spec, query, atMs) where sample.value.isFinite {
                out[groupKey(sample.labels, spec.groupBy), default: 0] += sample.value
            }
        }
        return out
    }

    func vector(_ spec: SLOSpec, _ query: String, _ atMs: Int64) throws(SLOEvaluationError) -> [InstantSample] {
        let result: QueryResult
        do { result = try engine.instant(query, atMs: atMs) } catch {
            throw SLOEvaluationError(slo: spec.name, query: query, error: error)
        }
        switch result {
        case let .vector(samples): return samples
        case let .scalar(timestampMs, value): return [InstantSample(LabelSet([]), timestampMs: timestampMs, value: value)]
        case .matrix, .string: return []
        }
    }

    func groupKey(_ labels: LabelSet, _ groupBy: [String]) -> LabelSet {
        LabelSet(groupBy.compactMap { name in labels[name].map { Label(name, $0) } })
    }

    /// Good events are the cumulative count at the threshold's bucket bound when the threshold is a bound; otherwise
    /// they are interpolated linearly between the neighbouring bounds, as Prometheus's `histogram_quantile` assumes
    /// observations spread evenly inside a bucket. Total events are the `+Inf` bucket.
    private func latencyCounts(_ spec: SLOSpec, _ latency: LatencyIndicator, window: String, atMs: Int64,
                               notes: inout [String]) throws(SLOEvaluationError) -> WindowCounts {
        let query = "sum\(by(spec.groupBy + ["le"])) (increase(\(latency.bucketSelector)[\(window)]))"
        var buckets: [LabelSet: [(bound: Double, count: Double)]] = [:]
        for sample in try vector(spec, query, atMs) where sample.value.isFinite {
            guard let text = sample.labels["le"], let bound = Self.parseBound(text) else { continue }
            buckets[groupKey(sample.labels, spec.groupBy), default: []].append((bound, sample.value))
        }
        var result: [LabelSet: EventCounts] = [:]
        var estimated = false
        for (key, unsorted) in buckets {
            let sorted = unsorted.sorted { $0.bound < $1.bound }
            guard let last = sorted.last else { continue }
            let total = last.count
            let estimate = Self.goodEvents(sorted, threshold: latency.threshold)
            if let note = estimate.note, !notes.contains(note) { notes.append(note) }
            estimated = estimated || estimate.note != nil
            result[key] = EventCounts(bad: min(max(total - estimate.good, 0), total), total: total)
        }
        return WindowCounts(counts: result, estimated: estimated)
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
