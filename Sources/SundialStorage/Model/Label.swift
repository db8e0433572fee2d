/// One label: a name and a value, as in `operation="UpdateWorkflowExecution"`.
///
/// The metric name is carried as the label `__name__`, as in Prometheus, so a series is fully
/// described by a ``LabelSet``.
public struct Label: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The label name, e.g. `operation`.
    public var name: String
    /// The label value, e.g. `UpdateWorkflowExecution`.
    public var value: String

    /// Creates a label.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Orders by name, then by value.
    public static func < (lhs: Label, rhs: Label) -> Bool {
        lhs.name != rhs.name ? lhs.name < rhs.name : lhs.value < rhs.value
    }

    /// `name="value"` with the value escaped as in the Prometheus text format.
    public var description: String { "\(name)=\"\(escapedLabelValue(value))\"" }
}

/// The label name that carries a series' metric name.
public let metricNameLabel = "__name__"

/// Escapes `\`, `"` and newline as the Prometheus text format does.
func escapedLabelValue(_ value: String) -> String {
    guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") })
    else { return value }
    var out = ""
    out.reserveCapacity(value.utf8.count + 2)
    for ch in value {
        switch ch {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        default: out.append(ch)
        }
    }
    return out
}
