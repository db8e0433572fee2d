extension ExpositionParser {
    /// Guesses the format from the first bytes of the input and the file name.
    ///
    /// The rule: OpenMetrics when a whole line of `prefix` shows a construct only OpenMetrics has, namely
    /// `# EOF`, `# UNIT …`, `# TYPE name W` with W one of `gaugehistogram`, `info`, `stateset`, `unknown`, or an
    /// exemplar (` # {` after a sample's value); otherwise OpenMetrics when `fileName` ends in `.om`,
    /// `.openmetrics`, `.om.txt` or `.openmetrics.txt` (case-insensitive); otherwise the Prometheus text format.
    /// A last line cut off by the end of `prefix` is not looked at. 4 KiB of prefix is usually plenty.
    /// - Parameters:
    ///   - prefix: The first bytes of the input (any length).
    ///   - fileName: The file name, or an empty string.
    /// - Returns: The guessed format.
    public static func detectFormat(prefix: UnsafeRawBufferPointer, fileName: String) -> ExpositionFormat {
        if prefixShowsOpenMetrics(prefix) { return .openMetrics }
        let lower = fileName.lowercased()
        for ending in [".om", ".openmetrics", ".om.txt", ".openmetrics.txt"] where lower.hasSuffix(ending) {
            return .openMetrics
        }
        return .prometheusText
    }

    private static func prefixShowsOpenMetrics(_ prefix: UnsafeRawBufferPointer) -> Bool {
        guard let base = prefix.baseAddress else { return false }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = prefix.count
        var start = 0
        while start < n {
            var end = start
            while end < n && p[end] != 0x0A { end += 1 }
            guard end < n else { return false }
            var last = end
            if last > start && p[last - 1] == 0x0D { last -= 1 }
            while last > start && ByteClass.isBlank(p[last - 1]) { last -= 1 }
            if lineShowsOpenMetrics(p, start, last) { return true }
            start = end + 1
        }
        return false
    }

    private static func lineShowsOpenMetrics(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        if ByteText.equals(p, start, end, "# EOF") || ByteText.hasPrefix(p, start, end, "# UNIT ") { return true }
        if ByteText.hasPrefix(p, start, end, "# TYPE ") {
            var wordStart = end
            while wordStart > start && !ByteClass.isBlank(p[wordStart - 1]) { wordStart -= 1 }
            return ByteText.equals(p, wordStart, end, "gaugehistogram") || ByteText.equals(p, wordStart, end, "info")
                || ByteText.equals(p, wordStart, end, "stateset") || ByteText.equals(p, wordStart, end, "unknown")
        }
        guard start < end, p[start] != UInt8(ascii: "#") else { return false }
        // An exemplar: ` # {` outside quotes.
        var inQuotes = false
        var k = start
        while k < end {
            let c = p[k]
            if inQuotes {
                if c == UInt8(ascii: "\\") { k += 1 } else if c == UInt8(ascii: "\"") { inQuotes = false }
            } else if c == UInt8(ascii: "\"") {
                inQuotes = true
            } else if c == UInt8(ascii: "#") && k + 2 < end && p[k - 1] == UInt8(ascii: " ")
                        && p[k + 1] == UInt8(ascii: " ") && p[k + 2] == UInt8(ascii: "{") {
                return true
            }
            k += 1
        }
        return false
    }
}
