extension ScrapeEngine {
    /// Appends the exposition of the current state.
    ///
    /// A family's `# HELP`/`# TYPE` lines are written before its first present series (a family with none
    /// is left out, as client_golang leaves out empty vectors). A counter is present once it is non-zero, a
    /// histogram once it has an observation; gauges always are.
    /// - Parameters:
    ///   - out: the buffer to append to.
    ///   - timestampSuffix: for OpenMetrics, ` <seconds>` to write after every value; `nil` for scrape text.
    ///   - headerWritten: one flag per family; headers already written are skipped (OpenMetrics writes each
    ///     family's metadata once per file). `nil`: headers are written in every scrape.
    func render(into out: inout [UInt8], timestampSuffix: [UInt8]?, headerWritten: inout [Bool]?) {
        let layout = catalog.layout
        let width = catalog.bucketCount + 1
        let unitsPerSecond = naming.histogramUnitsPerSecond
        let openMetrics = timestampSuffix != nil
        let suffix = timestampSuffix ?? []
        layout.prefixBytes.withUnsafeBufferPointer { prefixes in
            layout.prefixStarts.withUnsafeBufferPointer { starts in
                func appendLine(_ line: Int) {
                    let start = Int(starts[line]), end = Int(starts[line + 1])
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: prefixes[start..<end]))
                }
                for (f, family) in layout.families.enumerated() {
                    var headerDone = headerWritten?[f] ?? false
                    func header() {
                        if !headerDone {
                            out.append(contentsOf: openMetrics ? family.openMetricsHeader : family.textHeader)
                            headerDone = true
                            headerWritten?[f] = true
                        }
                    }
                    switch family.kind {
                    case .counter:
                        for slot in family.members {
                            let value = counters[Int(slot)]
                            if value == 0 { continue }
                            header()
                            appendLine(Int(layout.counterLine[Int(slot)]))
                            GoFloatFormat.appendInteger(value, to: &out)
                            out.append(contentsOf: suffix)
                            out.append(0x0A)
                        }
                    case .gauge:
                        for slot in family.members {
                            header()
                            appendLine(Int(layout.gaugeLine[Int(slot)]))
                            GoFloatFormat.append(gaugeValues[Int(slot)], to: &out)
                            out.append(contentsOf: suffix)
                            out.append(0x0A)
                        }
                    case .histogram:
                        for slot in family.members {
                            let h = Int(slot)
                            let base = h * width
                            var total: UInt64 = 0
                            for b in 0..<width { total += buckets[base + b] }
                            if total == 0 { continue }
                            header()
                            var line = Int(layout.histogramLine[h])
                            var cumulative: UInt64 = 0
                            for b in 0..<width {
                                cumulative += buckets[base + b]
                                appendLine(line)
                                GoFloatFormat.appendInteger(cumulative, to: &out)
                                out.append(contentsOf: suffix)
                                out.append(0x0A)
                                line += 1
                            }
                            appendLine(line)
                            GoFloatFormat.append(sums[h] * unitsPerSecond, to: &out)
                            out.append(contentsOf: suffix)
                            out.append(0x0A)
                            appendLine(line + 1)
                            GoFloatFormat.appendInteger(total, to: &out)
                            out.append(contentsOf: suffix)
                            out.append(0x0A)
                        }
                    }
                }
            }
        }
    }
}
