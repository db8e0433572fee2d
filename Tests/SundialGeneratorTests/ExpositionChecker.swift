/// A deliberately small reader of the text the generator writes, for tests: it parses every line, and
/// records every way the text departs from what client_golang would print.
struct ParsedSample: Hashable {
    let name: String
    /// Label pairs in the order written.
    let labels: [Label]
    let valueText: String
    let value: Double
    /// The OpenMetrics timestamp text, if any.
    let timestampText: String?

    struct Label: Hashable {
        let name: String
        let value: String
    }

    subscript(_ label: String) -> String? { labels.first { $0.name == label }?.value }

    /// The series identity without `le`: name plus labels.
    var seriesKey: String { name + "{" + labels.map { "\($0.name)=\($0.value)" }.joined(separator: ",") + "}" }

    /// Name and labels minus `le` and the histogram suffix: the histogram a bucket line belongs to.
    var histogramKey: String {
        var base = name
        for suffix in ["_bucket", "_sum", "_count"] where base.hasSuffix(suffix) {
            base.removeLast(suffix.count)
        }
        return base + "{" + labels.filter { $0.name != "le" }.map { "\($0.name)=\($0.value)" }.joined(separator: ",") + "}"
    }
}

struct ParsedScrape {
    var samples: [ParsedSample] = []
    /// Family name → type, in order of their `# TYPE` lines.
    var types: [(name: String, type: String)] = []
    var problems: [String] = []

    var sampleCount: Int { samples.count }

    /// Samples by series key (`name{labels}`), for comparing scrapes.
    var valuesByKey: [String: Double] {
        var map: [String: Double] = [:]
        for s in samples { map[s.seriesKey] = s.value }
        return map
    }
}

enum ExpositionChecker {
    /// Parses Prometheus text (or OpenMetrics with `openMetrics`), checking line syntax, label order
    /// (sorted by name, `le` last), family order (sorted by name, samples after their `# TYPE`), and the
    /// order of series within a family (by label values, bytewise).
    static func parse(_ bytes: [UInt8], openMetrics: Bool = false) -> ParsedScrape {
        var result = ParsedScrape()
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() } else { result.problems.append("text does not end with a newline") }
        var currentFamily: String?
        var currentType = ""
        var previousSeriesValues: [String]?
        for (number, lineSub) in lines.enumerated() {
            let line = String(lineSub)
            if line.hasPrefix("# HELP ") { continue }
            if line.hasPrefix("# EOF") {
                if !openMetrics || number != lines.count - 1 { result.problems.append("misplaced # EOF at line \(number + 1)") }
                continue
            }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4 else {
                    result.problems.append("bad TYPE line \(number + 1): \(line)")
                    continue
                }
                let name = String(parts[2])
                if !openMetrics, let last = result.types.last?.name, !last.utf8.lexicographicallyPrecedes(name.utf8) {
                    result.problems.append("family \(name) after \(last): not sorted or repeated")
                }
                result.types.append((name, String(parts[3])))
                currentFamily = name
                currentType = String(parts[3])
                previousSeriesValues = nil
                continue
            }
            guard let sample = parseSample(line, openMetrics: openMetrics) else {
                result.problems.append("unparsable line \(number + 1): \(line)")
                continue
            }
            if !openMetrics {
                guard let family = currentFamily, belongs(sample.name, to: family, type: currentType) else {
                    result.problems.append("sample \(sample.name) outside its family at line \(number + 1)")
                    continue
                }
                let names = sample.labels.map(\.name)
                let withoutLe = names.filter { $0 != "le" }
                if withoutLe != withoutLe.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                    result.problems.append("labels not sorted at line \(number + 1)")
                }
                if names.contains("le") && names.last != "le" {
                    result.problems.append("le not last at line \(number + 1)")
                }
                // Series order: label values (le excluded) non-decreasing within the family.
                let values = sample.labels.filter { $0.name != "le" }.map(\.value)
                if let previous = previousSeriesValues, values != previous,
                   !previous.lexicographicallyPrecedes(values, by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                    result.problems.append("series out of order at line \(number + 1)")
                }
                previousSeriesValues = values
            }
            result.samples.append(sample)
        }
        return result
    }

    /// The `name{labels}` part of every sample line, found by scanning bytes (fast in debug builds).
    static func seriesKeys(_ bytes: [UInt8]) -> Set<String> {
        var keys = Set<String>()
        forEachSample(bytes) { key, _ in keys.insert(String(decoding: key, as: UTF8.self)) }
        return keys
    }

    /// Sum of sample values per metric name, found by scanning bytes.
    static func totalsByName(_ bytes: [UInt8]) -> [String: Double] {
        var totals: [String: Double] = [:]
        forEachSample(bytes) { key, value in
            let end = key.firstIndex(of: 0x7B) ?? key.endIndex
            totals[String(decoding: key[key.startIndex..<end], as: UTF8.self), default: 0] += value
        }
        return totals
    }

    /// Calls `body` with the series part (`name{labels}`) and value of every sample line.
    static func forEachSample(_ bytes: [UInt8], _ body: (ArraySlice<UInt8>, Double) -> Void) {
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            if bytes[start] != 0x23, let space = bytes[start..<end].lastIndex(of: 0x20),
               let value = Double(String(decoding: bytes[(space + 1)..<end], as: UTF8.self)) {
                body(bytes[start..<space], value)
            }
            start = end + 1
        }
    }

    static func belongs(_ sample: String, to family: String, type: String) -> Bool {
        switch type {
        case "histogram": return [family + "_bucket", family + "_sum", family + "_count"].contains(sample)
        default: return sample == family
        }
    }

    /// Parses `name{a="x",b="y"} value [timestamp]`.
    static func parseSample(_ line: String, openMetrics: Bool) -> ParsedSample? {
        let bytes = Array(line.utf8)
        var i = 0
        while i < bytes.count, isNameByte(bytes[i]) { i += 1 }
        guard i > 0 else { return nil }
        let name = String(decoding: bytes[0..<i], as: UTF8.self)
        var labels: [ParsedSample.Label] = []
        if i < bytes.count, bytes[i] == 0x7B {
            i += 1
            while i < bytes.count, bytes[i] != 0x7D {
                let start = i
                while i < bytes.count, isNameByte(bytes[i]) { i += 1 }
                guard i > start, i + 1 < bytes.count, bytes[i] == 0x3D, bytes[i + 1] == 0x22 else { return nil }
                let labelName = String(decoding: bytes[start..<i], as: UTF8.self)
                i += 2
                var value: [UInt8] = []
                while i < bytes.count, bytes[i] != 0x22 {
                    if bytes[i] == 0x5C, i + 1 < bytes.count {
                        i += 1
                        value.append(bytes[i] == 0x6E ? 0x0A : bytes[i])
                    } else {
                        value.append(bytes[i])
                    }
                    i += 1
                }
                guard i < bytes.count else { return nil }
                i += 1
                labels.append(.init(name: labelName, value: String(decoding: value, as: UTF8.self)))
                if i < bytes.count, bytes[i] == 0x2C { i += 1 }
            }
            guard i < bytes.count else { return nil }
            i += 1
        }
        guard i < bytes.count, bytes[i] == 0x20 else { return nil }
        let rest = String(decoding: bytes[(i + 1)...], as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
        guard rest.count == (openMetrics ? 2 : 1), let value = Double(rest[0]) else { return nil }
        return ParsedSample(
            name: name, labels: labels, valueText: String(rest[0]), value: value,
            timestampText: openMetrics ? String(rest[1]) : nil
        )
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x3A
    }
}
