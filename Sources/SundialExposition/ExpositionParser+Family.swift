/// Which metadata lines and whether samples a family has had.
struct FamilyKinds: OptionSet {
    let rawValue: UInt8
    static let help = FamilyKinds(rawValue: 1)
    static let type = FamilyKinds(rawValue: 2)
    static let unit = FamilyKinds(rawValue: 4)
    static let samples = FamilyKinds(rawValue: 8)

    /// `HELP`, `TYPE` or `UNIT`, for messages.
    var word: String {
        switch self {
        case .help: "HELP"
        case .type: "TYPE"
        default: "UNIT"
        }
    }
}

/// The family the parser is in.
struct FamilyState {
    /// Whether a family is open.
    var active = false
    /// The family name.
    var name: [UInt8] = []
    /// The declared type, or the format's implicit type.
    var type: MetricType
    /// What the family has had so far.
    var kinds: FamilyKinds = []
    /// The unescaped help text.
    var help: String?
    /// The unit.
    var unit: String?

    init(format: ExpositionFormat) {
        type = .implicit(for: format)
    }

    /// The record a sink receives.
    var metadata: FamilyMetadata {
        FamilyMetadata(name: String(decoding: name, as: UTF8.self), type: type, help: help, unit: unit)
    }
}

/// The consecutive `_bucket` samples of one histogram with the same labels other than `le`.
struct BucketGroup {
    var active = false
    /// The labels other than `le`: name, `=`, value as written, NUL, for each.
    var key: [UInt8] = []
    /// The text of the labels other than `le` from the first name to the last value, when they are contiguous
    /// (`le` first or last): equal text means equal labels, a single comparison for the common case.
    var rawKey: [UInt8] = []
    /// Whether `rawKey` is set.
    var rawKeyValid = false
    var sawInfinity = false
    /// Where the group's last bucket line is, for the missing `+Inf` error.
    var lastLine = 0
    var lastColumn = 0
}

/// What a sample's name is within its family: the suffix after the family name.
enum SampleRole: UInt8 {
    case plain, total, created, bucket, sum, count, gcount, gsum, info

    /// The role of the suffix `p[start..<end]`, which begins with `_`, or `nil` if it is not a family suffix.
    @inline(__always)
    static func of(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> SampleRole? {
        guard end - start >= 4, p[start] == UInt8(ascii: "_") else { return nil }
        let s = start + 1
        switch end - s {
        case 3:
            if ByteText.equals(p, s, end, "sum") { return .sum }
        case 4:
            if ByteText.equals(p, s, end, "gsum") { return .gsum }
            if ByteText.equals(p, s, end, "info") { return .info }
        case 5:
            if ByteText.equals(p, s, end, "total") { return .total }
            if ByteText.equals(p, s, end, "count") { return .count }
        case 6:
            if ByteText.equals(p, s, end, "bucket") { return .bucket }
            if ByteText.equals(p, s, end, "gcount") { return .gcount }
        case 7:
            if ByteText.equals(p, s, end, "created") { return .created }
        default:
            break
        }
        return nil
    }

    /// The length of the suffix, `_` included (0 for ``plain``).
    var suffixLength: Int {
        switch self {
        case .plain: 0
        case .sum: 4
        case .gsum, .info: 5
        case .total, .count: 6
        case .bucket, .gcount: 7
        case .created: 8
        }
    }

    /// The role of the suffix from the last `_` of the name `p[nameStart..<nameEnd]`, or `nil`.
    ///
    /// A pure function of the name: ``of(_:_:_:)`` can only find a suffix that starts at the name's last `_`,
    /// since no suffix word holds a `_`.
    static func ofLastSuffix(_ p: UnsafePointer<UInt8>, _ nameStart: Int, _ nameEnd: Int) -> SampleRole? {
        var k = nameEnd - 1
        while k >= max(nameStart, nameEnd - 8) {
            if p[k] == UInt8(ascii: "_") { return of(p, k, nameEnd) }
            k -= 1
        }
        return nil
    }

    /// Whether a family of `type` may have a sample of this role.
    @inline(__always)
    func isAllowed(in type: MetricType, format: ExpositionFormat) -> Bool {
        switch type {
        case .counter: self == .total || self == .created || (self == .plain && format == .prometheusText)
        case .gauge, .stateset, .untyped, .unknown: self == .plain
        case .histogram: self == .bucket || self == .sum || self == .count || self == .created
        case .gaugeHistogram: self == .bucket || self == .gsum || self == .gcount
        case .summary: self == .plain || self == .sum || self == .count || self == .created
        case .info: self == .info
        }
    }
}

/// What is known of the family suffix a metric name ends with (`_bucket` in `x_bucket`).
enum NameSuffix {
    /// Not looked at: find it against the family's name.
    case unknown
    /// The name ends with no family suffix.
    case none
    /// The name ends with this role's suffix.
    case role(SampleRole)
}

/// How a sample's name relates to the current family.
enum FamilyMatch {
    /// The sample belongs to the family.
    case member(SampleRole)
    /// The name has the family's prefix and a suffix its type does not allow.
    case contradiction
    /// The sample starts a family of its own.
    case newFamily
}

extension ExpositionParser {
    /// Finds where a sample named `p[nameStart..<nameEnd]` belongs.
    /// - Parameter suffix: The name's family suffix when already known (from the known-series cache).
    @inline(__always)
    func matchFamily(
        _ p: UnsafePointer<UInt8>, _ nameStart: Int, _ nameEnd: Int, suffix: NameSuffix = .unknown
    ) -> FamilyMatch {
        guard family.active else { return .newFamily }
        let familyLength = family.name.count
        guard nameEnd - nameStart >= familyLength else { return .newFamily }
        let prefixMatches = family.name.withUnsafeBufferPointer { name in
            guard let base = name.baseAddress else { return true }
            return ByteText.same(base, p + nameStart, count: familyLength)
        }
        guard prefixMatches else { return .newFamily }
        let role: SampleRole
        if nameEnd - nameStart == familyLength {
            role = .plain
        } else {
            let found: SampleRole?
            switch suffix {
            case .unknown: found = SampleRole.of(p, nameStart + familyLength, nameEnd)
            case .none: found = nil
            case .role(let known): found = nameEnd - nameStart - familyLength == known.suffixLength ? known : nil
            }
            guard let found else { return .newFamily }
            role = found
        }
        if role.isAllowed(in: family.type, format: format) { return .member(role) }
        return family.type.isUntyped ? .newFamily : .contradiction
    }

