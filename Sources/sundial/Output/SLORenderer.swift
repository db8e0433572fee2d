import Foundation
import Sundial

/// Renders an ``SLOEvaluation`` as a table, JSON or CSV: one row per SLO group, worst first.
struct SLORenderer {
    let evaluation: SLOEvaluation

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: table()
        case .json: json()
        case .csv: csv()
        }
    }

    private var burnWindows: [Int64] {
        evaluation.statuses.first?.groups.first?.burnRates.map(\.windowSeconds) ?? []
    }

    private func groupText(_ group: SLOGroupStatus) -> String {
        group.labels.labels.isEmpty ? "(all)" : group.labels.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
    }

    private func firing(_ group: SLOGroupStatus) -> String {
        group.alerts.filter(\.isFiring).map { "\($0.window.severity.rawValue) \($0.window.name)" }.joined(separator: "; ")
    }

    private func percent(_ value: Double?) -> String {
        guard let value else { return "undefined" }
        return String(format: "%.4f%%", value * 100)
    }

    private func number(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: "%.3g", value)
    }

    private func table() -> String {
        var table = TextTable(["slo", "group", "sli", "objective", "budget used", "left", "bad left", "outage min left"]
                              + burnWindows.map { "burn " + SLODuration.text($0 * 1000) } + ["alerts"])
        for group in evaluation.groupsWorstFirst {
            var row = [group.sloName, groupText(group), percent(group.sli), percent(group.objective),
                       percent(group.budget?.consumedFraction), percent(group.budget?.remainingFraction),
                       number(group.budget?.badEventsLeft), number(group.budget?.outageMinutesLeft)]
            row += group.burnRates.map { number($0.value) }
            row.append(firing(group) + (group.isLowTraffic && group.sli != nil ? " (low traffic)" : ""))
            table.add(row)
        }
        return table.render()
    }

    private func csv() -> String {
        var lines = [CSV.line(["slo", "group", "sli", "objective", "total", "bad", "budget_consumed", "budget_remaining",
                               "bad_events_left", "outage_minutes_consumed", "outage_minutes_left"]
                              + burnWindows.map { "burn_" + SLODuration.text($0 * 1000) } + ["firing"])]
        func raw(_ v: Double?) -> String { v.map { "\($0)" } ?? "" }
        for group in evaluation.groupsWorstFirst {
            lines.append(CSV.line([group.sloName, groupText(group), raw(group.sli), raw(group.objective), raw(group.totalEvents),
                                   raw(group.badEvents), raw(group.budget?.consumedFraction), raw(group.budget?.remainingFraction),
                                   raw(group.budget?.badEventsLeft), raw(group.budget?.outageMinutesConsumed),
                                   raw(group.budget?.outageMinutesLeft)]
                                  + group.burnRates.map { raw($0.value) } + [firing(group)]))
        }
        return lines.joined(separator: "\n")
    }

    private func json() -> String {
        func value(_ v: Double?) -> Any { v.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
        let groups: [[String: Any]] = evaluation.groupsWorstFirst.map { group in
            [
                "slo": group.sloName,
                "labels": Dictionary(uniqueKeysWithValues: group.labels.labels.map { ($0.name, $0.value) }),
                "sli": value(group.sli),
                "objective": group.objective,
                "periodSeconds": group.periodSeconds,
                "totalEvents": value(group.totalEvents),
                "badEvents": value(group.badEvents),
                "budget": group.budget.map { b -> Any in
                    ["consumed": value(b.consumedFraction), "remaining": value(b.remainingFraction),
                     "allowedBadEvents": value(b.allowedBadEvents), "badEventsLeft": value(b.badEventsLeft),
                     "outageMinutes": value(b.outageMinutes), "outageMinutesConsumed": value(b.outageMinutesConsumed),
                     "outageMinutesLeft": value(b.outageMinutesLeft)]
                } ?? NSNull(),
                "burnRates": Dictionary(uniqueKeysWithValues: group.burnRates.map { (SLODuration.text($0.windowSeconds * 1000), value($0.value)) }),
                "alerts": group.alerts.map { alert -> [String: Any] in
                    ["window": alert.window.name, "severity": alert.window.severity.rawValue, "threshold": alert.threshold,
                     "longBurnRate": value(alert.longBurnRate), "shortBurnRate": value(alert.shortBurnRate),
                     "firing": alert.isFiring]
                },
                "firing": group.isFiring,
                "lowTraffic": group.isLowTraffic,
                "estimated": group.isEstimated,
            ]
        }
        let notes = evaluation.statuses.flatMap { status in status.notes.map { "\(status.spec.name): \($0)" } }
        let root: [String: Any] = ["time": evaluation.atMs, "firing": evaluation.isAlertFiring, "groups": groups, "notes": notes]
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
