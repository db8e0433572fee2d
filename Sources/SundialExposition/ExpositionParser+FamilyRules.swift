extension ExpositionParser {
    /// The rules a family's type sets for its samples.
    /// - Parameters:
    ///   - le: What the series' `le` label holds, when already known (from the known-series cache).
    ///   - quantile: What its `quantile` label holds, when already known.
    /// - Returns: For a histogram bucket, the index of its `le` label and whether it is `+Inf`.
    func checkFamilyRules(
        _ p: UnsafePointer<UInt8>, role: SampleRole, value: Double, labelCount: Int, nameStart: Int, nameEnd: Int,
        le knownLE: NumericLabel?, quantile knownQuantile: NumericLabel?
    ) throws(LineFault) -> (index: Int, isInfinity: Bool)? {
        switch family.type {
        case .histogram, .gaugeHistogram:
            guard role == .bucket else { return nil }
            switch knownLE ?? numericLabel(p, named: "le", labelCount: labelCount) {
            case .absent:
                throw LineFault(nameStart, "histogram bucket \(ByteText.quoted(p, nameStart, nameEnd)) has no le label")
            case .notANumber(let index):
                throw notANumber(p, index, name: "le")
            case .number(let index, let isInfinity):
                return (index, isInfinity)
            }
        case .summary:
            guard role == .plain else { return nil }
            switch knownQuantile ?? numericLabel(p, named: "quantile", labelCount: labelCount) {
            case .absent:
                let name = ByteText.quoted(p, nameStart, nameEnd)
                throw LineFault(nameStart, "summary sample \(name) has no quantile label")
            case .notANumber(let index):
                throw notANumber(p, index, name: "quantile")
            case .number:
                break
            }
        case .counter:
            if format == .openMetrics && role == .total && value < 0 {
                throw LineFault(nameStart, "counter \(ByteText.quoted(p, nameStart, nameEnd)) has a negative value")
            }
        case .stateset where format == .openMetrics:
            let found = family.name.withUnsafeBufferPointer { name in
                labelIndex(p, named: name, labelCount: labelCount) != nil
            }
            let name = ByteText.quoted(p, nameStart, nameEnd)
            guard found else {
                throw LineFault(nameStart, "stateset sample \(name) has no label named like its family")
            }
            guard value == 0 || value == 1 else {
                throw LineFault(nameStart, "stateset sample \(name) has a value other than 0 or 1")
            }
        default:
            break
        }
        return nil
    }

    /// The index of the label named `name`, or `nil`. (Names are unique within a sample.)
    private func labelIndex(_ p: UnsafePointer<UInt8>, named name: StaticString, labelCount: Int) -> Int? {
        let bytes = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        return labelIndex(p, named: bytes, labelCount: labelCount)
    }

    /// The index of the label whose name is the bytes `name`, or `nil`.
    private func labelIndex(
        _ p: UnsafePointer<UInt8>, named name: UnsafeBufferPointer<UInt8>, labelCount: Int
    ) -> Int? {
        guard let nameBase = name.baseAddress else { return nil }
        // Backwards: `le` and `quantile` come last in what client libraries write.
        for k in stride(from: labelCount - 1, through: 0, by: -1) {
            let span = spans[k]
            if span.nameEnd - span.nameStart == name.count
                && ByteText.same(p + span.nameStart, nameBase, count: name.count) {
                return k
            }
        }
        return nil
    }

    /// What the label `name` of the current line holds: absent, not a number, or a number (and whether `+Inf`).
    ///
    /// A pure function of the label set's bytes, kept by the known-series cache.
    func numericLabel(_ p: UnsafePointer<UInt8>, named name: StaticString, labelCount: Int) -> NumericLabel {
        guard let index = labelIndex(p, named: name, labelCount: labelCount) else { return .absent }
        let span = spans[index]
        guard case .value(let v) = DecimalFloat.parse(p, span.valueStart, span.valueEnd) else {
            return .notANumber(index: index)
        }
        return .number(index: index, isInfinity: v == .infinity)
    }

    /// The fault for label `index`, named `name`, whose value is not a number.
    private func notANumber(_ p: UnsafePointer<UInt8>, _ index: Int, name: String) -> LineFault {
        let span = spans[index]
        return LineFault(span.valueStart - 1,
                         "\(name) label value \(ByteText.quoted(p, span.valueStart, span.valueEnd)) is not a number")
    }
}
