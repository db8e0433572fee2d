import Foundation
import Yams

/// Reads OpenSLO v1 `kind: SLO` documents with an inline `ratioMetric` indicator and `Occurrences` budgeting
/// (github.com/OpenSLO/OpenSLO). Other kinds (`Service`, `SLI`, `AlertPolicy`, …) are skipped; what Sundial cannot
/// evaluate yet (`thresholdMetric`, `indicatorRef`, `Timeslices`, calendar windows) is an error that says so.
///
/// Grouping is not part of OpenSLO; Sundial reads it from the annotation `sundial/by: namespace,operation`.
enum OpenSLOReader {
    static func read(_ document: YAMLField) throws(SLOSpecError) -> SLOSpec? {
        let apiVersion = try document.required("apiVersion").string()
        guard apiVersion == "openslo/v1" else { throw document.error("apiVersion \(apiVersion) is not supported; expected openslo/v1") }
        guard try document.required("kind").string() == "SLO" else { return nil }
        let metadata = try document.required("metadata")
        let name = try metadata.required("name").string()
        var groupBy: [String] = []
        if let annotations = try metadata.optional("annotations"), let by = try annotations.optional("sundial/by") {
            groupBy = try by.stringList()
        }
        let spec = try document.required("spec")
        if let method = try spec.optional("budgetingMethod") {
            let text = try method.string()
            guard text == "Occurrences" else { throw method.error("\(text) is not supported yet; use Occurrences") }
        }
        if spec.has("indicatorRef") { throw spec.error("indicatorRef is not supported yet; give the indicator inline") }
        let indicatorSpec = try spec.required("indicator").required("spec")
        if indicatorSpec.has("thresholdMetric") { throw indicatorSpec.error("thresholdMetric is not supported yet; use ratioMetric") }
        let ratio = try indicatorSpec.required("ratioMetric")
        if let counter = try ratio.optional("counter"), try counter.string() == "false" {
            throw counter.error("only counters are supported (counter: true)")
        }
        let good = try ratio.optional("good").map { f throws(SLOSpecError) in try query(f) }
        let bad = try ratio.optional("bad").map { f throws(SLOSpecError) in try query(f) }
        guard (good == nil) != (bad == nil) else { throw ratio.error("give good or bad, exactly one") }
        let total = try query(try ratio.required("total"))

        let windows = try spec.required("timeWindow").elements()
        guard let window = windows.first, windows.count == 1 else { throw spec.error("timeWindow must hold exactly one window") }
        if window.has("calendar") { throw window.error("calendar windows are not supported yet; use isRolling: true") }
        if let rolling = try window.optional("isRolling"), try rolling.string() == "false" {
            throw rolling.error("only rolling windows are supported (isRolling: true)")
        }
        let period = try window.required("duration").durationSeconds()

        let objectives = try spec.required("objectives").elements()
        guard let objective = objectives.first, objectives.count == 1 else { throw spec.error("objectives must hold exactly one objective") }
        let target: Double
        if let percent = try objective.optional("targetPercent") {
            let value = try percent.number()
            guard value > 0, value < 100 else { throw percent.error("must be between 0 and 100 exclusive, got \(value)") }
            target = value / 100
        } else {
            target = try objective.required("target").objective()
        }
        return SLOSpec(name: name, description: try spec.optional("description")?.string(), objective: target,
                       periodSeconds: period, groupBy: groupBy,
                       indicator: .ratio(RatioIndicator(good: good, bad: bad, total: total)))
    }

    private static func query(_ field: YAMLField) throws(SLOSpecError) -> EventQuery {
        let source = try field.required("metricSource")
        if let type = try source.optional("type") {
            let text = try type.string()
            guard text.lowercased() == "prometheus" else { throw type.error("metric source \(text) is not supported; use Prometheus") }
        }
        return EventQuery(try source.required("spec").required("query").string())
    }
}
