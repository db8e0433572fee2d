/// Turns a ``CompactQuery`` into PromQL against what a store holds: a family name resolves to the
/// series that exist (`persistence_latency` → `persistence_latency_bucket` in seconds or
/// `persistence_latency_milliseconds_bucket` in ms; `service_requests` → `service_requests_total`), and a
/// missing error family counts as zero errors when requests exist.
public struct CompactTranslator: Sendable {
    /// How a column's values are shown.
    public enum Unit: String, Sendable, Equatable {
        /// Latency in seconds (shown in ms).
        case seconds
        /// Latency in milliseconds.
        case milliseconds
        /// A per-second rate.
        case perSecond
        /// A fraction shown as a percentage.
        case ratio
        /// A plain count.
        case count
    }

    /// One computed column: a PromQL expression and how to show its values.
    public struct Column: Sendable, Equatable {
        /// The column's heading (`p99`, `rate`, `errors`).
        public var name: String
        /// The PromQL evaluated for it.
        public var promQL: String
        /// How values are shown.
        public var unit: Unit
    }

    /// The translation of one compact query.
    public struct Plan: Sendable, Equatable {
        /// The columns, each one PromQL query.
        public var columns: [Column]
        /// Grouping labels, in order.
        public var grouping: [String]
        /// For percentiles: the bucket series' metric name, whose `le` bounds bracket each answer.
        public var bucketMetric: String?
        /// What the translation chose, for the user to see (which family, which unit).
        public var notes: [String]
    }

    /// Every metric name the store holds.
    public let metricNames: Set<String>

    /// Creates a translator for a store holding `metricNames`.
    public init(metricNames: Set<String>) {
        self.metricNames = metricNames
    }

    /// Translates `query`.
    /// - Throws: ``QueryError/invalidArgument(_:)`` naming the closest metric names when the family is unknown.
    public func plan(_ query: CompactQuery) throws(QueryError) -> Plan {
        let window = "[" + Literals.formatDuration(query.windowMs) + "]"
        func grouped(_ inner: String, extra: [String] = []) -> String {
            let labels = (query.without ? query.grouping : query.grouping + extra)
            if query.without {
                return "sum without (\(labels.joined(separator: ", "))) (\(inner))"
            }
            return labels.isEmpty ? "sum(\(inner))" : "sum by (\(labels.joined(separator: ", "))) (\(inner))"
        }
        func selector(_ name: String, _ matchers: String) -> String {
            matchers.isEmpty ? name : name + "{" + matchers + "}"
        }
        func topped(_ expr: String) -> String {
            query.top.map { "topk(\($0), \(expr))" } ?? expr
        }
        var notes: [String] = []
        switch query.measure {
        case let .percentiles(values):
            let (bucket, unit) = try resolveHistogram(query.family)
            if bucket != query.family + "_bucket" { notes.append("\(query.family) is stored as \(bucket)") }
            let inner = grouped("rate(\(selector(bucket, query.matchers))\(window))", extra: ["le"])
            let columns = values.map { q in
                Column(name: Self.percentileName(q), promQL: topped("histogram_quantile(\(CompactTranslator.number(q)), \(inner))"), unit: unit)
            }
            return Plan(columns: columns, grouping: query.grouping, bucketMetric: bucket, notes: notes)
        case .rate, .increase:
            let name = try resolveCounter(query.family)
            let function = query.measure == .rate ? "rate" : "increase"
            let expr = topped(grouped("\(function)(\(selector(name, query.matchers))\(window))"))
            return Plan(columns: [Column(name: function, promQL: expr, unit: query.measure == .rate ? .perSecond : .count)],
                        grouping: query.grouping, bucketMetric: nil, notes: notes)
        case .errorRatio:
            let base = query.family.hasSuffix("_errors") ? String(query.family.dropLast(7))
                : query.family.hasSuffix("_requests") ? String(query.family.dropLast(9)) : query.family
            let requests = try resolveCounter(base + "_requests")
            let total = grouped("rate(\(selector(requests, query.matchers))\(window))")
            let errors: String
            if let unexpected = resolveOptional(base + "_errors") {
                errors = grouped("rate(\(selector(unexpected, query.matchers))\(window))")
                notes.append("errors are \(unexpected): unexpected errors only")
            } else if let typed = resolveOptional(base + "_error_with_type") {
                errors = grouped("rate(\(selector(typed, query.matchers))\(window))")
                notes.append("no \(base)_errors series: used \(typed), which counts every error, expected or not")
            } else {
                errors = "(\(total) * 0)"
                notes.append("no \(base)_errors or \(base)_error_with_type series: no errors recorded")
            }
            let ratio = "(\(errors) or (\(total) * 0)) / \(total)"
            return Plan(columns: [Column(name: "errors", promQL: topped(ratio), unit: .ratio)],
                        grouping: query.grouping, bucketMetric: nil, notes: notes)
        case let .ratio(denominator, denominatorMatchers):
            let top = try resolveCounter(query.family)
            let bottom = try resolveCounter(denominator)
            let expr = "\(grouped("rate(\(selector(top, query.matchers))\(window))")) / \(grouped("rate(\(selector(bottom, denominatorMatchers))\(window))"))"
            return Plan(columns: [Column(name: "ratio", promQL: topped(expr), unit: .ratio)],
                        grouping: query.grouping, bucketMetric: nil, notes: notes)
        }
    }

