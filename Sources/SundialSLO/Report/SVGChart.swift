import Foundation

/// An inline SVG line chart over time: value ticks and grid on the left, time labels below, dashed reference lines,
/// shaded time bands (incidents), and lines that break where a value is missing. No scripts, no external resources.
struct SVGChart {
    /// One line.
    struct Line {
        var name: String
        var color: String
        var values: [Double?]
        /// Fill the area between the line and zero.
        var area = false
        /// The colour of the line (and area) below zero; nil keeps `color`.
        var negativeColor: String? = nil
    }

    /// A horizontal reference line (an objective, a threshold).
    struct Reference {
        var value: Double
        var color: String
        var label: String
    }

    /// Linear or base-10 logarithmic values.
    enum Scale { case linear, log }

    /// Unique on the page (names the gradients).
    var id: String
    var title: String
    var timesMs: [Int64]
    var lines: [Line]
    var references: [Reference] = []
    var bands: [(startMs: Int64, endMs: Int64)] = []
    var scale: Scale = .linear
    /// Formats a tick value.
    var tick: (Double) -> String
    /// Values the y axis must include besides the data (0 for a budget, 1 for an SLI).
    var include: [Double] = []
    var width = 560
    var height = 210

    private let left = 62.0, right = 14.0, top = 12.0, bottom = 28.0

