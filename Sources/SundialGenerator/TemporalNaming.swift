/// The name of the Temporal server family the generator models; see `TemporalCorpus`.
public enum TemporalNaming: String, Sendable, CaseIterable {
    /// The default tally exporter: counters without `_total`, histograms in seconds.
    case tally
    /// The OpenTelemetry exporter: `_total` counters, `_milliseconds` histograms, `otel_scope_*` labels.
    case openTelemetry
}

extension TemporalNaming {
    /// The name a family is exposed under: tally keeps the defined name; OpenTelemetry appends `_total` to
    /// counters and `_milliseconds` to timers (histograms); gauges keep their name under both.
    func exposedName(_ base: String, kind: FamilyKind) -> String {
        switch (self, kind) {
        case (.tally, _), (.openTelemetry, .gauge): base
        case (.openTelemetry, .counter): base + "_total"
        case (.openTelemetry, .histogram): base + "_milliseconds"
        }
    }

    /// A label value as the exporter prints it: tally replaces every character outside `[A-Za-z0-9_]` with
    /// `_` (`temporal-system` → `temporal_system`); OpenTelemetry leaves values alone.
    func labelValue(_ raw: String) -> String {
        guard self == .tally else { return raw }
        return TemporalNaming.tallySanitized(raw)
    }

    /// Tally's Prometheus sanitiser: characters outside `[A-Za-z0-9_]` become `_`.
    static func tallySanitized(_ raw: String) -> String {
        var bytes = Array(raw.utf8)
        for i in bytes.indices {
            switch bytes[i] {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F: break
            default: bytes[i] = 0x5F
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Labels the exporter adds to every series: OpenTelemetry's instrumentation scope.
    var scopeLabels: [(String, String)] {
        switch self {
        case .tally: []
        case .openTelemetry: [("otel_scope_name", "temporal"), ("otel_scope_version", "")]
        }
    }

    /// Multiplier from seconds to the unit histograms are exposed in (`le` bounds and `_sum`).
    var histogramUnitsPerSecond: Double {
        self == .tally ? 1 : 1000
    }
}
