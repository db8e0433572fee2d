import Testing
@testable import SundialGenerator

/// The text of every scrape is what client_golang would print for the modelled server.
@Suite struct ScrapeStructureTests {
    static let scrapes = CorpusFixtures.eventfulScrapes
    static let parsed = CorpusFixtures.eventfulParsed

    @Test func everyLineParsesAndIsOrderedAsClientGolangWritesIt() {
        #expect(Self.scrapes.count > 300)
        for (scrape, parsed) in zip(Self.scrapes, Self.parsed) {
            #expect(parsed.problems.isEmpty, "scrape \(scrape.index): \(parsed.problems.prefix(3))")
            #expect(parsed.sampleCount > 100)
            for (name, type) in parsed.types {
                #expect(CorpusFixtures.tallyFamilies.contains(name), "unexpected family \(name)")
                #expect(["counter", "gauge", "histogram"].contains(type))
            }
        }
    }

    @Test func helpLinesRepeatTheTypeAsTallyDoes() {
        let text = String(decoding: Self.scrapes[0].text, as: UTF8.self)
        #expect(text.contains("# HELP service_requests service_requests counter\n# TYPE service_requests counter\n"))
        #expect(text.contains("# HELP service_latency service_latency histogram\n# TYPE service_latency histogram\n"))
        #expect(text.contains("# HELP num_goroutines num_goroutines gauge\n# TYPE num_goroutines gauge\n"))
        #expect(!text.contains("_total"))
    }

    @Test func histogramsAreCumulativeWithCountEqualToTheInfBucket() {
        let expectedBounds = CorpusScale.referenceBucketsSeconds.map(GoFloatFormat.string) + ["+Inf"]
        #expect(expectedBounds.first == "0.001" && expectedBounds[12] == "10")
        for parsed in Self.parsed {
            var buckets: [String: [(String, Double)]] = [:]
            var counts: [String: Double] = [:]
            var sums: [String: Double] = [:]
            for sample in parsed.samples {
                if sample.name.hasSuffix("_bucket") {
                    buckets[sample.histogramKey, default: []].append((sample["le"] ?? "", sample.value))
                } else if sample.name.hasSuffix("_count") {
                    counts[sample.histogramKey] = sample.value
                } else if sample.name.hasSuffix("_sum") {
                    sums[sample.histogramKey] = sample.value
                }
            }
            #expect(!buckets.isEmpty)
            for (key, series) in buckets {
                #expect(series.map(\.0) == expectedBounds, "\(key) bounds")
                let values = series.map(\.1)
                #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }, "\(key) not cumulative: \(values)")
                #expect(counts[key] == values.last, "\(key): _count \(counts[key] ?? -1) vs +Inf \(values.last ?? -1)")
                let sum = sums[key] ?? -1
                #expect(sum > 0, "\(key): _sum \(sum)")
                // Every observation lies between its bucket's bounds, so the sum does too.
                let bounds = [0.0] + CorpusScale.referenceBucketsSeconds
                var low = 0.0
                var previous = 0.0
                for (b, value) in values.enumerated() {
                    low += (value - previous) * bounds[b]
                    previous = value
                }
                #expect(sum >= low * (1 - 1e-9), "\(key): _sum \(sum) below \(low)")
            }
        }
    }

    @Test func labelsAreSanitisedAndCarryServiceNameButNoScrapeLabels() {
        let parsed = Self.parsed.last ?? ParsedScrape()
        var services = Set<String>()
        for sample in parsed.samples {
            guard let service = sample["service_name"] else {
                Issue.record("\(sample.name) has no service_name")
                continue
            }
            services.insert(service)
            #expect(sample["instance"] == nil && sample["job"] == nil)
            for label in sample.labels where label.name != "le" {
                #expect(label.value.utf8.allSatisfy(ExpositionChecker.isNameByte), "\(label.name)=\(label.value)")
            }
            if sample.name.hasPrefix("workflow_") {
                #expect(sample["operation"] == "CompletionStats" && sample["namespace_state"] == "active")
                #expect(sample["service_name"] == "history" && sample["taskqueue"] != nil && sample["workflowType"] != nil)
            }
        }
        #expect(services == ["frontend", "history", "matching"])
        let text = String(decoding: Self.scrapes.last?.text ?? [], as: UTF8.self)
        #expect(text.contains("taskqueue=\"hello_world\""))
        #expect(text.contains("error_type=\"serviceerror_"))
    }

    @Test func errorSeriesAppearOnlyAfterTheirFirstIncrement() {
        for parsed in Self.parsed {
            for sample in parsed.samples where sample.name.contains("error") {
                #expect(sample.value >= 1, "\(sample.seriesKey) exposed at \(sample.value)")
            }
        }
        // A fresh process shows no unexpected errors at first, as a real server does.
        let afterRestart = Self.scrapes.first { s in CorpusFixtures.eventful.restarts.contains { $0.firstScrapeAfter == s.index } }
        let fresh = ExpositionChecker.parse(afterRestart?.text ?? [])
        #expect(!fresh.samples.isEmpty)
        #expect(!fresh.samples.contains { $0.name == "service_errors" || $0.name == "persistence_errors" })
    }

    @Test func gaugesAreAlwaysPresentAndPlausible() {
        for parsed in Self.parsed {
            let samples = parsed.samples
            let goroutines = samples.filter { $0.name == "num_goroutines" }
            let heap = samples.filter { $0.name == "memory_heap" }
            #expect(goroutines.count == 3 && heap.count == 3)
            #expect(goroutines.allSatisfy { $0.value >= 20 && $0.value < 100_000 })
            #expect(heap.allSatisfy { $0.value > 1e7 && $0.value < 1e10 && $0.valueText.contains("e+0") })
            #expect(samples.filter { $0.name == "restarts" }.allSatisfy { $0.value == 1 })
        }
    }
}
