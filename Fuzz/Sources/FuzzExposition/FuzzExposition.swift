import SundialExposition

/// Consumes everything the parser reports, so that nothing is optimised away.
struct CountingSink: ExpositionSink {
    var events = 0
    mutating func metadata(_ metadata: FamilyMetadata) { events += 1 }
    mutating func sample(_ sample: ParsedSample) {
        // What ingest reads of a sample: its labels, unescaped, and its names.
        events += sample.labels().count + sample.metricNameString().utf8.count + sample.familyNameString().utf8.count
    }
    mutating func reject(_ error: ExpositionError) { events += error.message.utf8.count > 0 ? 1 : 0 }
}

/// libFuzzer's entry point. The first byte picks the format (bit 0) and where the input is split
/// between two `feed` calls; the rest is the scrape. The same parser then reads it a second time, so
/// the known-series path of a reused parser is fuzzed too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExposition(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let control = data[0]
    let body = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    let format: ExpositionFormat = control & 1 == 0 ? .prometheusText : .openMetrics
    let split = body.isEmpty ? 0 : Int(control >> 1) % (body.count + 1)
    var parser = ExpositionParser(format: format, fileName: "fuzz")
    var sink = CountingSink()
    for pass in 0..<2 {
        parser.startDocument(fileName: "fuzz-\(pass)")
        parser.feed(UnsafeRawBufferPointer(rebasing: body[0..<split]), into: &sink)
        parser.feed(UnsafeRawBufferPointer(rebasing: body[split...]), into: &sink)
        parser.finish(into: &sink)
    }
    return sink.events < 0 ? 1 : 0
}
