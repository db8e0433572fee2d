import Foundation
import Yams

/// A YAML node with the path that led to it, so that every error names the field and its line.
struct YAMLField {
    let node: Node
    let path: String
    let file: String?

    func error(_ message: String) -> SLOSpecError {
        SLOSpecError(file: file, line: node.mark.map(\.line), field: path.isEmpty ? nil : path, message: message)
    }

    private func child(_ key: String, _ node: Node) -> YAMLField {
        YAMLField(node: node, path: path.isEmpty ? key : path + "." + key, file: file)
    }

    func has(_ key: String) -> Bool { node.mapping?[key] != nil }

    func required(_ key: String) throws(SLOSpecError) -> YAMLField {
        guard node.mapping != nil else { throw error("must be a mapping of keys to values") }
        guard let value = node.mapping?[key] else { throw error("is missing `\(key)`") }
        return child(key, value)
    }

    func optional(_ key: String) throws(SLOSpecError) -> YAMLField? {
        guard node.mapping != nil else { throw error("must be a mapping of keys to values") }
        return node.mapping?[key].map { child(key, $0) }
    }

    /// Rejects unknown keys, so that a typo (`objetive`) is an error rather than a silently ignored line.
    func allowOnly(_ keys: Set<String>) throws(SLOSpecError) {
        guard let mapping = node.mapping else { throw error("must be a mapping of keys to values") }
        for (key, value) in mapping {
            let name = key.string ?? "?"
            if !keys.contains(name) {
                throw child(name, value).error("is not a known key; expected one of \(keys.sorted().joined(separator: ", "))")
            }
        }
    }

    func elements() throws(SLOSpecError) -> [YAMLField] {
        guard let sequence = node.sequence else { throw error("must be a list") }
        return sequence.enumerated().map { YAMLField(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    func string() throws(SLOSpecError) -> String {
        guard let scalar = node.scalar else { throw error("must be a text value") }
        let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw error("must not be empty") }
        return text
    }

    func number() throws(SLOSpecError) -> Double {
        let text = try string()
        guard let value = Double(text), value.isFinite else { throw error("must be a number, got \(text)") }
        return value
    }

    /// A fraction strictly between 0 and 1; `99.9%` is accepted as 0.999.
    func objective() throws(SLOSpecError) -> Double {
        let text = try string()
        let value: Double?
        if text.hasSuffix("%") { value = Double(text.dropLast().trimmingCharacters(in: .whitespaces)).map { $0 / 100 } }
        else { value = Double(text) }
        guard let value, value > 0, value < 1 else {
            throw error("must be a fraction between 0 and 1 exclusive (0.999) or a percentage (99.9%), got \(text)")
        }
        return value
    }

    /// A duration such as `30d`, `28d`, `6h`, in whole seconds.
    func durationSeconds() throws(SLOSpecError) -> Int64 {
        let text = try string()
        guard let ms = SLODuration.milliseconds(text), ms >= 1000 else {
            throw error("must be a duration such as 30d, 28d or 6h, got \(text)")
        }
        return ms / 1000
    }

    /// A latency threshold: a number in seconds, or a duration such as `500ms` or `1s`.
    func durationOrSeconds() throws(SLOSpecError) -> Double {
        let text = try string()
        if let value = Double(text), value.isFinite, value > 0 { return value }
        if let ms = SLODuration.milliseconds(text), ms > 0 { return Double(ms) / 1000 }
        throw error("must be a positive number of seconds (0.5) or a duration (500ms), got \(text)")
    }

    /// An event query: one selector or query, or a list of selectors whose events add up.
    func eventQuery() throws(SLOSpecError) -> EventQuery {
        if node.sequence != nil { return .selectors(try elements().map { item throws(SLOSpecError) in try item.string() }) }
        return EventQuery(try string())
    }

    /// A list of label names, or one name.
    func stringList() throws(SLOSpecError) -> [String] {
        let names: [String]
        if node.sequence != nil { names = try elements().map { item throws(SLOSpecError) in try item.string() } }
        else { names = try string().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        for name in names where !Self.isLabelName(name) { throw error("\(name) is not a label name") }
        return names
    }

    static func isLabelName(_ name: String) -> Bool {
        func isLetter(_ c: Unicode.Scalar) -> Bool { c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        guard let first = name.unicodeScalars.first, isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }
}
