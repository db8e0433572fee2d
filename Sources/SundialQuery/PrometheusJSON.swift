import SundialStorage

/// Renders a ``QueryResult`` as the Prometheus HTTP API does (`/api/v1/query`, `/api/v1/query_range`):
/// `{"status":"success","data":{"resultType":…,"result":[…]}}`, values as strings formatted like Go's
/// `strconv.FormatFloat(v, 'f', -1, 64)`, timestamps as Unix seconds with milliseconds, so existing
/// tooling reads it unchanged.
public enum PrometheusJSON {
    /// The JSON text for `result`.
    public static func render(_ result: QueryResult) -> String {
        var out = #"{"status":"success","data":{"resultType":""#
        switch result {
        case let .vector(samples):
            out += #"vector","result":["#
            for (i, sample) in samples.enumerated() {
                if i > 0 { out += "," }
                out += #"{"metric":"# + labels(sample.labels) + #","value":"#
                appendPoint(sample.timestampMs, sample.value, to: &out)
                out += "}"
            }
            out += "]"
        case let .matrix(series):
            out.reserveCapacity(series.reduce(0) { $0 + 40 * $1.samples.count + 64 })
            out += #"matrix","result":["#
            for (i, one) in series.enumerated() {
                if i > 0 { out += "," }
                out += #"{"metric":"# + labels(one.labels) + #","values":["#
                for (k, sample) in one.samples.enumerated() {
                    if k > 0 { out += "," }
                    appendPoint(sample.timestampMs, sample.value, to: &out)
                }
                out += "]}"
            }
            out += "]"
        case let .scalar(timestampMs, value):
            out += #"scalar","result":"#
            appendPoint(timestampMs, value, to: &out)
        case let .string(text):
            out += #"string","result":[0,"# + quoted(text) + "]"
        }
        return out + "}}"
    }

    /// `[<seconds>,"<value>"]`.
    static func point(_ timestampMs: Int64, _ value: Double) -> String {
        var out = ""
        appendPoint(timestampMs, value, to: &out)
        return out
    }

    /// ``point(_:_:)`` appended to `out`.
    static func appendPoint(_ timestampMs: Int64, _ value: Double, to out: inout String) {
        out += "["
        appendTimestamp(timestampMs, to: &out)
        out += ",\""
        GoFloat.append(value, to: &out)
        out += "\"]"
    }

    /// Seconds, then `.` and three digits of milliseconds when they are not zero (Prometheus'
    /// `jsonutil.MarshalTimestamp`).
    static func timestamp(_ ms: Int64) -> String {
        var out = ""
        appendTimestamp(ms, to: &out)
        return out
    }

    /// ``timestamp(_:)`` appended to `out`.
    static func appendTimestamp(_ ms: Int64, to out: inout String) {
        var t = ms
        if t < 0 {
            out += "-"
            t = -t
        }
        out += String(t / 1000)
        let fraction = t % 1000
        if fraction != 0 {
            out += fraction < 10 ? ".00" : fraction < 100 ? ".0" : "."
            out += String(fraction)
        }
    }

    static func labels(_ set: LabelSet) -> String {
        "{" + set.labels.map { quoted($0.name) + ":" + quoted($0.value) }.joined(separator: ",") + "}"
    }

    /// A JSON string as Go's encoding/json writes it (HTML characters escaped too).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
