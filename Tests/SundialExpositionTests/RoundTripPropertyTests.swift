import SundialExposition
import Testing

/// Random families, printed in either format and parsed back, come out exactly as generated.
@Suite struct RoundTripPropertyTests {
    /// Generates, prints and parses one document; returns the seed's failures as messages.
    static func check(seed: UInt64, format: ExpositionFormat) -> [String] {
        var generator = RandomFamilies(seed: seed, format: format)
        let families = generator.families()
        var printer = ExpositionPrinter(format: format, seed: seed)
        printer.write(families)
        let document = parse(printer.text, format)
        var failures: [String] = []
        if !document.errors.isEmpty { failures.append("errors \(errorList(document))") }
        if document.metadata != printer.expectedMetadata {
            failures.append("metadata \(document.metadata) != \(printer.expectedMetadata)")
        }
        if document.samples.count != printer.expectedSamples.count {
            failures.append("\(document.samples.count) samples, expected \(printer.expectedSamples.count)")
        }
        for (got, want) in zip(document.samples, printer.expectedSamples) where got != want {
            failures.append("sample \(got) != \(want)")
            break
        }
        // The same document in random pieces.
        var rng = SeededGenerator(seed: seed)
        let size = Int.random(in: 1...64, using: &rng)
        if parseInPieces(printer.text, format, size: size) != document {
            failures.append("pieces of \(size) bytes differ")
        }
        if !failures.isEmpty { failures.append("text:\n\(printer.text)") }
        return failures
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func randomFamiliesRoundTrip(format: ExpositionFormat) {
        let base = UInt64.random(in: 0...UInt64.max)
        var sampleCount = 0
        for k in UInt64(0)..<300 {
            let seed = base &+ k
            let failures = Self.check(seed: seed, format: format)
            #expect(failures.isEmpty, "seed \(seed) (\(format)): \(failures.joined(separator: "\n"))")
            if !failures.isEmpty { break }
            var generator = RandomFamilies(seed: seed, format: format)
            sampleCount += generator.families().reduce(0) { $0 + $1.samples.count }
        }
        // The generator must really produce samples, or the property proves nothing.
        #expect(sampleCount > 1_000)
    }

    /// Replays one seed; set it from a failure message to debug.
    @Test func aFixedSeedRoundTrips() {
        #expect(Self.check(seed: 42, format: .prometheusText).isEmpty)
        #expect(Self.check(seed: 42, format: .openMetrics).isEmpty)
    }
}
