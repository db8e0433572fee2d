import Foundation
import Sundial

/// The demo's closing answers: the headline queries, evaluated on the demo store.
struct DemoAnswers {
    let store: Store

    static let queries = [
        "p99 persistence_latency by operation",
        "top 5 service_error_with_type / service_requests by operation",
        "rate service_requests by namespace",
        "increase workflow_failed by namespace over 1h",
    ]

    func render() -> String {
        let snapshot = store.snapshot()
        var sections: [String] = []
        for query in Self.queries {
            do {
                let answer = try QueryAnswer.evaluate(query, on: snapshot)
                var table = AnswerRenderer(answer: answer, sparklines: false).render(.table)
                let lines = table.split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count > 9 { table = lines.prefix(9).joined(separator: "\n") + "\n… (\(lines.count - 9) more rows)" }
                let promQL = answer.columns.map(\.promQL).joined(separator: "\n  ")
                sections.append("$ sundial query '\(query)'\n  = \(promQL)\n\n\(table)")
            } catch {
                sections.append("$ sundial query '\(query)'\n\(error)")
            }
        }
        return sections.joined(separator: "\n\n")
    }
}
