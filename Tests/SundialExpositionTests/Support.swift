import SundialExposition
import Testing

/// Parses `text` whole.
func parse(_ text: String, _ format: ExpositionFormat = .prometheusText, file: String = "t.prom") -> ParsedDocument {
    ExpositionParser.parse(text, format: format, fileName: file)
}

/// Parses `text` fed in pieces of `size` bytes.
func parseInPieces(_ text: String, _ format: ExpositionFormat, size: Int, file: String = "t.prom") -> ParsedDocument {
    var parser = ExpositionParser(format: format, fileName: file)
    var document = ParsedDocument()
    let bytes = Array(text.utf8)
    var start = 0
    while start < bytes.count {
        let end = min(start + size, bytes.count)
        // A fresh array per piece, so that no piece can be read past its end.
        let piece = Array(bytes[start..<end])
        piece.withUnsafeBytes { parser.feed($0, into: &document) }
        start = end
    }
    parser.finish(into: &document)
    return document
}

/// The errors as `line:column: message` strings, to compare in one go.
func errorList(_ document: ParsedDocument) -> [String] {
    document.errors.map { "\($0.line):\($0.column): \($0.message)" }
}

/// Labels as `name=value` pairs, for short comparisons.
func labelPairs(_ sample: ParsedDocument.Sample) -> [String] {
    sample.labels.map { "\($0.name)=\($0.value)" }
}

/// The metric names of the samples, in order.
func names(_ document: ParsedDocument) -> [String] {
    document.samples.map(\.name)
}
