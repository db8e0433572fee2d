import SundialQuery
import SundialStorage

extension SLOEvaluator {
    /// The `_bucket` selectors a latency SLI reads: one per `le` value it needs, found from the series' labels alone
    /// (no samples are decoded to find them). A threshold on a bucket bound needs that bound and `+Inf`; between
    /// bounds, the two neighbouring bounds and `+Inf`; above the highest finite bound, that bound and `+Inf`. Each group
    /// (and its own bucket layout) is looked at separately and the needs are merged, so a 14-bucket histogram is read
    /// as 2 or 3 series per group instead of 14: the same counts, a seventh of the decoding. Falls back to the whole
    /// selector when the selector is not a plain series selector or the source cannot list its series.
    func bucketSelectors(_ latency: LatencyIndicator, groupBy: [String], minTimeMs: Int64, maxTimeMs: Int64) -> [String] {
        guard case let .vector(selector)? = try? PromQLParser.parse(latency.bucketSelector),
              let series = try? engine.source.series(matching: selector.allMatchers, minTimeMs: minTimeMs, maxTimeMs: maxTimeMs)
        else { return [latency.bucketSelector] }
        var layouts: [LabelSet: [String: Double]] = [:]
        for one in series {
            guard let text = one.labels["le"], let bound = Self.parseBound(text) else { continue }
            layouts[groupKey(one.labels, groupBy), default: [:]][text] = bound
        }
        var needed = Set<String>()
        for layout in layouts.values {
            needed.formUnion(Self.neededBounds(layout, threshold: latency.threshold))
        }
        guard !needed.isEmpty else { return [latency.bucketSelector] }
        return needed.sorted().map { text in
            var narrowed = selector
            narrowed.matchers.append(.equal("le", text))
            return narrowed.description
        }
    }

    /// The `le` texts of one group's layout that ``goodEvents(_:threshold:)`` uses for `threshold`.
    static func neededBounds(_ layout: [String: Double], threshold: Double) -> Set<String> {
        let finite = layout.filter { $0.value.isFinite }
        var bounds = Set(layout.filter { !$0.value.isFinite }.keys)
        func texts(_ bound: Double?) -> [String] { finite.filter { $0.value == bound }.map(\.key) }
        let exact = finite.filter { abs($0.value - threshold) <= 1e-9 * max(1, abs(threshold)) }
        if !exact.isEmpty { return bounds.union(exact.keys) }
        bounds.formUnion(texts(finite.values.filter { $0 < threshold }.max()))
        bounds.formUnion(texts(finite.values.filter { $0 > threshold }.min()))
        return bounds
    }
}
