#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The element-wise functions of one value (`abs`, `ln`, `sgn`, …), each as Go's `math` package
/// computes it.
enum MathFunctions {
    /// The transform for a function name, or nil when `name` is not an element-wise function.
    static func named(_ name: String) -> (@Sendable (Double) -> Double)? { table[name] }

    private static let table: [String: @Sendable (Double) -> Double] = [
        "abs": { Swift.abs($0) },
        "ceil": { $0.rounded(.up) },
        "floor": { $0.rounded(.down) },
        "exp": { exp($0) },
        "sqrt": { $0.squareRoot() },
        "ln": { log($0) },
        "log2": { log2($0) },
        "log10": { log10($0) },
        "sin": { sin($0) },
        "cos": { cos($0) },
        "tan": { tan($0) },
        "asin": { asin($0) },
        "acos": { acos($0) },
        "atan": { atan($0) },
        "sinh": { sinh($0) },
        "cosh": { cosh($0) },
        "tanh": { tanh($0) },
        "asinh": { asinh($0) },
        "acosh": { acosh($0) },
        "atanh": { atanh($0) },
        "deg": { $0 * 180 / Double.pi },
        "rad": { $0 * Double.pi / 180 },
        "sgn": { $0 < 0 ? -1 : ($0 > 0 ? 1 : $0) },
    ]
}

/// The calendar functions (`hour()`, `day_of_week()`, …), in UTC as in Prometheus.
enum DateFunction: String {
    case dayOfMonth = "day_of_month"
    case dayOfWeek = "day_of_week"
    case dayOfYear = "day_of_year"
    case daysInMonth = "days_in_month"
    case hour, minute, month, year

    /// The function of a Unix time in whole seconds.
    func apply(_ seconds: Int64) -> Double {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = DateFunction.civil(fromDays: days)
        switch self {
        case .hour: return Double(secondOfDay / 3600)
        case .minute: return Double(secondOfDay % 3600 / 60)
        case .dayOfMonth: return Double(d)
        case .month: return Double(m)
        case .year: return Double(y)
        case .dayOfWeek:
            // 1970-01-01 was a Thursday (4).
            let w = (days % 7 + 7 + 4) % 7
            return Double(w)
        case .dayOfYear:
            return Double(days - DateFunction.days(fromCivil: y, 1, 1) + 1)
        case .daysInMonth:
            let next = m == 12 ? DateFunction.days(fromCivil: y + 1, 1, 1) : DateFunction.days(fromCivil: y, m + 1, 1)
            return Double(next - DateFunction.days(fromCivil: y, m, 1))
        }
    }

    /// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
    /// (Howard Hinnant's algorithm).
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// (year, month, day) to days since 1970-01-01.
    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
