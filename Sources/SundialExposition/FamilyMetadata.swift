/// What the `# HELP`, `# TYPE` and `# UNIT` lines of one metric family say.
///
/// The parser hands a sink the full record accumulated so far each time one of these lines is accepted, so the
/// last record a sink sees for a family is complete.
public struct FamilyMetadata: Sendable, Equatable, Hashable {
    /// The family name as the metadata lines write it (for OpenMetrics counters, without `_total`).
    public var name: String
    /// The declared type, or ``MetricType/untyped`` (text format) / ``MetricType/unknown`` (OpenMetrics)
    /// while no `# TYPE` line has been seen.
    public var type: MetricType
    /// The unescaped `# HELP` text, or `nil` when there is no `# HELP` line.
    public var help: String?
    /// The `# UNIT` text (OpenMetrics only), or `nil` when there is no `# UNIT` line.
    public var unit: String?

    /// Creates a metadata record.
    /// - Parameters:
    ///   - name: The family name.
    ///   - type: The family's type.
    ///   - help: The unescaped help text, if any.
    ///   - unit: The unit, if any.
    public init(name: String, type: MetricType, help: String? = nil, unit: String? = nil) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
    }
}
