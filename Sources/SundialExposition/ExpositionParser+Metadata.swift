extension ExpositionParser {
    /// Parses a line whose first non-blank byte, at `p[hash]`, is `#`: `# HELP`, `# TYPE`, `# UNIT`, `# EOF` or a
    /// comment.
    ///
    /// Text format: `#`, blanks, `HELP` or `TYPE`, blanks, the name, one blank, the text (as Prometheus reads it);
    /// anything else is a comment. OpenMetrics: `# HELP `, `# TYPE `, `# UNIT ` with single spaces, or `# EOF`;
    /// other lines starting with `#` are taken as comments.
    mutating func parseCommentLine(
        _ p: UnsafePointer<UInt8>, _ hash: Int, _ end: Int, _ lineNumber: Int, _ sink: inout some ExpositionSink
    ) throws(LineFault) {
        let openMetrics = format == .openMetrics
        var i = hash + 1
        var kind: FamilyKinds
        if openMetrics {
            guard i < end, p[i] == UInt8(ascii: " ") else { return }
            i += 1
            var trimmed = end
            while trimmed > i && ByteClass.isBlank(p[trimmed - 1]) { trimmed -= 1 }
            if ByteText.equals(p, i, trimmed, "EOF") {
                closeFamily(into: &sink)
                sawEOF = true
                return
            }
            if ByteText.hasPrefix(p, i, end, "HELP ") { kind = .help }
            else if ByteText.hasPrefix(p, i, end, "TYPE ") { kind = .type }
            else if ByteText.hasPrefix(p, i, end, "UNIT ") { kind = .unit }
            else { return }
            i += 5
        } else {
            guard i < end, ByteClass.isBlank(p[i]) else { return }
            while i < end && ByteClass.isBlank(p[i]) { i += 1 }
            guard end - i > 4, ByteClass.isBlank(p[i + 4]) else { return }
            if ByteText.equals(p, i, i + 4, "HELP") { kind = .help }
            else if ByteText.equals(p, i, i + 4, "TYPE") { kind = .type }
            else { return }
            i += 4
            while i < end && ByteClass.isBlank(p[i]) { i += 1 }
        }

        // The family name.
        guard i < end else { throw LineFault(i, "\(kind.word) line has no metric name") }
        guard ByteClass.isMetricNameStart(p[i]) else {
            throw LineFault(i, "invalid metric name in \(kind.word) line: it must start with a letter, _ or :, "
                + "not \(ByteText.shown(p[i]))")
        }
        let nameStart = i
        i += 1
        while i < end && ByteClass.isMetricNameByte(p[i]) { i += 1 }
        let nameEnd = i
        if i < end && !(openMetrics ? p[i] == UInt8(ascii: " ") : ByteClass.isBlank(p[i])) {
            throw LineFault(i, "invalid character \(ByteText.shown(p[i])) in metric name")
        }
        let textStart = min(i + 1, end)

        switch kind {
        case .help:
            try Escapes.validate(p, textStart, end, kind: openMetrics ? .labelValue : .textHelp, what: "help text")
            let help = Escapes.decode(UnsafeRawBufferPointer(start: p + textStart, count: end - textStart))
            try applyMetadata(.help, p, nameStart, nameEnd, help: help, &sink)
        case .type:
            var wordStart = textStart
            while wordStart < end && ByteClass.isBlank(p[wordStart]) { wordStart += 1 }
            var wordEnd = end
            while wordEnd > wordStart && ByteClass.isBlank(p[wordEnd - 1]) { wordEnd -= 1 }
            guard wordEnd > wordStart else {
                throw LineFault(wordStart, "TYPE line for \(ByteText.quoted(p, nameStart, nameEnd)) has no type")
            }
            guard let type = MetricType.fromWord(p, wordStart, wordEnd, format: format) else {
                let formatName = openMetrics ? "OpenMetrics" : "the text format"
                let word = ByteText.quoted(p, wordStart, wordEnd)
                throw LineFault(wordStart, "unknown metric type \(word) in \(formatName)")
            }
            try applyMetadata(.type, p, nameStart, nameEnd, type: type, &sink)
        default:
            var unitEnd = end
            while unitEnd > textStart && ByteClass.isBlank(p[unitEnd - 1]) { unitEnd -= 1 }
            let unitLength = unitEnd - textStart
            if unitLength > 0 {
                let suffixStart = nameEnd - unitLength
                guard suffixStart - 1 > nameStart, p[suffixStart - 1] == UInt8(ascii: "_"),
                      ByteText.same(p + suffixStart, p + textStart, count: unitLength) else {
                    throw LineFault(textStart, "unit \(ByteText.quoted(p, textStart, unitEnd)) is not a suffix of "
                        + "metric name \(ByteText.quoted(p, nameStart, nameEnd))")
                }
            }
            let unit = String(decoding: UnsafeBufferPointer(start: p + textStart, count: unitLength), as: UTF8.self)
            try applyMetadata(.unit, p, nameStart, nameEnd, unit: unit, &sink)
        }
    }
}
