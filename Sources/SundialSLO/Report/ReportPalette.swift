/// The report's colours and its style sheet, in one place so that charts, pills and the screenshot test agree.
public enum ReportPalette {
    /// Healthy: the status pill of a group that fires nothing, and the budget line above zero.
    public static let ok = "#1a7f37"
    /// A ticket alert fires.
    public static let ticket = "#bf8700"
    /// A paging alert fires; the budget below zero.
    public static let page = "#cf222e"
    /// No events: the SLI is undefined.
    public static let undefined = "#6e7781"
    /// The SLI line.
    public static let sli = "#0969da"
    /// The objective line.
    public static let objective = "#8250df"
    /// The page header's background.
    public static let header = "#1f2937"
    /// Burn-rate lines, by alert (1 h, 6 h, 1 d, 3 d long windows).
    public static let burn = ["#0969da", "#8250df", "#bf8700", "#57606a"]
    /// Incident bands behind the charts.
    static let incidentBand = "#fde2e1"
    /// The plot below zero on the budget chart.
    static let overspentBand = "#fff0ef"

    static let css = """
        *{box-sizing:border-box}
        body{margin:0;background:#f3f4f6;color:#1f2328;font:14px/1.45 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",sans-serif}
        header.top{background:\(header);color:#fff;padding:22px 32px 20px}
        header.top h1{margin:0;font-size:24px;font-weight:650;letter-spacing:.2px}
        header.top p{margin:4px 0 0;color:#cbd5e1;font-size:13px}
        main{max-width:1220px;margin:0 auto;padding:20px 24px 40px}
        .card{background:#fff;border:1px solid #d8dee4;border-radius:10px;padding:18px 20px;margin:0 0 18px;box-shadow:0 1px 2px rgba(31,35,40,.06)}
        h2{font-size:19px;margin:0 0 2px}
        h3{font-size:15px;margin:0}
        .muted{color:#59636e}
        .small{font-size:12px}
        table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
        th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.4px;color:#59636e;font-weight:600;border-bottom:1px solid #d8dee4;padding:6px 8px}
        td{padding:7px 8px;border-bottom:1px solid #eef1f4;vertical-align:middle}
        td.num,th.num{text-align:right;white-space:nowrap}
        .pill{display:inline-block;min-width:62px;text-align:center;padding:2px 10px;border-radius:999px;font-size:12px;font-weight:650;color:#fff;text-transform:uppercase;letter-spacing:.5px}
        .pill.ok{background:\(ok)}.pill.ticket{background:\(ticket)}.pill.page{background:\(page)}.pill.undefined{background:\(undefined)}
        .neg{color:\(page);font-weight:600}
        .slo-head{display:flex;justify-content:space-between;align-items:baseline;gap:16px;margin-bottom:12px}
        .group{border-top:1px solid #eef1f4;padding-top:14px;margin-top:14px}
        .group-head{display:flex;align-items:center;gap:12px;margin-bottom:10px}
        .tiles{display:grid;grid-template-columns:repeat(5,1fr);gap:10px;margin:0 0 12px}
        .tile{background:#f6f8fa;border-radius:8px;padding:8px 12px}
        .tile .label{font-size:11px;text-transform:uppercase;letter-spacing:.4px;color:#59636e}
        .tile .value{font-size:20px;font-weight:650;font-variant-numeric:tabular-nums}
        .charts{display:grid;grid-template-columns:1fr 1fr;gap:14px}
        .chart-box h4{margin:0 0 4px;font-size:13px;font-weight:600;color:#33383f}
        .chart-box.wide{grid-column:1 / span 2}
        svg.chart{width:100%;height:auto;display:block}
        svg .grid{stroke:#eaeef2;stroke-width:1}
        svg .axis{stroke:#8c959f;stroke-width:1}
        svg .ytick{font-size:11px;fill:#59636e;text-anchor:end}
        svg .xtick{font-size:11px;fill:#59636e;text-anchor:middle}
        svg .line{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
        svg .area{opacity:.16}
        svg .reference{stroke-width:1.5;stroke-dasharray:6 4}
        svg .reflabel{font-size:11px;text-anchor:end;font-weight:600}
        .legend{display:flex;gap:14px;flex-wrap:wrap;font-size:12px;color:#59636e;margin:2px 0 0}
        .swatch{display:inline-block;width:12px;height:3px;border-radius:2px;vertical-align:middle;margin-right:5px}
        .incidents{margin-top:12px}
        .notes{font-size:12px;color:#59636e;margin:8px 0 0;padding-left:18px}
        .bar{height:8px;background:#eaeef2;border-radius:4px;overflow:hidden;min-width:90px}
        .bar span{display:block;height:100%}
        footer{color:#59636e;font-size:12px;text-align:center;padding:10px}
        """
}
