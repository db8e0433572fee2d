import Foundation
import Sundial

/// Renders a ``QueryAnswer`` as an aligned table with units, CSV, or the Prometheus API's JSON.
struct AnswerRenderer {
    let answer: QueryAnswer
    let sparklines: Bool

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .json: return json()
        case .csv: return csv()
        case .table: return table()
        }
    }

    /// One column: exactly the engine's result. Several (p50,p95,p99): one vector or matrix whose series
    /// carry a `quantile` (or `column`) label, so the output is still the API's shape.
    private func json() -> String {
        if answer.columns.count == 1, let only = answer.columns.first { return PrometheusJSON.render(only.result) }
        var vector: [InstantSample] = []
        var matrix: [RangeSeries] = []
        for column in answer.columns {
            let label = column.name.hasPrefix("p") ? "quantile" : "column"
            let value = column.name.hasPrefix("p") ? String(Double(column.name.dropFirst()).map { $0 / 100 } ?? 0) : column.name
            switch column.result {
            case let .vector(samples):
                vector += samples.map { InstantSample($0.labels.setting(label, to: value), timestampMs: $0.timestampMs, value: $0.value) }
            case let .matrix(series):
                matrix += series.map { RangeSeries($0.labels.setting(label, to: value), $0.samples) }
            default: break
            }
        }
        if case .range = answer.time { return PrometheusJSON.render(.matrix(matrix)) }
        return PrometheusJSON.render(.vector(vector))
    }

    private func labelText(_ labels: LabelSet, grouping: Bool) -> String {
        let shown = labels.labels.filter { $0.name != "__name__" || !grouping }
        if shown.isEmpty { return "{}" }
        return shown.map { $0.name == "__name__" ? $0.value : "\($0.name)=\($0.value)" }.joined(separator: " ")
    }

    private func table() -> String {
        if case .range = answer.time { return rangeTable() }
        if answer.rows.isEmpty {
            if answer.columns.count == 1, case let .scalar(_, v) = answer.columns[0].result { return format(v, nil) }
            return "(no data)"
        }
        let labelNames = Array(Set(answer.rows.flatMap { $0.labels.labels.map(\.name) })).sorted { a, b in
            a == "__name__" ? true : b == "__name__" ? false : a < b
        }
        var table = TextTable(labelNames.map { $0 == "__name__" ? "metric" : $0 } + answer.columns.map(\.name))
        let sorted = answer.rows.sorted { ($0.values.first ?? 0).isNaN ? false : ($1.values.first ?? 0).isNaN ? true : ($0.values.first ?? 0) > ($1.values.first ?? 0) }
        for row in sorted {
            var cells = labelNames.map { row.labels[$0] ?? "" }
            for (c, value) in row.values.enumerated() {
                var cell = format(value, answer.columns[c].unit)
                if let bounds = row.bounds[c], let unit = answer.columns[c].unit {
                    cell += " (\(format(bounds.lower, unit)) to \(format(bounds.upper, unit)))"
                }
                cells.append(cell)
            }
            table.add(cells)
        }
        var text = table.render()
        if answer.rows.contains(where: { $0.bounds.contains { $0 != nil } }) {
            text += "\n(percentiles are interpolated inside the histogram bucket shown in brackets)"
        }
        return text
    }

    private func rangeTable() -> String {
        var table = TextTable(["series", "column", "min", "max", "last"] + (sparklines ? ["trend"] : []))
        for column in answer.columns {
            guard case let .matrix(series) = column.result else { continue }
            for one in series {
                let values = one.samples.map(\.value).filter { !$0.isNaN }
                var cells = [labelText(one.labels, grouping: answer.isCompact), column.name,
                             format(values.min() ?? .nan, column.unit), format(values.max() ?? .nan, column.unit),
                             format(one.samples.last?.value ?? .nan, column.unit)]
                if sparklines { cells.append(Sparkline.draw(one.samples.map(\.value), width: 40)) }
                table.add(cells)
            }
        }
        return table.rows.isEmpty ? "(no data)" : table.render()
    }

    private func csv() -> String {
        switch answer.time {
        case .instant:
            let labelNames = Array(Set(answer.rows.flatMap { $0.labels.labels.map(\.name) })).sorted()
            var lines = [CSV.line(labelNames + answer.columns.map(\.name))]
            for row in answer.rows {
                lines.append(CSV.line(labelNames.map { row.labels[$0] ?? "" } + row.values.map { String($0) }))
            }
            return lines.joined(separator: "\n")
        case .range:
            var text = CSV.line(["series", "column", "timestamp", "value"])
            for column in answer.columns {
                guard case let .matrix(series) = column.result else { continue }
                for one in series {
                    // Numbers never need quoting: the series' two cells are quoted once for all its rows.
                    let prefix = "\n" + CSV.line([one.labels.description, column.name]) + ","
                    for sample in one.samples {
                        text += prefix
                        text += String(Double(sample.timestampMs) / 1000)
                        text += ","
                        text += String(sample.value)
                    }
                }
            }
            return text
        }
    }

    /// A value with its unit: latency in ms, rates per second, ratios in percent.
    func format(_ value: Double, _ unit: CompactTranslator.Unit?) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        switch unit {
        case .seconds?: return milliseconds(value * 1000)
        case .milliseconds?: return milliseconds(value)
        case .perSecond?: return significant(value) + "/s"
        case .ratio?: return significant(value * 100) + "%"
        case .count?: return significant(value)
        case nil: return significant(value)
        }
    }

    private func milliseconds(_ ms: Double) -> String {
        ms >= 1000 ? significant(ms / 1000) + " s" : significant(ms) + " ms"
    }

    /// Four significant digits, no exponent for everyday magnitudes.
    private func significant(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e9 || magnitude < 1e-6 { return String(format: "%.4g", value) }
        let decimals = max(0, 3 - Int(floor(log10(magnitude))))
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}

/// Unicode block sparklines.
enum Sparkline {
    static func draw(_ values: [Double], width: Int) -> String {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max(), !values.isEmpty else { return "" }
        let blocks = Array("▁▂▃▄▅▆▇█")
        let stride = max(1, Int((Double(values.count) / Double(width)).rounded(.up)))
        var out = ""
        var i = 0
        while i < values.count {
            let chunk = values[i..<min(i + stride, values.count)].filter(\.isFinite)
            if let v = chunk.max() {
                let level = high > low ? Int(((v - low) / (high - low)) * Double(blocks.count - 1)) : 0
                out.append(blocks[max(0, min(blocks.count - 1, level))])
            } else {
                out.append(" ")
            }
            i += stride
        }
        return out
    }
}
