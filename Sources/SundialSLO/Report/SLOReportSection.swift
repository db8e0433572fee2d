/// One SLO's part of the report: its heading and notes, charts for its worst groups, a table row for each other
/// group.
struct SLOReportSection {
    let slo: SLOSpecHistory
    let history: SLOHistory
    let index: Int
    let chartedGroups: Int

    func html() -> String {
        let spec = slo.spec
        var html = "<section class=\"card\" id=\"slo-\(index)\"><div class=\"slo-head\"><div><h2>"
            + HTMLText.escape(spec.name) + "</h2><div class=\"muted\">"
            + HTMLText.escape(spec.description ?? "") + "</div></div><div class=\"muted small\">objective <b>"
            + HTMLText.percent(spec.objective, decimals: 2) + "</b> over "
            + HTMLText.escape(SLODuration.text(spec.periodSeconds * 1000)) + " · "
            + (spec.groupBy.isEmpty ? "one group" : "by " + HTMLText.escape(spec.groupBy.joined(separator: ", ")))
            + " · incidents: step burn rate above " + HTMLText.number(slo.incidentBurnRate) + "</div></div>"
        if !slo.notes.isEmpty {
            html += "<ul class=\"notes\">" + slo.notes.map { "<li>\(HTMLText.escape($0))</li>" }.joined() + "</ul>"
        }
        let charted = chartedOrder.prefix(chartedGroups)
        for (number, group) in charted.enumerated() {
            html += SLOGroupPanel(group: group, spec: spec, history: history, id: "c\(index)-\(number)").html()
        }
        let rest = slo.groups.filter { group in !charted.contains { $0.labels == group.labels } }
        if !rest.isEmpty { html += otherGroups(rest) }
        return html + "</section>"
    }

    /// Groups with alerts or incidents first, then the rest, each worst first.
    private var chartedOrder: [SLOGroupHistory] {
        let eventful = slo.groups.filter { $0.current.isFiring || !$0.incidents.isEmpty }
        return eventful + slo.groups.filter { !($0.current.isFiring || !$0.incidents.isEmpty) }
    }

    private func otherGroups(_ groups: [SLOGroupHistory]) -> String {
        var html = "<div class=\"group\"><h3>Other groups</h3><table><tr><th>status</th><th>group</th>"
            + "<th class=\"num\">SLI</th><th>budget left</th><th class=\"num\">burn 1h</th><th class=\"num\">burn 6h</th>"
            + "<th class=\"num\">incidents</th></tr>"
        for group in groups {
            html += "<tr><td>\(StatusPill.html(group.current))</td><td>\(HTMLText.escape(GroupName.text(group.labels)))</td>"
                + "<td class=\"num\">\(HTMLText.percent(group.current.sli))</td>"
                + "<td>\(BudgetBar.html(group.current.budget?.remainingFraction))</td>"
                + "<td class=\"num\">\(HTMLText.number(group.current.burnRate(seconds: 3600)))</td>"
                + "<td class=\"num\">\(HTMLText.number(group.current.burnRate(seconds: 6 * 3600)))</td>"
                + "<td class=\"num\">\(group.incidents.count)</td></tr>"
        }
        return html + "</table></div>"
    }
}