    static func percentileName(_ q: Double) -> String {
        "p" + CompactTranslator.number(q * 100)
    }

    private func resolveHistogram(_ family: String) throws(QueryError) -> (String, Unit) {
        let base = family.hasSuffix("_bucket") ? String(family.dropLast(7)) : family
        for (candidate, unit) in [(base + "_bucket", Unit.seconds), (base + "_seconds_bucket", .seconds),
                                  (base + "_milliseconds_bucket", .milliseconds)] where metricNames.contains(candidate) {
            if base.hasSuffix("_milliseconds") { return (candidate, .milliseconds) }
            return (candidate, unit)
        }
        throw unknown(family, suffixes: ["_bucket", "_seconds_bucket", "_milliseconds_bucket"])
    }

    private func resolveCounter(_ family: String) throws(QueryError) -> String {
        if let name = resolveOptional(family) { return name }
        throw unknown(family, suffixes: ["", "_total"])
    }

    private func resolveOptional(_ family: String) -> String? {
        if metricNames.contains(family) { return family }
        if metricNames.contains(family + "_total") { return family + "_total" }
        return nil
    }

    private func unknown(_ family: String, suffixes: [String]) -> QueryError {
        let closest = NameSuggestions.closest(to: family, among: metricNames)
        let hint = closest.isEmpty ? "" : "; did you mean \(closest.map { "`\($0)`" }.joined(separator: " or "))?"
        return .invalidArgument("no series named \(suffixes.map { family + $0 }.joined(separator: ", ")) in the store\(hint)")
    }
}

/// Near-miss suggestions for names (`persistance_latency` → `persistence_latency`).
public enum NameSuggestions {
    /// Up to three names at the smallest edit distance (at most a third of the name's length), also
    /// matching family names with their `_bucket`/`_total`/`_count`/`_sum` suffix taken off.
    public static func closest(to name: String, among names: Set<String>, limit: Int = 3) -> [String] {
        var families = Set<String>()
        for n in names {
            families.insert(n)
            for suffix in ["_bucket", "_total", "_count", "_sum"] where n.hasSuffix(suffix) { families.insert(String(n.dropLast(suffix.count))) }
        }
        let target = Array(name.utf8)
        let scored = families.map { ($0, distance(target, Array($0.utf8))) }
            .filter { $0.1 <= max(2, target.count / 3) }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        return Array(scored.prefix(limit).map(\.0))
    }

    /// Levenshtein distance.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension CompactTranslator {
    /// A number as the translation writes it into PromQL: integers without a fraction, others in
    /// Swift's shortest form, rounded to nine decimals (so p99.9 is 0.999, not 0.9990000000000001).
    static func number(_ value: Double) -> String {
        let rounded = (value * 1e9).rounded() / 1e9
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(rounded)
    }
}
