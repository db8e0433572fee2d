/// The name of the Temporal server family the generator models; see `TemporalCorpus`.
public enum TemporalNaming: String, Sendable, CaseIterable {
    /// The default tally exporter: counters without `_total`, histograms in seconds.
    case tally
    /// The OpenTelemetry exporter: `_total` counters, `_milliseconds` histograms, `otel_scope_*` labels.
    case openTelemetry
}
