import Foundation
import Yams

/// Reads SLO specs from YAML: Sundial's own format (a `slos:` list) and OpenSLO v1 `kind: SLO` documents, in one file
/// or several documents separated by `---`. Format: docs/SLO.md.
///
/// ```swift
/// let specs = try SLOSpecReader.read(contentsOf: "slos.yaml")
/// ```
public enum SLOSpecReader {
    /// Reads the file at `path`.
    /// - Throws: ``SLOSpecError`` naming the file, the line and the field.
    public static func read(contentsOf path: String) throws(SLOSpecError) -> [SLOSpec] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw SLOSpecError(file: path, message: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text, file: path)
    }

    /// Parses YAML text.
    /// - Parameter file: the name to put in errors.
    /// - Throws: ``SLOSpecError`` naming the line and the field.
    public static func parse(_ text: String, file: String? = nil) throws(SLOSpecError) -> [SLOSpec] {
        var specs: [SLOSpec] = []
        do {
            let parser = try Parser(yaml: text)
            while let root = try parser.nextRoot() {
                let document = YAMLField(node: root, path: "", file: file)
                if root.mapping?["apiVersion"] != nil || root.mapping?["kind"] != nil {
                    if let spec = try OpenSLOReader.read(document) { specs.append(spec) }
                } else {
                    specs += try readNative(document)
                }
            }
        } catch let error as SLOSpecError {
            throw error
        } catch let error as YamlError {
            throw SLOSpecError(file: file, line: yamlLine(error), message: "not valid YAML: \(yamlProblem(error))")
        } catch {
            throw SLOSpecError(file: file, message: "not valid YAML: \(error)")
        }
        var seen = Set<String>()
        for spec in specs where !seen.insert(spec.name).inserted {
            throw SLOSpecError(file: file, message: "two SLOs are named \(spec.name); names must be unique")
        }
        if specs.isEmpty { throw SLOSpecError(file: file, message: "no SLOs found; expected a `slos:` list or OpenSLO `kind: SLO` documents") }
        return specs
    }

    private static func readNative(_ document: YAMLField) throws(SLOSpecError) -> [SLOSpec] {
        let list = try document.required("slos")
        return try list.elements().map { item throws(SLOSpecError) in try readNativeSLO(item) }
    }

    private static func readNativeSLO(_ item: YAMLField) throws(SLOSpecError) -> SLOSpec {
        try item.allowOnly(["name", "description", "objective", "window", "by", "availability", "latency", "ratio"])
        let name = try item.required("name").string()
        let objective = try item.required("objective").objective()
        let period = try item.optional("window")?.durationSeconds() ?? 30 * 86_400
        let groupBy = try item.optional("by")?.stringList() ?? []
        let kinds = ["availability", "latency", "ratio"].filter { item.has($0) }
        guard kinds.count == 1 else {
            throw item.error(kinds.isEmpty ? "needs an indicator: one of availability, latency or ratio"
                                           : "has \(kinds.joined(separator: " and ")); give exactly one indicator")
        }
        let indicator: SLOIndicator
        switch kinds[0] {
        case "availability":
            let field = try item.required("availability")
            try field.allowOnly(["errors", "requests", "good"])
            let total = try field.required("requests").eventQuery()
            let errors = try field.optional("errors")?.eventQuery()
            let good = try field.optional("good")?.eventQuery()
            guard (errors == nil) != (good == nil) else { throw field.error("give errors or good, exactly one") }
            indicator = .ratio(RatioIndicator(good: good, bad: errors, total: total))
        case "ratio":
            let field = try item.required("ratio")
            try field.allowOnly(["good", "bad", "total"])
            let good = try field.optional("good")?.eventQuery()
            let bad = try field.optional("bad")?.eventQuery()
            guard (bad == nil) != (good == nil) else { throw field.error("give good or bad, exactly one") }
            indicator = .ratio(RatioIndicator(good: good, bad: bad, total: try field.required("total").eventQuery()))
        default:
            let field = try item.required("latency")
            try field.allowOnly(["histogram", "threshold"])
            let threshold = try field.required("threshold").durationOrSeconds()
            indicator = .latency(LatencyIndicator(histogram: try field.required("histogram").string(), threshold: threshold))
        }
        return SLOSpec(name: name, description: try item.optional("description")?.string(), objective: objective,
                       periodSeconds: period, groupBy: groupBy, indicator: indicator)
    }

    private static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): mark.line
        default: nil
        }
    }

    private static func yamlProblem(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _): problem
        default: "\(error)"
        }
    }
}