    /// Opens a family for a sample outside any declared family.
    ///
    /// Reuses the name's buffer and skips the history when the name is one of the last few recorded: in a file
    /// of many scrapes every histogram series opens three such families (`_bucket`, `_sum`, `_count`).
    mutating func openImplicitFamily(
        _ p: UnsafePointer<UInt8>, _ nameStart: Int, _ nameEnd: Int, _ sink: inout some ExpositionSink
    ) {
        closeFamily(into: &sink)
        let name = UnsafeBufferPointer(start: p + nameStart, count: nameEnd - nameStart)
        family.active = true
        family.name.removeAll(keepingCapacity: true)
        family.name.append(contentsOf: name)
        family.type = .implicit(for: format)
        family.kinds = .samples
        family.help = nil
        family.unit = nil
        if isRecentSampleFamily(name) { return }
        history[family.name, default: []].insert(.samples)
        if recentSampleFamilies.count == 4 { recentSampleFamilies.removeFirst() }
        recentSampleFamilies.append(family.name)
    }

    /// Whether `name` is one of ``recentSampleFamilies`` (so ``history`` already records its samples).
    @inline(__always)
    private func isRecentSampleFamily(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = name.baseAddress else { return false }
        for recent in recentSampleFamilies where recent.count == name.count {
            let same = recent.withUnsafeBufferPointer { r in r.baseAddress.map { ByteText.same($0, base, count: name.count) } ?? true }
            if same { return true }
        }
        return false
    }

    /// Records that the current family's samples began.
    mutating func markSamplesBegan() {
        family.kinds.insert(.samples)
        history[family.name, default: []].insert(.samples)
    }

    /// Applies a `# HELP`, `# TYPE` or `# UNIT` line for the family `p[nameStart..<nameEnd]`.
    /// - Throws: A fault at the name when the line repeats, comes after the family's samples, or returns to a
    ///   family after another began.
    mutating func applyMetadata(
        _ kind: FamilyKinds, _ p: UnsafePointer<UInt8>, _ nameStart: Int, _ nameEnd: Int,
        help: String? = nil, type: MetricType? = nil, unit: String? = nil, _ sink: inout some ExpositionSink
    ) throws(LineFault) {
        let name = UnsafeBufferPointer(start: p + nameStart, count: nameEnd - nameStart)
        metadataNames.append(Array(name))
        let shownName = String(decoding: name, as: UTF8.self)
        if family.active && family.name.elementsEqual(name) {
            if family.kinds.contains(kind) {
                throw LineFault(nameStart, "second \(kind.word) line for family \(shownName)")
            }
            if family.kinds.contains(.samples) {
                throw LineFault(nameStart, "\(kind.word) line for family \(shownName) comes after its samples")
            }
        } else {
            let key = Array(name)
            if let earlier = history[key] {
                if earlier.contains(kind) {
                    throw LineFault(nameStart, "second \(kind.word) line for family \(shownName)")
                }
                if earlier.contains(.samples) {
                    throw LineFault(nameStart, "\(kind.word) line for family \(shownName) comes after its samples")
                }
                throw LineFault(
                    nameStart, "\(kind.word) line for family \(shownName) is separated from its other metadata")
            }
            closeFamily(into: &sink)
            family = FamilyState(format: format)
            family.active = true
            family.name = key
        }
        family.kinds.insert(kind)
        history[family.name, default: []].insert(kind)
        if let help { family.help = help }
        if let type { family.type = type }
        if let unit { family.unit = unit }
        sink.metadata(family.metadata)
    }

