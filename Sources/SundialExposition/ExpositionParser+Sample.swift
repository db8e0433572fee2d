extension ExpositionParser {
    /// Parses a sample line `p[start..<end]` (trailing blanks already cut) and hands the sample to the sink.
    ///
    /// Nothing changes in the document's state until the whole line has passed its checks, so a rejected line
    /// leaves no trace there. (The known series may learn the line's series text once its labels passed their
    /// checks; that changes no result. See `ExpositionParser+KnownSeries.swift`.)
    mutating func parseSampleLine(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ lineNumber: Int, _ sink: inout some ExpositionSink
    ) throws(LineFault) {
        let openMetrics = format == .openMetrics
        let nameStart = start
        let nameEnd: Int
        var i: Int
        var seriesEnd: Int
        var labels: LabelSetEnd
        var le: NumericLabel? = nil
        var quantile: NumericLabel? = nil
        var suffix = NameSuffix.unknown
        var guess = SeriesGuess()
        var token: UInt64? = nil

        if knownSeries.count > 0, let known = knownSeriesText(p, start, end, &guess) {
            // A series text validated before: name, labels and their facts as derived then.
            nameEnd = start + known.nameEnd
            labels = known.labels
            le = known.le
            quantile = known.quantile
            suffix = known.suffix
            token = known.token
            i = labels.end
            seriesEnd = i
        } else {
            // The metric name.
            guard ByteClass.isMetricNameStart(p[start]) else {
                let shown = ByteText.shown(p[start])
                throw LineFault(start, "invalid metric name: it must start with a letter, _ or :, not \(shown)")
            }
            i = ByteClass.scanName(p, from: start + 1, to: end, colon: true, table: byteClasses)
            nameEnd = i
            seriesEnd = nameEnd
            labels = LabelSetEnd(end: nameEnd, count: 0, sawNonASCII: false)
            // The labels.
            if !openMetrics {
                if i < end && !ByteClass.isBlank(p[i]) && p[i] != UInt8(ascii: "{") {
                    throw unexpectedAfterSeries(p, i, hasLabels: false)
                }
                while i < end && ByteClass.isBlank(p[i]) { i += 1 }
            }
            if i < end && p[i] == UInt8(ascii: "{") {
                let known = try parseSeriesLabels(p, nameStart: nameStart, nameEnd: nameEnd, open: i, end: end, guess)
                labels = known.labels
                le = known.le
                quantile = known.quantile
                suffix = known.suffix
                i = labels.end
                seriesEnd = i
            }
        }

        // The separator before the value.
        if openMetrics {
            guard i < end else { throw LineFault(i, "sample \(ByteText.quoted(p, nameStart, nameEnd)) has no value") }
            guard p[i] == UInt8(ascii: " ") else { throw unexpectedAfterSeries(p, i, hasLabels: seriesEnd != nameEnd) }
            i += 1
        } else {
            while i < end && ByteClass.isBlank(p[i]) { i += 1 }
            guard i < end else { throw LineFault(i, "sample \(ByteText.quoted(p, nameStart, nameEnd)) has no value") }
        }

        // The value.
        let valueStart = i
        while i < end && p[i] != UInt8(ascii: " ") && (openMetrics || p[i] != 0x09) { i &+= 1 }
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
                    timestampMs = try openMetricsTimestamp(p, tsStart, i)
                    if i < end {
                        i += 1
                        guard p[i] == UInt8(ascii: "#") else {
                            throw LineFault(i, "unexpected text after the timestamp")
                        }
                    }
                }
                if i < end {
                    try parseExemplar(p, at: i, end: end, nameStart: nameStart, nameEnd: nameEnd,
                                      labelCount: labels.count)
                }
            }
        } else if i < end {
            while i < end && ByteClass.isBlank(p[i]) { i += 1 }
            let tsStart = i
            while i < end && !ByteClass.isBlank(p[i]) { i += 1 }
            if p[tsStart] == UInt8(ascii: "#") {
                throw LineFault(tsStart, "exemplars are only allowed in OpenMetrics")
            }
            guard let ms = Timestamp.text(p, tsStart, i) else {
                let text = ByteText.quoted(p, tsStart, i)
                throw LineFault(tsStart, "timestamp \(text) is not an integer number of milliseconds")
            }
            timestampMs = ms
            while i < end && ByteClass.isBlank(p[i]) { i += 1 }
            if i < end { throw LineFault(i, "unexpected text after the timestamp") }
        }

        // The family.
        let match = matchFamily(p, nameStart, nameEnd, suffix: suffix)
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
                                          nameStart: nameStart, nameEnd: nameEnd, le: le, quantile: quantile)
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
            labelSpans: UnsafeBufferPointer(start: spans, count: labels.count), knownSeriesToken: token))
    }

    /// The OpenMetrics timestamp `p[start..<end]` in milliseconds (see ``Timestamp/openMetrics(_:_:_:what:)``),
    /// reusing the last one parsed when the bytes are the same.
    @inline(__always)
    private mutating func openMetricsTimestamp(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) throws(LineFault) -> Int64 {
        let length = end - start
        guard length > 0 && length <= 16 else { return try Timestamp.openMetrics(p, start, end, what: "timestamp") }
        var text: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &text) { raw in raw.baseAddress?.copyMemory(from: p + start, byteCount: length) }
        if length == lastTimestampLength && text == lastTimestampText { return lastTimestampMs }
        let ms = try Timestamp.openMetrics(p, start, end, what: "timestamp")
        lastTimestampText = text
        lastTimestampLength = length
        lastTimestampMs = ms
        return ms
    }

    /// The fault for an unexpected byte after a metric name or label set.
    private func unexpectedAfterSeries(_ p: UnsafePointer<UInt8>, _ i: Int, hasLabels: Bool) -> LineFault {
        let c = p[i]
        if hasLabels || ByteClass.isBlank(c) {
            return LineFault(i, "expected a single space before the value, found \(ByteText.shown(c))")
        }
        return LineFault(i, "invalid character \(ByteText.shown(c)) in metric name")
    }
}
