import Foundation

/// Parses the times and durations of the command-line contract (`../shared/CLI.md`):
/// durations like `15s`, `5m`, `1h30m`, `7d`, `250ms`; times as Unix seconds (integer or
/// fractional), RFC 3339 (`2026-01-01T00:00:00Z`), `now`, or relative to now (`-6h`).
public enum TimeArgument {
    /// An input that is not a valid time or duration, with what was expected.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        /// What was wrong.
        public let description: String
    }

    private static let units: [(String, Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000), ("y", 31_536_000_000),
    ]

    /// Parses a duration into milliseconds: one or more `<number><unit>` parts, units `ms s m h d w y`.
    public static func durationMs(_ text: String) throws(ParseError) -> Int64 {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { throw ParseError(description: "empty duration; expected something like 5m, 1h30m or 7d") }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else {
                throw ParseError(description: "invalid duration \"\(text)\"; expected something like 5m, 1h30m or 7d")
            }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { $0.isLetter }
            guard let unit = units.first(where: { $0.0 == unitText }) else {
                throw ParseError(description: "invalid duration \"\(text)\": unit \"\(unitText)\" is not one of ms, s, m, h, d, w, y")
            }
            rest = rest.dropFirst(unitText.count)
            total += value * Double(unit.1)
        }
        guard total < 9e18 else { throw ParseError(description: "duration \"\(text)\" is too long") }
        return Int64(total.rounded())
    }

    /// Parses a time into Unix milliseconds, relative times counted from `nowMs`.
    public static func timeMs(_ text: String, nowMs: Int64 = currentTimeMs()) throws(ParseError) -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "now" { return nowMs }
        if trimmed.hasPrefix("-") || trimmed.hasPrefix("+"), let first = trimmed.dropFirst().first, first.isNumber,
           trimmed.dropFirst().contains(where: { $0.isLetter }) {
            let offset = try durationMs(String(trimmed.dropFirst()))
            return trimmed.hasPrefix("-") ? nowMs - offset : nowMs + offset
        }
        if let seconds = Double(trimmed), seconds.isFinite {
            return Int64((seconds * 1000).rounded())
        }
        if let date = rfc3339(trimmed) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        throw ParseError(description: "invalid time \"\(text)\"; expected Unix seconds, RFC 3339 (2026-01-01T00:00:00Z), now, or -6h")
    }

    /// The current time in Unix milliseconds.
    public static func currentTimeMs() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }

    static func rfc3339(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// RFC 3339 in UTC with milliseconds when they are not zero.
    public static func format(ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = ms % 1000 == 0 ? [.withInternetDateTime] : [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    /// A duration in the shortest unit form (`1h30m`, `5m`, `250ms`).
    public static func format(durationMs: Int64) -> String {
        guard durationMs != 0 else { return "0s" }
        var rest = durationMs
        var out = rest < 0 ? "-" : ""
        rest = abs(rest)
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out
    }
}