    /// Ends the current family: closes its bucket group.
    mutating func closeFamily(into sink: inout some ExpositionSink) {
        closeGroup(into: &sink)
        family.active = false
    }

    /// Ends the current bucket group, reporting it if it had no `+Inf` bucket.
    mutating func closeGroup(into sink: inout some ExpositionSink) {
        guard group.active else { return }
        group.active = false
        if !group.sawInfinity {
            sink.reject(ExpositionError(
                file: fileName, line: group.lastLine, column: group.lastColumn,
                message: "histogram group of family \(String(decoding: family.name, as: UTF8.self)) "
                    + "has no bucket with le=\"+Inf\""))
        }
    }

    /// Adds a valid `_bucket` sample to its group, closing the previous group when the labels differ.
    mutating func trackBucket(
        _ p: UnsafePointer<UInt8>, labelCount: Int, leIndex: Int, isInfinity: Bool,
        line: Int, column: Int, _ sink: inout some ExpositionSink
    ) {
        let region = contiguousRegion(labelCount: labelCount, leIndex: leIndex)
        if !(group.active && rawKeyMatches(p, region)) {
            if !group.active || !groupKeyMatches(p, labelCount: labelCount, leIndex: leIndex) {
                closeGroup(into: &sink)
                group.key.removeAll(keepingCapacity: true)
                for k in 0..<labelCount where k != leIndex {
                    let span = spans[k]
                    let name = UnsafeBufferPointer(start: p + span.nameStart, count: span.nameEnd - span.nameStart)
                    let value = UnsafeBufferPointer(start: p + span.valueStart, count: span.valueEnd - span.valueStart)
                    group.key.append(contentsOf: name)
                    group.key.append(UInt8(ascii: "="))
                    group.key.append(contentsOf: value)
                    group.key.append(0)
                }
                group.active = true
                group.sawInfinity = false
            }
            group.rawKey.removeAll(keepingCapacity: true)
            if let region {
                group.rawKey.append(contentsOf: UnsafeBufferPointer(start: p + region.lowerBound, count: region.count))
            }
            group.rawKeyValid = region != nil
        }
        group.sawInfinity = group.sawInfinity || isInfinity
        group.lastLine = line
        group.lastColumn = column
    }

    /// Whether `region` of the line holds the same bytes as the group's raw key.
    private func rawKeyMatches(_ p: UnsafePointer<UInt8>, _ region: Range<Int>?) -> Bool {
        guard group.rawKeyValid, let region else { return false }
        return group.rawKey.withUnsafeBufferPointer { raw in
            guard raw.count == region.count else { return false }
            guard let base = raw.baseAddress else { return true }
            return ByteText.same(p + region.lowerBound, base, count: region.count)
        }
    }

    /// The byte range of the labels other than `le`, from the first name to the end of the last value, when
    /// `le` is the first or the last label; `nil` otherwise.
    private func contiguousRegion(labelCount: Int, leIndex: Int) -> Range<Int>? {
        if labelCount == 1 { return 0..<0 }
        if leIndex == labelCount - 1 { return spans[0].nameStart..<spans[labelCount - 2].valueEnd }
        if leIndex == 0 { return spans[1].nameStart..<spans[labelCount - 1].valueEnd }
        return nil
    }

    /// Whether the labels other than `le` are the group's, byte for byte, without building a key.
    private func groupKeyMatches(_ p: UnsafePointer<UInt8>, labelCount: Int, leIndex: Int) -> Bool {
        group.key.withUnsafeBufferPointer { key in
            guard let base = key.baseAddress else { return labelCount == 1 }
            var at = 0
            for k in 0..<labelCount where k != leIndex {
                let span = spans[k]
                let nameLength = span.nameEnd - span.nameStart
                let valueLength = span.valueEnd - span.valueStart
                guard at + nameLength + valueLength + 2 <= key.count,
                      ByteText.same(base + at, p + span.nameStart, count: nameLength),
                      base[at + nameLength] == UInt8(ascii: "="),
                      ByteText.same(base + at + nameLength + 1, p + span.valueStart, count: valueLength),
                      base[at + nameLength + 1 + valueLength] == 0 else { return false }
                at += nameLength + valueLength + 2
            }
            return at == key.count
        }
    }
}
