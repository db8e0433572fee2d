import SundialExposition

/// A sample of a generated family, with the text its value and timestamp are written as.
struct ModelSample {
    var name: String
    var labels: [ParsedLabel]
    var value: Double
    var valueText: String
    var timestampMs: Int64?
    var timestampText: String?
    /// OpenMetrics only: an exemplar to write after the value (and timestamp).
    var exemplar: String?
}

/// A generated metric family.
struct ModelFamily {
    var name: String
    /// `nil`: no `# TYPE` line (the family is untyped/unknown).
    var type: MetricType?
    var help: String?
    var unit: String?
    var samples: [ModelSample]
}

/// Generates random but valid metric families for both formats.
struct RandomFamilies {
    var rng: SeededGenerator
    let format: ExpositionFormat
    private var usedNames: Set<String> = []

    init(seed: UInt64, format: ExpositionFormat) {
        rng = SeededGenerator(seed: seed)
        self.format = format
    }

    mutating func pick<T>(_ choices: [T]) -> T { choices[Int.random(in: 0..<choices.count, using: &rng)] }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    mutating func families() -> [ModelFamily] {
        (0..<int(1...7)).map { index in family(index) }
    }

    mutating func family(_ index: Int) -> ModelFamily {
        let textTypes: [MetricType?] = [.counter, .gauge, .histogram, .summary, .untyped, nil]
        let omTypes: [MetricType?] = [.counter, .gauge, .histogram, .gaugeHistogram, .summary, .info, .stateset, .unknown, nil]
        let type = pick(format == .openMetrics ? omTypes : textTypes)
        var name = type == nil ? "free\(index)_\(metricName())" : metricName()
        if type == .stateset {
            // The state label is named like the family, so the name must be a label name too.
            name = "s" + String(name.unicodeScalars.filter { $0 != ":" })
        }
        var unit: String? = nil
        if format == .openMetrics && type != nil && chance(0.3) { unit = pick(["seconds", "bytes", "ratio"]) }
        let unitSuffix = unit.map { "_" + $0 } ?? ""
        // Unique before the unit suffix, so that the unit stays a suffix.
        while usedNames.contains(name + unitSuffix) { name += "_x" }
        name += unitSuffix
        usedNames.insert(name)
        if format == .openMetrics && chance(0.1) { unit = "" }
        let help: String? = type != nil && chance(0.7) ? helpText() : nil
        return ModelFamily(name: name, type: type, help: help, unit: unit, samples: samples(name, type))
    }

    mutating func metricName() -> String {
        let parts = ["service", "requests", "latency", "persistence", "chasm", "total", "size", "job:rate5m", "task",
                     "poll", "_", "a", "X", "q9", "le", "count", "bucket"]
        var name = pick(["", "_", ":", "m"]) + pick(parts)
        for _ in 0..<int(0...3) { name += "_" + pick(parts) }
        return name
    }

    mutating func labelName(avoiding used: Set<String>) -> String {
        while true {
            let name = pick(["namespace", "operation", "service_name", "otel_scope_name", "otel_scope_version", "_x",
                             "A", "type", "error_type", "taskqueue", "a\(int(0...99))", "__reserved"])
            if !used.contains(name) { return name }
        }
    }

    mutating func labelValue() -> String {
        pick(["", "default", "temporal_system", "_unknown_", "UpdateWorkflowExecution", "history", "quote\"d",
              "back\\slash", "new\nline", "ünïcödé ✓", "{not,labels}", "a=b", "# not a comment", " spaced ",
              "\\n literally", String(repeating: "long", count: int(1...40))])
    }

    mutating func helpText() -> String {
        pick(["", "The number of RPC requests.", "service_requests counter", "with \\ backslash",
              "multi\nline", "ünï ✓", " leading and trailing ", "quote \" inside", "# hash"])
    }

    mutating func labels(_ count: Int, avoiding: Set<String> = []) -> [ParsedLabel] {
        var used = avoiding
        var result: [ParsedLabel] = []
        for _ in 0..<count {
            let name = labelName(avoiding: used)
            used.insert(name)
            result.append(ParsedLabel(name: name, value: labelValue()))
        }
        return result
    }

