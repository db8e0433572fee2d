import Foundation

/// One group's panel: status pill and tiles, the SLI chart, the budget burn-down, the burn rates and the incidents.
struct SLOGroupPanel {
    let group: SLOGroupHistory
    let spec: SLOSpec
    let history: SLOHistory
    /// Unique on the page.
    let id: String
    /// Incidents listed, the largest budget consumers first.
    var incidentRows = 8

    /// The long windows whose burn rates are drawn, with their alerts' thresholds.
    private var burnAlerts: [BurnRateAlert] {
        group.current.alerts.filter { $0.window.longSeconds <= 86_400 }
    }

    func html() -> String {
        let status = group.current
        var html = "<div class=\"group\"><div class=\"group-head\">\(StatusPill.html(status))<h3>"
            + HTMLText.escape(GroupName.text(group.labels)) + "</h3>"
        if status.isLowTraffic && status.sli != nil { html += "<span class=\"muted small\">low traffic</span>" }
        if status.isEstimated { html += "<span class=\"muted small\">estimated (interpolated bucket)</span>" }
        html += "</div><div class=\"tiles\">"
            + tile("SLI", HTMLText.percent(status.sli))
            + tile("objective", HTMLText.percent(spec.objective, decimals: 2))
            + tile("budget left", HTMLText.percent(status.budget?.remainingFraction, decimals: 1),
                   negative: (status.budget?.remainingFraction ?? 0) < 0)
            + tile("bad events left", status.budget.map { HTMLText.count($0.badEventsLeft) } ?? "–",
                   negative: (status.budget?.badEventsLeft ?? 0) < 0)
            + tile("burn rate 1h", HTMLText.number(status.burnRate(seconds: 3600)))
            + "</div><div class=\"charts\">"
        html += box("SLI over the rolling \(SLODuration.text(spec.periodSeconds * 1000)) vs objective", sliChart(),
                    legend: [("SLI", ReportPalette.sli), ("objective", ReportPalette.objective)], wide: true)
        html += box("Error budget left", budgetChart(),
                    legend: [("left", ReportPalette.ok), ("overspent", ReportPalette.page)])
        html += box("Burn rate (dashed: alert thresholds)", burnChart(),
                    legend: burnAlerts.enumerated().map { ("\(SLODuration.text($0.element.window.longSeconds * 1000))",
                                                           ReportPalette.burn[$0.offset % ReportPalette.burn.count]) })
        return html + "</div>" + incidentTable() + "</div>"
    }

    private var times: [Int64] { group.points.map(\.timeMs) }
    private var bands: [(startMs: Int64, endMs: Int64)] { group.incidents.map { ($0.startMs, $0.endMs) } }

    private func sliChart() -> String {
        SVGChart(id: id + "-sli", title: "SLI of \(spec.name)", timesMs: times,
                 lines: [.init(name: "SLI", color: ReportPalette.sli, values: group.points.map(\.sli))],
                 references: [.init(value: spec.objective, color: ReportPalette.objective,
                                    label: "objective " + HTMLText.percent(spec.objective, decimals: 2))],
                 bands: bands, tick: Self.percentTick, include: [spec.objective], width: 1140, height: 220).render()
    }

    private func budgetChart() -> String {
        SVGChart(id: id + "-budget", title: "Error budget left of \(spec.name)", timesMs: times,
                 lines: [.init(name: "budget left", color: ReportPalette.ok, values: group.points.map(\.budgetRemaining),
                               area: true, negativeColor: ReportPalette.page)],
                 bands: bands, tick: Self.percentTick, include: [0, 1]).render()
    }

    private func burnChart() -> String {
        let lines = burnAlerts.enumerated().map { index, alert in
            SVGChart.Line(name: alert.window.name, color: ReportPalette.burn[index % ReportPalette.burn.count],
                          values: group.points.map { $0.burnRate(seconds: alert.window.longSeconds) })
        }
        let references = burnAlerts.enumerated().map { index, alert in
            SVGChart.Reference(value: alert.threshold, color: ReportPalette.burn[index % ReportPalette.burn.count],
                               label: HTMLText.number(alert.threshold))
        }
        return SVGChart(id: id + "-burn", title: "Burn rates of \(spec.name)", timesMs: times, lines: lines,
                        references: references, bands: bands, scale: .log, tick: HTMLText.number, include: [0.1]).render()
    }

    private func incidentTable() -> String {
        guard !group.incidents.isEmpty else {
            return "<p class=\"muted small incidents\">No incidents: no step burned faster than "
                + HTMLText.number(history.slos.first { $0.spec.name == spec.name }?.incidentBurnRate) + ".</p>"
        }
        let largest = group.incidents.sorted { $0.badEvents > $1.badEvents }.prefix(incidentRows)
        var html = "<table class=\"incidents\"><tr><th>incident</th><th>start</th><th class=\"num\">duration</th>"
            + "<th class=\"num\">peak burn</th><th class=\"num\">bad events</th><th class=\"num\">budget used</th>"
            + "<th>alert</th></tr>"
        for (rank, incident) in largest.enumerated() {
            html += "<tr><td>#\(rank + 1)</td><td>\(HTMLText.dateTime(incident.startMs))</td>"
                + "<td class=\"num\">\(HTMLText.duration(incident.endMs - incident.startMs))</td>"
                + "<td class=\"num\">\(HTMLText.number(incident.peakBurnRate))</td>"
                + "<td class=\"num\">\(HTMLText.count(incident.badEvents))</td>"
                + "<td class=\"num\">\(HTMLText.percent(incident.budgetConsumedFraction, decimals: 1))</td>"
                + "<td>\(incident.severity.map { "<span class=\"pill \($0.rawValue)\">\($0.rawValue)</span>" } ?? "–")</td></tr>"
        }
        html += "</table>"
        if group.incidents.count > incidentRows {
            html += "<p class=\"muted small\">\(group.incidents.count - incidentRows) smaller incidents not listed.</p>"
        }
        return html
    }

    private func tile(_ label: String, _ value: String, negative: Bool = false) -> String {
        "<div class=\"tile\"><div class=\"label\">\(label)</div><div class=\"value\(negative ? " neg" : "")\">\(value)</div></div>"
    }

    private func box(_ title: String, _ chart: String, legend: [(String, String)], wide: Bool = false) -> String {
        "<div class=\"chart-box\(wide ? " wide" : "")\"><h4>\(HTMLText.escape(title))</h4>\(chart)<div class=\"legend\">"
            + legend.map { "<span><span class=\"swatch\" style=\"background:\($0.1)\"></span>\(HTMLText.escape($0.0))</span>" }
                .joined() + "</div></div>"
    }

    /// `99.95 %`: as many decimals as the value needs, at most four.
    static func percentTick(_ value: Double) -> String {
        var text = String(format: "%.4f", value * 100)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + "%"
    }
}
