/// One multi-window burn-rate alert of the Google SRE Workbook ("Alerting on SLOs"): it fires when the burn rate over
/// both the long and the short window exceeds `budgetFraction × period / long window`.
public struct BurnRateWindow: Sendable, Equatable, Hashable {
    /// Page (wake someone) or ticket.
    public enum Severity: String, Sendable, Equatable, Hashable { case page, ticket }

    /// How urgent.
    public var severity: Severity
    /// The share of the period's budget that, spent within the long window, fires the alert (0.02 = 2 %).
    public var budgetFraction: Double
    /// The long window, in seconds.
    public var longSeconds: Int64
    /// The short window, in seconds (resets the alert soon after recovery).
    public var shortSeconds: Int64

    /// The four Workbook windows: 2 % in 1 h/5 m and 5 % in 6 h/30 m page; 10 % in 1 d/2 h and 10 % in 3 d/6 h
    /// ticket. For a 30-day period their thresholds are 14.4, 6, 3 and 1.
    public static let workbook: [BurnRateWindow] = [
        BurnRateWindow(severity: .page, budgetFraction: 0.02, longSeconds: 3600, shortSeconds: 300),
        BurnRateWindow(severity: .page, budgetFraction: 0.05, longSeconds: 6 * 3600, shortSeconds: 1800),
        BurnRateWindow(severity: .ticket, budgetFraction: 0.10, longSeconds: 86_400, shortSeconds: 2 * 3600),
        BurnRateWindow(severity: .ticket, budgetFraction: 0.10, longSeconds: 3 * 86_400, shortSeconds: 6 * 3600),
    ]

    /// The burn-rate threshold for an SLO period: `budgetFraction × period / longWindow`.
    public func threshold(periodSeconds: Int64) -> Double {
        budgetFraction * Double(periodSeconds) / Double(longSeconds)
    }

    /// `1h/5m`.
    public var name: String {
        SLODuration.text(longSeconds * 1000) + "/" + SLODuration.text(shortSeconds * 1000)
    }
}