    /// A value and how it is written.
    mutating func value(nonNegative: Bool = false) -> (Double, String) {
        switch int(0...5) {
        case 0:
            let n = int(0...100_000)
            return (Double(n), "\(n)")
        case 1:
            let text = pick(["0.005", "1.048576e+06", "1e+06", "1.6777216e+07", "0.038107612", "1.234567e+06", "13.771",
                             "5e-324", "2.2250738585072014e-308", "1.7976931348623157e+308", ".5", "7.", "00012"])
            return (Double(text) ?? .nan, text)
        case 2:
            var v = Double(bitPattern: rng.next())
            while !v.isFinite { v = Double(bitPattern: rng.next()) }
            if nonNegative { v = abs(v) }
            return (v, "\(v)")
        case 3:
            let choices: [(Double, String)] = nonNegative
                ? [(.nan, "NaN"), (.infinity, "+Inf"), (.infinity, "Inf")]
                : [(.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (.infinity, "inf"), (.nan, "nan")]
            return pick(choices)
        case 4:
            let mantissa = int(1...99_999_999)
            let exponent = int(-20...20)
            let text = "\(mantissa)e\(exponent)"
            return (Double(text) ?? .nan, text)
        default:
            let v = Double(int(-1_000_000...1_000_000)) / 1000
            let w = nonNegative ? abs(v) : v
            return (w, "\(w)")
        }
    }

    mutating func timestamp() -> (Int64?, String?) {
        guard chance(0.3) else { return (nil, nil) }
        if format == .prometheusText {
            let ms = Int64.random(in: -1_000_000_000_000...4_000_000_000_000, using: &rng)
            return (ms, "\(ms)")
        }
        let seconds = int(0...2_000_000_000)
        let text = chance(0.5) ? "\(seconds)" : "\(seconds).\(int(0...999))"
        // Prometheus 2.42: int64(seconds * 1000), truncated.
        return (Int64((Double(text) ?? 0) * 1000), text)
    }

    mutating func exemplar() -> String? {
        guard format == .openMetrics && chance(0.3) else { return nil }
        let ts = chance(0.5) ? " \(int(0...2_000_000_000)).\(int(0...999))" : ""
        return "{trace_id=\"\(int(0...999_999))\",note=\"a\\\\b\\\"c\\nd\"} \(value().1)\(ts)"
    }

    mutating func sample(_ name: String, _ labels: [ParsedLabel], nonNegative: Bool = false,
                         exemplarAllowed: Bool = false) -> ModelSample {
        let (v, text) = value(nonNegative: nonNegative)
        let (ts, tsText) = timestamp()
        return ModelSample(name: name, labels: labels, value: v, valueText: text, timestampMs: ts, timestampText: tsText,
                           exemplar: exemplarAllowed ? exemplar() : nil)
    }

    mutating func samples(_ f: String, _ type: MetricType?) -> [ModelSample] {
        var out: [ModelSample] = []
        let om = format == .openMetrics
        switch type {
        case .counter:
            let plain = !om && chance(0.5)
            for _ in 0..<int(0...3) {
                let set = labels(int(0...4))
                out.append(sample(plain ? f : f + "_total", set, nonNegative: om, exemplarAllowed: !plain))
                if chance(0.3) { out.append(sample(f + "_created", set)) }
            }
        case .histogram, .gaugeHistogram:
            let bounds = ["0.001", "0.005", "0.1", "1", "2.5", "10", "1e+06", "1.6777216e+07"]
            for _ in 0..<int(0...3) {
                let set = labels(int(0...3), avoiding: ["le"])
                let lePosition = int(0...set.count)
                for bound in bounds.filter({ _ in chance(0.5) }) + ["+Inf"] {
                    var withLe = set
                    withLe.insert(ParsedLabel(name: "le", value: bound), at: lePosition)
                    out.append(sample(f + "_bucket", withLe, nonNegative: true, exemplarAllowed: true))
                }
                let suffixes = type == .histogram ? ["_sum", "_count", "_created"] : ["_gsum", "_gcount"]
                for suffix in suffixes where chance(0.6) { out.append(sample(f + suffix, set)) }
            }
        case .summary:
            for _ in 0..<int(0...3) {
                let set = labels(int(0...3), avoiding: ["quantile"])
                for q in ["0", "0.5", "0.99", "1"] where chance(0.6) {
                    out.append(sample(f, set + [ParsedLabel(name: "quantile", value: q)]))
                }
                for suffix in ["_sum", "_count", "_created"] where chance(0.6) { out.append(sample(f + suffix, set)) }
            }
        case .info:
            for _ in 0..<int(0...2) {
                var s = sample(f + "_info", labels(int(1...3)))
                (s.value, s.valueText) = (1, "1")
                out.append(s)
            }
        case .stateset:
            for state in ["a", "b", "c"] where chance(0.7) {
                var s = sample(f, labels(int(0...2), avoiding: [f]) + [ParsedLabel(name: f, value: state)])
                (s.value, s.valueText) = chance(0.5) ? (1, "1") : (0, "0")
                out.append(s)
            }
        default:
            for _ in 0..<int(0...3) { out.append(sample(f, labels(int(0...4)))) }
        }
        return out
    }
}
