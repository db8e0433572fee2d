import SundialStorage

/// The coloured status pill of a group: `page`, `ticket`, `ok`, or `no data` when the SLI is undefined.
enum StatusPill {
    static func html(_ status: SLOGroupStatus?) -> String {
        let (cls, text): (String, String) = switch (status?.firingSeverity, status?.sli) {
        case (.page?, _): ("page", "page")
        case (.ticket?, _): ("ticket", "ticket")
        case (nil, nil): ("undefined", "no data")
        case (nil, _?): ("ok", "ok")
        }
        return "<span class=\"pill \(cls)\">\(text)</span>"
    }
}

/// A group's labels as `namespace=default, operation=Start` (`all` for an ungrouped SLO).
enum GroupName {
    static func text(_ labels: LabelSet) -> String {
        labels.labels.isEmpty ? "all" : labels.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
    }
}

/// The share of budget left as a percentage and a small bar (green, amber under 25 %, red when overspent).
enum BudgetBar {
    static func html(_ remaining: Double?) -> String {
        guard let remaining, remaining.isFinite else { return "<span class=\"muted\">–</span>" }
        let color = remaining < 0 ? ReportPalette.page : remaining < 0.25 ? ReportPalette.ticket : ReportPalette.ok
        let width = Int((max(0, min(1, remaining)) * 100).rounded())
        return "<div style=\"display:flex;align-items:center;gap:8px\"><div class=\"bar\" style=\"flex:1\">"
            + "<span style=\"width:\(width)%;background:\(color)\"></span></div>"
            + "<span class=\"\(remaining < 0 ? "neg" : "")\" style=\"min-width:78px;text-align:right\">"
            + HTMLText.percent(remaining, decimals: 1) + "</span></div>"
    }
}
