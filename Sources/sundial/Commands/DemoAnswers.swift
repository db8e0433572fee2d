import Foundation
import Sundial

/// The demo's closing answers, read straight from the store.
struct DemoAnswers {
    let store: Store

    func render() -> String {
        let snapshot = store.snapshot()
        var lines: [String] = []
        let operations = snapshot.labelValues(for: "operation")
        lines.append("The store holds \(snapshot.metricNames().count) metric names and \(operations.count) operations.")
        let metadata = snapshot.metadata()
        let histograms = metadata.values.filter { $0.kind == .histogram }.map(\.name).sorted()
        lines.append("Histograms: " + histograms.joined(separator: ", "))
        let counters = metadata.values.filter { $0.kind == .counter }.map(\.name).sorted()
        lines.append("Counters: " + counters.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
