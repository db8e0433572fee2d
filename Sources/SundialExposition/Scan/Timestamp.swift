/// The two timestamp syntaxes.
enum Timestamp {
    /// A text-format timestamp: an optionally signed integer of milliseconds that fits an `Int64`.
    static func text(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        var i = start
        var negative = false
        if i < end && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < end else { return nil }
        var result: Int64 = 0
        while i < end {
            guard ByteClass.isDigit(p[i]) else { return nil }
            let digit = Int64(p[i] &- 0x30)
            let (times10, o1) = result.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative
                ? times10.subtractingReportingOverflow(digit)
                : times10.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            result = next
            i += 1
        }
        return result
    }

    /// An OpenMetrics timestamp: seconds, converted to milliseconds as Prometheus 2.42 does
    /// (`int64(seconds * 1000)`, truncating toward zero).
    static func openMetrics(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, what: String
    ) throws(LineFault) -> Int64 {
        guard start < end else { throw LineFault(start, "expected a \(what) after a single space") }
        guard case .value(let seconds) = DecimalFloat.parse(p, start, end), seconds.isFinite else {
            throw LineFault(start, "\(what) \(ByteText.quoted(p, start, end)) is not a finite number of seconds")
        }
        let ms = seconds * 1000
        guard ms >= -9_223_372_036_854_775_808.0 && ms < 9_223_372_036_854_775_808.0 else {
            throw LineFault(start, "\(what) \(ByteText.quoted(p, start, end)) is out of range")
        }
        return Int64(ms)
    }
}
