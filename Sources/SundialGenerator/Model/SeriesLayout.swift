/// One family as it is written: its metadata lines and its series in output order.
struct FamilyLayout: Sendable {
    let family: MetricFamily
    let kind: FamilyKind
    /// `# HELP` and `# TYPE` lines of the Prometheus text format.
    let textHeader: [UInt8]
    /// The same for OpenMetrics (tally counters are typed `unknown` there: see ``TemporalCorpus``).
    let openMetricsHeader: [UInt8]
    /// Slots of this family's kind (counter, gauge or histogram numbers), sorted as client_golang sorts
    /// metrics: by label values in label-name order, bytewise.
    let members: [Int32]
}

/// The pre-rendered text of every possible sample line up to its value (`name{labels} `), with the
/// families in the order client_golang writes them (sorted by name).
///
/// Rendering a scrape is then a copy of a prefix and a formatted number per present series.
struct SeriesLayout: Sendable {
    var families: [FamilyLayout] = []
    /// Line prefixes, concatenated in output order.
    var prefixBytes: [UInt8] = []
    /// Start of each line's prefix in ``prefixBytes``; one more entry than lines.
    var prefixStarts: [Int32] = [0]
    /// First line of each counter, gauge and histogram slot (a histogram has `bucketCount + 3` lines).
    var counterLine: [Int32] = []
    var gaugeLine: [Int32] = []
    var histogramLine: [Int32] = []
}

/// Collects series (family + labels) while the catalogue is built, then sorts and renders them.
struct SeriesLayoutBuilder {
    private struct Pending {
        let slot: Int32
        let values: [[UInt8]]
        let labelText: [UInt8]
    }

    let naming: TemporalNaming
    let extraLabels: [(String, String)]
    let bucketBounds: [Double]
    private var pending: [[Pending]] = Array(repeating: [], count: MetricFamily.allCases.count)
    private(set) var counterCount: Int32 = 0
    private(set) var gaugeCount: Int32 = 0
    private(set) var histogramCount: Int32 = 0

    /// - Parameters:
    ///   - naming: the exporter naming.
    ///   - extraLabels: labels added verbatim to every series (the `instance` label of multi-instance
    ///     OpenMetrics output), not sanitised.
    ///   - bucketBoundsSeconds: finite histogram bounds in seconds.
    init(naming: TemporalNaming, extraLabels: [(String, String)], bucketBoundsSeconds: [Double]) {
        self.naming = naming
        self.extraLabels = extraLabels
        bucketBounds = bucketBoundsSeconds.map { $0 * naming.histogramUnitsPerSecond }
    }

    /// Registers a series and returns its slot number within its kind.
    /// - Parameters:
    ///   - family: the family.
    ///   - labels: raw Temporal label pairs (values are sanitised per naming); `service_name` included.
    mutating func add(_ family: MetricFamily, _ labels: [(String, String)]) -> Int32 {
        var all = labels.map { ($0.0, naming.labelValue($0.1)) }
        all += naming.scopeLabels
        all += extraLabels
        all.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        var text: [UInt8] = []
        for (i, (name, value)) in all.enumerated() {
            if i > 0 { text.append(0x2C) }
            text += Array(name.utf8)
            text += [0x3D, 0x22]
            SeriesLayoutBuilder.appendEscaped(value, to: &text)
            text.append(0x22)
        }
        let slot: Int32
        switch family.kind {
        case .counter:
            slot = counterCount
            counterCount += 1
        case .gauge:
            slot = gaugeCount
            gaugeCount += 1
        case .histogram:
            slot = histogramCount
            histogramCount += 1
        }
        pending[family.rawValue].append(Pending(slot: slot, values: all.map { Array($0.1.utf8) }, labelText: text))
        return slot
    }

