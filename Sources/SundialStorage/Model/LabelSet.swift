/// The identity of a series: its labels sorted by name, names unique, the metric name under `__name__`.
///
/// ```swift
/// let series = LabelSet(name: "persistence_requests", ["operation": "GetWorkflowExecution"])
/// series.metricName // "persistence_requests"
/// series["operation"] // "GetWorkflowExecution"
/// ```
public struct LabelSet: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The labels, sorted by name; names are unique and values are never empty
    /// (an empty value means "label absent", as in Prometheus).
    public private(set) var labels: [Label]

    /// Creates a label set from labels in any order. Labels with empty values are dropped; for a
    /// repeated name the last value wins.
    public init(_ labels: [Label]) {
        // Labels already sorted by name, unique and without an empty value (one label, or a label set's own) are
        // kept as they are: filtering and sorting them made two arrays (1,500 instructions for one label).
        if labels.allSatisfy({ !$0.value.isEmpty }) && zip(labels, labels.dropFirst()).allSatisfy({ $0.name < $1.name }) {
            self.labels = labels
            return
        }
        var sorted = labels.filter { !$0.value.isEmpty }
        sorted.sort { $0.name < $1.name }
        var unique: [Label] = []
        unique.reserveCapacity(sorted.count)
        for label in sorted {
            if let last = unique.last, last.name == label.name {
                unique[unique.count - 1] = label
            } else {
                unique.append(label)
            }
        }
        self.labels = unique
    }

    /// Creates a label set from a metric name and a dictionary of other labels.
    public init(name: String, _ others: [String: String] = [:]) {
        self.init([Label(metricNameLabel, name)] + others.map { Label($0.key, $0.value) })
    }

    /// Creates a label set from labels already sorted by name with unique names and non-empty values.
    init(presorted labels: [Label]) {
        self.labels = labels
    }

    /// The value of `__name__`, or the empty string when the series has none.
    public var metricName: String { self[metricNameLabel] ?? "" }

    /// The value of the label `name`, or nil when absent.
    public subscript(name: String) -> String? {
        var low = 0
        var high = labels.count
        while low < high {
            let mid = (low + high) / 2
            if labels[mid].name < name { low = mid + 1 } else { high = mid }
        }
        return low < labels.count && labels[low].name == name ? labels[low].value : nil
    }

    /// The labels `isIncluded` keeps, in their order: a subset of a label set is already sorted and
    /// unique, so nothing is re-sorted.
    public func filter(_ isIncluded: (Label) throws -> Bool) rethrows -> LabelSet {
        LabelSet(presorted: try labels.filter(isIncluded))
    }

    /// A copy with `label` added or replaced (or removed when its value is empty).
    public func setting(_ name: String, to value: String) -> LabelSet {
        var others = labels.filter { $0.name != name }
        if !value.isEmpty { others.append(Label(name, value)) }
        return LabelSet(others)
    }

    /// Lexicographic order over the sorted labels, as Prometheus orders series.
    public static func < (lhs: LabelSet, rhs: LabelSet) -> Bool {
        for (l, r) in zip(lhs.labels, rhs.labels) where l != r {
            return l < r
        }
        return lhs.labels.count < rhs.labels.count
    }

    /// `name{a="1", b="2"}` as Prometheus prints a series.
    public var description: String {
        let others = labels.filter { $0.name != metricNameLabel }.map(\.description).joined(separator: ", ")
        return metricName + "{" + others + "}"
    }
}
