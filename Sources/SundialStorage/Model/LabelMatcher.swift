/// Selects series by one label: `=`, `!=`, `=~` or `!~`, with Prometheus' semantics.
///
/// Regular expressions are fully anchored (`=~"Get.*"` must match the whole value), and a label that
/// is absent has the empty value, so `{namespace=""}` selects series without a namespace and
/// `{namespace!~".+"}` too.
///
/// ```swift
/// let m = try LabelMatcher(.regex, "operation", "Get.*|UpdateWorkflowExecution")
/// m.matches("GetWorkflowExecution") // true
/// ```
public struct LabelMatcher: Sendable, CustomStringConvertible {
    /// The comparison.
    public enum Operation: String, Sendable {
        /// `=`: equal.
        case equal = "="
        /// `!=`: not equal.
        case notEqual = "!="
        /// `=~`: the anchored regular expression matches.
        case regex = "=~"
        /// `!~`: the anchored regular expression does not match.
        case notRegex = "!~"
    }

    /// The comparison.
    public let operation: Operation
    /// The label name.
    public let name: String
    /// The value or the pattern.
    public let value: String
    private let pattern: AnchoredPattern?

    /// Creates a matcher.
    /// - Throws: ``StorageError/invalidArgument(_:)`` when a regex does not compile.
    public init(_ operation: Operation, _ name: String, _ value: String) throws(StorageError) {
        self.operation = operation
        self.name = name
        self.value = value
        switch operation {
        case .equal, .notEqual: pattern = nil
        case .regex, .notRegex: pattern = try AnchoredPattern(value)
        }
    }

    /// Creates `name="value"`, which cannot fail.
    public static func equal(_ name: String, _ value: String) -> LabelMatcher {
        LabelMatcher(unchecked: .equal, name, value)
    }

    private init(unchecked operation: Operation, _ name: String, _ value: String) {
        self.operation = operation
        self.name = name
        self.value = value
        self.pattern = nil
    }

    /// True when a series whose label `name` has `candidate` (empty when absent) is selected.
    public func matches(_ candidate: String) -> Bool {
        switch operation {
        case .equal: candidate == value
        case .notEqual: candidate != value
        case .regex: pattern?.matches(candidate) ?? false
        case .notRegex: !(pattern?.matches(candidate) ?? false)
        }
    }

    /// True when the matcher selects series that lack the label (it matches the empty string).
    public var matchesEmpty: Bool { matches("") }

    /// `name="value"` in PromQL syntax.
    public var description: String { "\(name)\(operation.rawValue)\"\(escapedLabelValue(value))\"" }
}