    /// Sorts families and series and renders every line prefix.
    func build() -> SeriesLayout {
        var layout = SeriesLayout()
        layout.counterLine = Array(repeating: 0, count: Int(counterCount))
        layout.gaugeLine = Array(repeating: 0, count: Int(gaugeCount))
        layout.histogramLine = Array(repeating: 0, count: Int(histogramCount))
        let ordered = MetricFamily.allCases.sorted {
            naming.exposedName($0.baseName, kind: $0.kind).utf8
                .lexicographicallyPrecedes(naming.exposedName($1.baseName, kind: $1.kind).utf8)
        }
        var boundTexts: [[UInt8]] = bucketBounds.map { bound in
            var text: [UInt8] = []
            GoFloatFormat.append(bound, to: &text)
            return text
        }
        boundTexts.append(Array("+Inf".utf8))
        var line: Int32 = 0
        for family in ordered {
            let members = pending[family.rawValue].sorted { a, b in
                for (x, y) in zip(a.values, b.values) where x != y {
                    return x.lexicographicallyPrecedes(y)
                }
                return a.values.count < b.values.count
            }
            let name = Array(naming.exposedName(family.baseName, kind: family.kind).utf8)
            for member in members {
                switch family.kind {
                case .counter, .gauge:
                    if family.kind == .counter {
                        layout.counterLine[Int(member.slot)] = line
                    } else {
                        layout.gaugeLine[Int(member.slot)] = line
                    }
                    appendPrefix(name, suffix: [], labels: member.labelText, le: nil, to: &layout)
                    line += 1
                case .histogram:
                    layout.histogramLine[Int(member.slot)] = line
                    for bound in boundTexts {
                        appendPrefix(name, suffix: Array("_bucket".utf8), labels: member.labelText, le: bound, to: &layout)
                    }
                    appendPrefix(name, suffix: Array("_sum".utf8), labels: member.labelText, le: nil, to: &layout)
                    appendPrefix(name, suffix: Array("_count".utf8), labels: member.labelText, le: nil, to: &layout)
                    line += Int32(boundTexts.count + 2)
                }
            }
            layout.families.append(FamilyLayout(
                family: family, kind: family.kind,
                textHeader: header(family, name: name, openMetrics: false),
                openMetricsHeader: header(family, name: name, openMetrics: true),
                members: members.map(\.slot)
            ))
        }
        return layout
    }

    private func appendPrefix(_ name: [UInt8], suffix: [UInt8], labels: [UInt8], le: [UInt8]?, to layout: inout SeriesLayout) {
        layout.prefixBytes += name
        layout.prefixBytes += suffix
        if !labels.isEmpty || le != nil {
            layout.prefixBytes.append(0x7B)
            layout.prefixBytes += labels
            if let le {
                if !labels.isEmpty { layout.prefixBytes.append(0x2C) }
                layout.prefixBytes += Array("le=\"".utf8)
                layout.prefixBytes += le
                layout.prefixBytes.append(0x22)
            }
            layout.prefixBytes.append(0x7D)
        }
        layout.prefixBytes.append(0x20)
        layout.prefixStarts.append(Int32(layout.prefixBytes.count))
    }

    /// `# HELP` / `# TYPE` lines. Tally's help is `<name> <type>`; OpenTelemetry's is the defined description.
    private func header(_ family: MetricFamily, name: [UInt8], openMetrics: Bool) -> [UInt8] {
        let typeName: String
        switch family.kind {
        case .counter: typeName = "counter"
        case .gauge: typeName = "gauge"
        case .histogram: typeName = "histogram"
        }
        var metadataName = String(decoding: name, as: UTF8.self)
        var omType = typeName
        if openMetrics && family.kind == .counter {
            if naming == .tally {
                // An OpenMetrics counter's samples must end in _total; tally's do not, so the family is
                // declared `unknown`, whose sample name is the family name itself.
                omType = "unknown"
            } else {
                metadataName.removeLast("_total".count)
            }
        }
        let help = naming == .tally ? "\(family.baseName) \(typeName)" : family.definedDescription
        var text = ""
        if !(openMetrics && help.isEmpty) {
            text += "# HELP \(metadataName) \(help)\n"
        }
        text += "# TYPE \(metadataName) \(openMetrics ? omType : typeName)\n"
        return Array(text.utf8)
    }

    /// Prometheus text escaping of a label value: backslash, double quote and line feed.
    static func appendEscaped(_ value: String, to out: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case 0x5C: out += [0x5C, 0x5C]
            case 0x22: out += [0x5C, 0x22]
            case 0x0A: out += [0x5C, 0x6E]
            default: out.append(byte)
            }
        }
    }
}
