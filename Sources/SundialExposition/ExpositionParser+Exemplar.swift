extension ExpositionParser {
    /// Checks an OpenMetrics exemplar ` # {labels} value [timestamp]` starting at the `#` at `p[i]`.
    mutating func parseExemplar(
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
        _ = try Timestamp.openMetrics(p, tsStart, j, what: "exemplar timestamp")
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
}
