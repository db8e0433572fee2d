/// For the series of a block (sorted by labels), which series may be stored as differences from
/// which: every `x_bucket{le=…}` and the `x_count` of a histogram refer to its `x_bucket{le="+Inf"}`,
/// which is stored as is. Buckets above most observations then differ from `+Inf` by a near-constant
/// and cost almost nothing, and `_count` (equal to `+Inf`) costs one constant.
struct HistogramReferences {
    /// Per series: the series it may be stored relative to.
    var referenceOf: [Int?]
    /// Per series: true when another series refers to it.
    var isReference: [Bool]

    init(_ series: [LabelSet]) {
        referenceOf = Array(repeating: nil, count: series.count)
        isReference = Array(repeating: false, count: series.count)
        var infinityBuckets: [LabelSet: Int] = [:]
        for (i, labels) in series.enumerated() {
            let name = labels.metricName
            guard name.hasSuffix("_bucket"), let le = labels["le"], Double(le) == .infinity else { continue }
            infinityBuckets[Self.groupKey(labels, base: String(name.dropLast(7)))] = i
        }
        guard !infinityBuckets.isEmpty else { return }
        for (i, labels) in series.enumerated() {
            let name = labels.metricName
            let base: String
            if name.hasSuffix("_bucket"), let le = labels["le"], Double(le) != .infinity {
                base = String(name.dropLast(7))
            } else if name.hasSuffix("_count"), labels["le"] == nil {
                base = String(name.dropLast(6))
            } else {
                continue
            }
            if let reference = infinityBuckets[Self.groupKey(labels, base: base)] {
                referenceOf[i] = reference
                isReference[reference] = true
            }
        }
    }

    /// The labels that identify one histogram: the family name and every label but `le`.
    private static func groupKey(_ labels: LabelSet, base: String) -> LabelSet {
        LabelSet(labels.labels.filter { $0.name != "le" && $0.name != metricNameLabel } + [Label(metricNameLabel, base)])
    }
}
