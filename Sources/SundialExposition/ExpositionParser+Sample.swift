extension ExpositionParser {
    /// Parses a sample line `p[start..<end]` (trailing blanks already cut) and hands the sample to the sink.
    ///
    /// Nothing changes in the parser's state until the whole line has passed its checks, so a rejected line
    /// leaves no trace.
    mutating func parseSampleLine(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ lineNumber: Int, _ sink: inout some ExpositionSink
    ) throws(LineFault) {
        let openMetrics = format == .openMetrics
        // The metric name.
        let nameStart = start
        guard ByteClass.isMetricNameStart(p[start]) else {
            throw LineFault(start, "invalid metric name: it must start with a letter, _ or :, not \(ByteText.shown(p[start]))")
        }
        var i = start + 1
        while i < end && ByteClass.isMetricNameByte(p[i]) { i += 1 }
        let nameEnd = i
        var seriesEnd = nameEnd
        var labels = LabelSetEnd(end: nameEnd, count: 0, sawNonASCII: false)

        // The labels and the separator before the value.
        if openMetrics {
            if i < end && p[i] == UInt8(ascii: "{") {
                labels = try parseLabelSet(p, open: i, end: end, firstSpan: 0, what: "label")
                i = labels.end
                seriesEnd = i
            }
            guard i < end else { throw LineFault(i, "sample \(ByteText.quoted(p, nameStart, nameEnd)) has no value") }
            guard p[i] == UInt8(ascii: " ") else { throw unexpectedAfterSeries(p, i, hasLabels: seriesEnd != nameEnd) }
            i += 1
        } else {
            if i < end && !ByteClass.isBlank(p[i]) && p[i] != UInt8(ascii: "{") {
                throw unexpectedAfterSeries(p, i, hasLabels: false)
            }
            while i < end && ByteClass.isBlank(p[i]) { i += 1 }
            if i < end && p[i] == UInt8(ascii: "{") {
                labels = try parseLabelSet(p, open: i, end: end, firstSpan: 0, what: "label")
                i = labels.end
                seriesEnd = i
                while i < end && ByteClass.isBlank(p[i]) { i += 1 }
            }
            guard i < end else { throw LineFault(i, "sample \(ByteText.quoted(p, nameStart, nameEnd)) has no value") }
        }

        // The value.
        let valueStart = i
        while i < end && p[i] != UInt8(ascii: " ") && (openMetrics || p[i] != 0x09) { i += 1 }
        guard i > valueStart else { throw LineFault(i, "expected a value after a single space") }
        let value: Double
        switch DecimalFloat.parse(p, valueStart, i) {
        case .value(let v): value = v
        case .invalid: throw LineFault(valueStart, "value \(ByteText.quoted(p, valueStart, i)) is not a number")
        case .outOfRange:
            throw LineFault(valueStart, "value \(ByteText.quoted(p, valueStart, i)) is out of range for a 64-bit float")
        }

        // The timestamp and, in OpenMetrics, the exemplar.
        var timestampMs: Int64? = nil
        if openMetrics {
            if i < end {
                i += 1  // the space
                if p[i] != UInt8(ascii: "#") {
                    let tsStart = i
                    while i < end && p[i] != UInt8(ascii: " ") { i += 1 }
                    timestampMs = try Self.openMetricsTimestamp(p, tsStart, i, what: "timestamp")
                    if i < end {
                        i += 1
                        guard p[i] == UInt8(ascii: "#") else {
                            throw LineFault(i, "unexpected text after the timestamp")
                        }
                    }
                }
                if i < end {
                    try parseExemplar(p, at: i, end: end, nameStart: nameStart, nameEnd: nameEnd, labelCount: labels.count)
                }
            }
        } else if i < end {
            while i < end && ByteClass.isBlank(p[i]) { i += 1 }
            let tsStart = i
            while i < end && !ByteClass.isBlank(p[i]) { i += 1 }
            if p[tsStart] == UInt8(ascii: "#") {
                throw LineFault(tsStart, "exemplars are only allowed in OpenMetrics")
            }
            guard let ms = Self.textTimestamp(p, tsStart, i) else {
                throw LineFault(tsStart, "timestamp \(ByteText.quoted(p, tsStart, i)) is not an integer number of milliseconds")
            }
            timestampMs = ms
            while i < end && ByteClass.isBlank(p[i]) { i += 1 }
            if i < end { throw LineFault(i, "unexpected text after the timestamp") }
        }

        // The family.
        let match = matchFamily(p, nameStart, nameEnd)
        var role = SampleRole.plain
        switch match {
        case .member(let r):
            role = r
        case .contradiction:
            throw LineFault(nameStart, "metric name \(ByteText.quoted(p, nameStart, nameEnd)) contradicts TYPE "
                + "\(family.type.rawValue) of family \(String(decoding: family.name, as: UTF8.self))")
        case .newFamily:
            break
        }
        var bucket: (index: Int, isInfinity: Bool)? = nil
        if case .member = match {
            bucket = try checkFamilyRules(p, role: role, value: value, labelCount: labels.count,
                                          nameStart: nameStart, nameEnd: nameEnd)
        }

        // Accepted: update the state and hand the sample on.
        let familyLength: Int
        if case .newFamily = match {
            openImplicitFamily(p, nameStart, nameEnd, &sink)
            familyLength = nameEnd - nameStart
        } else {
            if !family.kinds.contains(.samples) { markSamplesBegan() }
            familyLength = family.name.count
        }
        if let bucket {
            let leStart = spans[bucket.index].nameStart
            let column = labels.sawNonASCII ? ByteText.column(p, count: end, offset: leStart) : leStart + 1
            trackBucket(p, labelCount: labels.count, leIndex: bucket.index, isInfinity: bucket.isInfinity,
                        line: lineNumber, column: column, &sink)
        } else if group.active {
            closeGroup(into: &sink)
        }
        sink.sample(ParsedSample(
            seriesText: UnsafeRawBufferPointer(start: p + nameStart, count: seriesEnd - nameStart),
            metricName: UnsafeRawBufferPointer(start: p + nameStart, count: nameEnd - nameStart),
            value: value, timestampMs: timestampMs, line: lineNumber,
            familyName: UnsafeRawBufferPointer(start: p + nameStart, count: familyLength),
            familyType: family.type, lineStart: p,
            labelSpans: UnsafeBufferPointer(start: spans, count: labels.count)))
    }

    /// The fault for an unexpected byte after a metric name or label set.
    private func unexpectedAfterSeries(_ p: UnsafePointer<UInt8>, _ i: Int, hasLabels: Bool) -> LineFault {
        let c = p[i]
        if hasLabels || ByteClass.isBlank(c) {
            return LineFault(i, "expected a single space before the value, found \(ByteText.shown(c))")
        }
        return LineFault(i, "invalid character \(ByteText.shown(c)) in metric name")
    }

    /// The rules a family's type sets for its samples.
    /// - Returns: For a histogram bucket, the index of its `le` label and whether it is `+Inf`.
    private func checkFamilyRules(
        _ p: UnsafePointer<UInt8>, role: SampleRole, value: Double, labelCount: Int, nameStart: Int, nameEnd: Int
    ) throws(LineFault) -> (index: Int, isInfinity: Bool)? {
        switch family.type {
        case .histogram, .gaugeHistogram:
            guard role == .bucket else { return nil }
            guard let le = labelIndex(p, named: "le", labelCount: labelCount) else {
                throw LineFault(nameStart, "histogram bucket \(ByteText.quoted(p, nameStart, nameEnd)) has no le label")
            }
            let bound = try numericLabel(p, le, name: "le")
            return (le, bound == .infinity)
        case .summary:
            guard role == .plain else { return nil }
            guard let q = labelIndex(p, named: "quantile", labelCount: labelCount) else {
                throw LineFault(nameStart, "summary sample \(ByteText.quoted(p, nameStart, nameEnd)) has no quantile label")
            }
            _ = try numericLabel(p, q, name: "quantile")
        case .counter:
            if format == .openMetrics && role == .total && value < 0 {
                throw LineFault(nameStart, "counter \(ByteText.quoted(p, nameStart, nameEnd)) has a negative value")
            }
        case .stateset where format == .openMetrics:
            let found = family.name.withUnsafeBufferPointer { name in
                labelIndex(p, named: name, labelCount: labelCount) != nil
            }
            guard found else {
                throw LineFault(nameStart, "stateset sample \(ByteText.quoted(p, nameStart, nameEnd)) has no label named like its family")
            }
            guard value == 0 || value == 1 else {
                throw LineFault(nameStart, "stateset sample \(ByteText.quoted(p, nameStart, nameEnd)) has a value other than 0 or 1")
            }
        default:
            break
        }
        return nil
    }

    /// The index of the label named `name`, or `nil`.
    private func labelIndex(_ p: UnsafePointer<UInt8>, named name: StaticString, labelCount: Int) -> Int? {
        labelIndex(p, named: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), labelCount: labelCount)
    }

    private func labelIndex(_ p: UnsafePointer<UInt8>, named name: UnsafeBufferPointer<UInt8>, labelCount: Int) -> Int? {
        guard let nameBase = name.baseAddress else { return nil }
        for k in 0..<labelCount {
            let span = spans[k]
            if span.nameEnd - span.nameStart == name.count && ByteText.same(p + span.nameStart, nameBase, count: name.count) {
                return k
            }
        }
        return nil
    }

    /// The value of label `index` as a number.
    private func numericLabel(_ p: UnsafePointer<UInt8>, _ index: Int, name: String) throws(LineFault) -> Double {
        let span = spans[index]
        guard case .value(let v) = DecimalFloat.parse(p, span.valueStart, span.valueEnd) else {
            throw LineFault(span.valueStart - 1,
                            "\(name) label value \(ByteText.quoted(p, span.valueStart, span.valueEnd)) is not a number")
        }
        return v
    }

    /// Checks an OpenMetrics exemplar ` # {labels} value [timestamp]` starting at the `#` at `p[i]`.
    private mutating func parseExemplar(
        _ p: UnsafePointer<UInt8>, at i: Int, end: Int, nameStart: Int, nameEnd: Int, labelCount: Int
    ) throws(LineFault) {
        guard i + 2 < end, p[i + 1] == UInt8(ascii: " "), p[i + 2] == UInt8(ascii: "{") else {
            throw LineFault(i, "expected an exemplar \"# {labels} value\" after the value")
        }
        guard SampleRole.of(p, max(nameStart, nameEnd - 6), nameEnd) == .total
            || SampleRole.of(p, max(nameStart, nameEnd - 7), nameEnd) == .bucket else {
            throw LineFault(i, "exemplars are only allowed on _total and _bucket samples")
        }
        let set = try parseLabelSet(p, open: i + 2, end: end, firstSpan: labelCount, what: "exemplar label")
        var characters = 0
        for k in labelCount..<(labelCount + set.count) {
            let span = spans[k]
            characters += span.nameEnd - span.nameStart + ByteText.characterCount(p, span.valueStart, span.valueEnd)
            if span.escaped { characters -= Self.escapeCount(p, span.valueStart, span.valueEnd) }
        }
        guard characters <= 128 else {
            throw LineFault(i + 2, "exemplar labels have \(characters) characters, more than 128")
        }
        var j = set.end
        guard j < end, p[j] == UInt8(ascii: " ") else { throw LineFault(j, "exemplar has no value") }
        j += 1
        let valueStart = j
        while j < end && p[j] != UInt8(ascii: " ") { j += 1 }
        switch DecimalFloat.parse(p, valueStart, j) {
        case .value: break
        case .invalid, .outOfRange:
            throw LineFault(valueStart, "exemplar value \(ByteText.quoted(p, valueStart, j)) is not a number")
        }
        guard j < end else { return }
        j += 1
        let tsStart = j
        while j < end && p[j] != UInt8(ascii: " ") { j += 1 }
        _ = try Self.openMetricsTimestamp(p, tsStart, j, what: "exemplar timestamp")
        if j < end { throw LineFault(j, "unexpected text after the exemplar timestamp") }
    }

    /// The number of escape sequences in already validated text.
    private static func escapeCount(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var n = 0
        var k = start
        while k < end {
            if p[k] == UInt8(ascii: "\\") { n += 1; k += 2 } else { k += 1 }
        }
        return n
    }

    /// A text-format timestamp: an optionally signed integer of milliseconds that fits an `Int64`.
    static func textTimestamp(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
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
            let (next, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            result = next
            i += 1
        }
        return result
    }

    /// An OpenMetrics timestamp: seconds, converted to milliseconds as Prometheus 2.42 does
    /// (`int64(seconds * 1000)`, truncating toward zero).
    static func openMetricsTimestamp(
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
