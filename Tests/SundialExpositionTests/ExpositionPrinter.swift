import SundialExposition

/// Writes generated families as text (with random but valid spacing in the text format) and records what a
/// parser must report for them.
struct ExpositionPrinter {
    let format: ExpositionFormat
    var rng: SeededGenerator
    private(set) var text = ""
    private(set) var line = 0
    private(set) var expectedSamples: [ParsedDocument.Sample] = []
    private(set) var expectedMetadata: [FamilyMetadata] = []

    init(format: ExpositionFormat, seed: UInt64) {
        self.format = format
        rng = SeededGenerator(seed: seed ^ 0x5EED)
    }

    private var om: Bool { format == .openMetrics }
    private mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    private mutating func pick<T>(_ choices: [T]) -> T { choices[Int.random(in: 0..<choices.count, using: &rng)] }

    /// A separator between tokens: one space in OpenMetrics, any run of blanks in the text format.
    private mutating func gap() -> String { om ? " " : pick([" ", "\t", "  ", " \t "]) }
    /// Optional blanks (text format only).
    private mutating func blanks() -> String { om || chance(0.7) ? "" : pick([" ", "\t", "  "]) }

    private mutating func emit(_ content: String) {
        let end = om ? "\n" : (chance(0.1) ? "\r\n" : "\n")
        text += content + end
        line += 1
    }

    private mutating func noise() {
        guard chance(0.15) else { return }
        if om || chance(0.5) {
            emit(pick(["# just a comment", "#", "# HELPless words", "#TYPE x y", "# EOFish"]))
        } else {
            emit(pick(["", "   ", "\t"]))
        }
    }

    static func escapeLabelValue(_ value: String) -> String {
        var out = ""
        for c in value.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    func escapeHelp(_ help: String) -> String {
        var out = ""
        for c in help.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where om: out += "\\\""
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    mutating func write(_ families: [ModelFamily]) {
        for family in families { write(family) }
        if om { emit("# EOF") }
    }

    private mutating func write(_ family: ModelFamily) {
        noise()
        var record = FamilyMetadata(name: family.name, type: om ? .unknown : .untyped)
        var lines: [(String, (inout FamilyMetadata) -> Void)] = []
        if let help = family.help {
            lines.append(("HELP \(family.name)" + (help.isEmpty && chance(0.5) ? "" : " " + escapeHelp(help)), { $0.help = help }))
        }
        if let type = family.type {
            lines.append(("TYPE \(family.name)\(gap())\(type.rawValue)", { $0.type = type }))
        }
        if let unit = family.unit {
            lines.append(("UNIT \(family.name)" + (unit.isEmpty ? "" : " " + unit), { $0.unit = unit }))
        }
        lines.shuffle(using: &rng)
        for (content, update) in lines {
            emit("#" + (om ? " " : gap()) + content)
            update(&record)
            expectedMetadata.append(record)
        }
        let familyType = family.type ?? (om ? .unknown : .untyped)
        for sample in family.samples {
            noise()
            write(sample, familyName: family.name, familyType: familyType)
        }
    }

    private mutating func write(_ sample: ModelSample, familyName: String, familyType: MetricType) {
        var series = sample.name
        if !sample.labels.isEmpty || chance(0.1) {
            if !om && chance(0.2) { series += pick([" ", "\t"]) }
            series += "{"
            for (k, label) in sample.labels.enumerated() {
                series += blanks() + label.name + blanks() + "=" + blanks()
                series += "\"" + Self.escapeLabelValue(label.value) + "\"" + blanks()
                if k < sample.labels.count - 1 || (!om && chance(0.2)) { series += "," }
            }
            series += blanks() + "}"
        }
        var content = blanks() + series + (om || !series.hasSuffix("}") || chance(0.8) ? gap() : "") + sample.valueText
        if let ts = sample.timestampText { content += gap() + ts }
        if let exemplar = sample.exemplar { content += " # " + exemplar }
        if chance(0.1) { content += pick([" ", "\t", "  "]) }
        emit(content)
        expectedSamples.append(ParsedDocument.Sample(
            name: sample.name, labels: sample.labels, value: sample.value, timestampMs: sample.timestampMs,
            line: line, familyName: familyName, familyType: familyType, seriesText: series))
    }
}