    func render() -> String {
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        let (low, high) = yRange()
        let start = timesMs.first ?? 0, end = max(timesMs.last ?? 1, start + 1)
        func x(_ t: Int64) -> Double { left + plotWidth * Double(t - start) / Double(end - start) }
        func y(_ v: Double) -> Double {
            let value = transform(v)
            return top + plotHeight * (1 - (value - low) / (high - low))
        }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\">"
        for band in bands {
            let x0 = max(x(band.startMs), left), x1 = min(x(band.endMs), left + plotWidth)
            guard x1 >= x0 else { continue }
            svg += rect(x0, top, max(x1 - x0, 2), plotHeight, "fill=\"\(ReportPalette.incidentBand)\"")
        }
        for value in ticks(low, high) {
            let py = top + plotHeight * (1 - (value - low) / (high - low))
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(py))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(py))\" class=\"grid\"/>"
            let label = tick(scale == .log ? pow(10, value) : value)
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(py + 4))\" class=\"ytick\">\(HTMLText.escape(label))</text>"
        }
        for time in timeTicks(start, end) {
            let px = x(time)
            svg += "<line x1=\"\(f(px))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(px))\" y2=\"\(f(top + plotHeight + 4))\" class=\"axis\"/>"
            svg += "<text x=\"\(f(px))\" y=\"\(f(top + plotHeight + 18))\" class=\"xtick\">"
                + HTMLText.escape(HTMLText.axisTime(time, rangeMs: end - start)) + "</text>"
        }
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(top + plotHeight))\" class=\"axis\"/>"
        let zeroY = scale == .log ? top + plotHeight : y(max(min(0, high), low))
        for (index, line) in lines.enumerated() where line.negativeColor != nil {
            let offset = max(0, min(1, (zeroY - top) / plotHeight))
            svg += "<defs><linearGradient id=\"\(id)-\(index)\" gradientUnits=\"userSpaceOnUse\" x1=\"0\" y1=\"\(f(top))\" "
                + "x2=\"0\" y2=\"\(f(top + plotHeight))\"><stop offset=\"\(f(offset * 100))%\" stop-color=\"\(line.color)\"/>"
                + "<stop offset=\"\(f(offset * 100))%\" stop-color=\"\(line.negativeColor ?? line.color)\"/></linearGradient></defs>"
        }
        for (index, line) in lines.enumerated() where line.area {
            svg += area(line, paint: paint(line, index), x: x, y: y, zeroY: zeroY)
        }
        for reference in references where transform(reference.value) >= low && transform(reference.value) <= high {
            let py = y(reference.value)
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(py))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(py))\" "
                + "stroke=\"\(reference.color)\" class=\"reference\"/>"
            svg += "<text x=\"\(f(left + plotWidth - 4))\" y=\"\(f(py - 4))\" class=\"reflabel\" fill=\"\(reference.color)\">"
                + HTMLText.escape(reference.label) + "</text>"
        }
        for (index, line) in lines.enumerated() {
            svg += "<path d=\"\(path(line.values, x: x, y: y))\" stroke=\"\(paint(line, index))\" class=\"line\"/>"
        }
        return svg + "</svg>"
    }

    private func paint(_ line: Line, _ index: Int) -> String {
        line.negativeColor == nil ? line.color : "url(#\(id)-\(index))"
    }

    private func transform(_ v: Double) -> Double { scale == .log ? log10(max(v, 0.01)) : v }

    /// The y range: the data, the references and `include`, padded by 8 %, on nice tick values.
    private func yRange() -> (Double, Double) {
        var values = lines.flatMap { $0.values.compactMap { $0 } }.filter(\.isFinite).map(transform)
        values += references.map { transform($0.value) } + include.map(transform)
        guard var low = values.min(), var high = values.max() else { return (0, 1) }
        if high - low < 1e-12 { (low, high) = (low - max(abs(low) * 0.01, 0.001), high + max(abs(high) * 0.01, 0.001)) }
        let pad = (high - low) * 0.08
        let ticks = ticks(low - pad, high + pad)
        return (min(low - pad, ticks.first ?? low), max(high + pad, ticks.last ?? high))
    }

    /// About six nice values (1, 2, 5 × 10ⁿ apart) from `low` to `high`; whole powers of ten on a log scale.
    private func ticks(_ low: Double, _ high: Double) -> [Double] {
        if scale == .log { return stride(from: ceil(low), through: floor(high), by: 1).map { $0 } }
        let raw = (high - low) / 6
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        return stride(from: ceil(low / step) * step, through: high + step * 1e-9, by: step).map { $0 }
    }

    /// Six-ish time ticks on whole hours or days.
    private func timeTicks(_ start: Int64, _ end: Int64) -> [Int64] {
        let candidates: [Int64] = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000,
                                   43_200_000, 86_400_000, 2 * 86_400_000, 7 * 86_400_000, 14 * 86_400_000]
        let wanted = (end - start) / 6
        let step = candidates.first { $0 >= wanted } ?? 30 * 86_400_000
        let first = (start + step - 1) / step * step
        return Array(stride(from: first, through: end, by: Int(step)))
    }

    private func path(_ values: [Double?], x: (Int64) -> Double, y: (Double) -> Double) -> String {
        var d = ""
        var drawing = false
        for (index, value) in values.enumerated() where index < timesMs.count {
            guard let value, value.isFinite else { drawing = false; continue }
            d += (drawing ? "L" : "M") + f(x(timesMs[index])) + " " + f(y(value))
            drawing = true
        }
        return d.isEmpty ? "M0 0" : d
    }

    /// The area between the line and zero, and a red tint over the plot below zero.
    private func area(_ line: Line, paint: String, x: (Int64) -> Double, y: (Double) -> Double, zeroY: Double) -> String {
        var out = ""
        var run: [(Double, Double)] = []
        func flush() {
            guard let first = run.first, let last = run.last else { return }
            var d = "M\(f(first.0)) \(f(zeroY))"
            for point in run { d += "L\(f(point.0)) \(f(point.1))" }
            d += "L\(f(last.0)) \(f(zeroY))Z"
            out += "<path d=\"\(d)\" fill=\"\(paint)\" class=\"area\"/>"
            run = []
        }
        for (index, value) in line.values.enumerated() where index < timesMs.count {
            guard let value, value.isFinite else { flush(); continue }
            run.append((x(timesMs[index]), y(value)))
        }
        flush()
        let below = Double(height) - bottom - zeroY
        if below > 0.5 {
            out += rect(left, zeroY, Double(width) - left - right, below, "fill=\"\(ReportPalette.overspentBand)\"")
        }
        return out
    }

    private func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ attributes: String) -> String {
        "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(h))\" \(attributes)/>"
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
