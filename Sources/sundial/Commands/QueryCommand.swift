import ArgumentParser
import Foundation
import Sundial

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Answer a query in the compact form or PromQL, with Prometheus 2.42 semantics.",
        discussion: """
            Compact form (docs/QUERY.md): p99 persistence_latency by operation
                                          p50,p95,p99 service_latency{namespace="default"} by operation over 10m
                                          rate service_requests by namespace
                                          increase workflow_failed by namespace over 24h
                                          errors persistence by operation
            PromQL: sum by (operation) (rate(persistence_requests[5m]))
            Without --at an instant query is evaluated at the newest sample; --since 6h or --from/--to give a range.
            --format json prints exactly the Prometheus HTTP API's JSON.
            Example: sundial query --since 6h 'p99 persistence_latency by operation'
            """)

    @OptionGroup var location: StoreLocation
    @Option(help: "Evaluate at this time (Unix seconds, RFC 3339, now, -1h).") var at: String?
    @Option(help: "Range start.") var from: String?
    @Option(help: "Range end (default: the newest sample).") var to: String?
    @Option(help: "Range step, e.g. 1m (default: about 100 points).") var step: String?
    @Option(help: "A range ending at the newest sample, e.g. 6h.") var since: String?
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
    @Flag(help: "Draw range results as sparklines even when not on a terminal.") var chart = false
    @Option(help: "Refuse queries touching more samples than this (default 50000000).") var maxSamples: Int?
    @Option(help: "Refuse queries selecting more series than this (default 1000000).") var maxSeries: Int?
    @Option(help: "Refuse queries holding more results than this, e.g. 512MiB, 8GiB (default 2GiB).") var maxMemory: String?
    @Argument(help: "The query.") var expression: String

    func validate() throws {
        if at != nil && (from != nil || since != nil) { throw ValidationError("give --at, or a range (--from/--to or --since), not both") }
        if from != nil && since != nil { throw ValidationError("give --from or --since, not both") }
    }

    func run() throws {
        let store = try location.open(writable: false)
        let snapshot = store.snapshot()
        warnAboutLeftOutBlocks(snapshot)
        let newest = snapshot.timeRange()?.maxTimeMs ?? TimeArgument.currentTimeMs()
        let time: QueryAnswer.Time
        if let from = from ?? since.map({ "-" + $0 }) {
            let endMs = try to.map(parseTime) ?? newest
            let startMs = since != nil ? endMs - (try parseDuration(from.dropFirst().description)) : try parseTime(from)
            guard startMs <= endMs else { throw ValidationError("the range starts after it ends") }
            let stepMs = try step.map(parseDuration) ?? max(1000, ((endMs - startMs) / 100 / 1000) * 1000)
            time = .range(startMs: startMs, endMs: endMs, stepMs: stepMs)
        } else {
            time = .instant(atMs: try at.map(parseTime) ?? newest)
        }
        let answer: QueryAnswer
        let options = try limits()
        do {
            answer = try QueryAnswer.evaluate(expression, on: snapshot, time: time, options: options)
        } catch {
            printError(QueryErrorText(query: expression, error: error).text)
            throw ExitCode(2)
        }
        let renderer = AnswerRenderer(answer: answer, sparklines: chart || isatty(STDOUT_FILENO) != 0)
        print(renderer.render(format))
        if format == .table {
            for note in answer.notes { printError("note: \(note)") }
            if answer.columns.allSatisfy(\.result.isEmpty) { printError("no series matched; check the names with `sundial stats`") }
        }
    }
}

extension QueryCommand {
    /// The engine's limits with this command's overrides.
    func limits() throws -> QueryOptions {
        var options = QueryOptions()
        if let maxSamples { options.maxSamples = maxSamples }
        if let maxSeries { options.maxSeries = maxSeries }
        if let maxMemory { options.maxMemoryBytes = try parseByteSize(maxMemory) }
        return options
    }
}

/// A query error as text, with a caret under the offending token for parse errors.
struct QueryErrorText {
    let query: String
    let error: QueryError

    var text: String {
        guard case let .parse(message, position) = error else { return "sundial: \(error.description)" }
        let bytes = Array(query.utf8)
        let clamped = min(max(position, 0), bytes.count)
        let column = String(decoding: bytes[..<clamped], as: UTF8.self).count
        return "sundial: parse error at column \(column + 1): \(message)\n  \(query)\n  " + String(repeating: " ", count: column) + "^"
    }
}

extension QueryResult {
    var isEmpty: Bool {
        switch self {
        case let .vector(v): v.isEmpty
        case let .matrix(m): m.isEmpty
        case .scalar, .string: false
        }
    }
}
