import Foundation

/// Escaping and number/time formatting for the HTML report. Label values and names are user data: every text that
/// reaches the page goes through ``escape(_:)``.
enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` as character references.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A fraction as a percentage with enough decimals to tell it from an objective like 99.99 %.
    static func percent(_ value: Double?, decimals: Int = 3) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.\(decimals)f %%", value * 100)
    }

    /// A plain number with three significant digits (`14.4`, `0.933`, `1.2e+03`).
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        if abs(value) >= 1000 { return String(format: "%.0f", value) }
        return String(format: "%.3g", value)
    }

    /// A count of events (`12,345`).
    static func count(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let rounded = Int64(value.rounded())
        let digits = String(abs(rounded))
        var grouped = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (rounded < 0 ? "−" : "") + grouped
    }

    /// `2026-01-03 14:05 UTC`.
    static func dateTime(_ ms: Int64) -> String { format(ms, "yyyy-MM-dd HH:mm 'UTC'") }

    /// A time axis label: `Jan 3` for ranges of days and at midnight, else `14:05`.
    static func axisTime(_ ms: Int64, rangeMs: Int64) -> String {
        rangeMs > 2 * 86_400_000 || ms % 86_400_000 == 0 ? format(ms, "MMM d") : format(ms, "HH:mm")
    }

    /// A duration: `45 min`, `3 h 15 min`, `2 d 4 h`.
    static func duration(_ ms: Int64) -> String {
        let minutes = max(ms, 0) / 60_000
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 1440 { return minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(minutes % 60) min" }
        let hours = minutes / 60
        return hours % 24 == 0 ? "\(hours / 24) d" : "\(hours / 24) d \(hours % 24) h"
    }

    private static func format(_ ms: Int64, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
