/// The two text formats a scrape file can be in.
public enum ExpositionFormat: String, Sendable, CaseIterable {
    /// The Prometheus text exposition format 0.0.4 (`text/plain; version=0.0.4`).
    case prometheusText
    /// OpenMetrics 1.0 (`application/openmetrics-text; version=1.0.0`), which ends with `# EOF`.
    case openMetrics
}
