#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming parser for the Prometheus text exposition format 0.0.4 and OpenMetrics 1.0.
///
/// Feed it pieces of input of any size; it parses whole lines in place, keeps a partial last line for the next
/// call, and reports samples, metadata and rejected lines to a sink in input order. Memory stays flat: the parser
/// holds the longest line seen and one record per family name.
///
/// ```swift
/// var parser = ExpositionParser(format: .prometheusText, fileName: "scrape.prom")
/// var sink = MySink()
/// chunk.withUnsafeBytes { parser.feed($0, into: &sink) }
/// parser.finish(into: &sink)
/// ```
///
/// Every check the parser makes is listed on ``ExpositionError``. A copy of a parser continues independently (copies
/// share the known series described below, which changes no result), but the parser is not `Sendable`: use each
/// one, and its copies, from one task at a time.
///
/// ## Many files: reuse one parser
/// Reusing one parser for every file of a format is the fast way to parse many scrapes. After
/// ``finish(into:)`` the next ``feed(_:into:)`` starts a new document (line 1, no families, no bucket group), and
/// ``startDocument(fileName:)`` names it; what the parser keeps is only what does not depend on a document:
/// its buffers and its *known series*. From the second document on, every series text (metric name through the
/// closing `}`) whose labels passed their checks is remembered with what was derived from it (label positions,
/// label count, the `le` and `quantile` values, the name's family suffix); a later line that begins with the same
/// bytes, in this file or a later one, skips scanning and checking its name and labels again. Scrapes repeat their
/// series byte for byte, so most lines of later files take that path. (A parser that reads a single document
/// stores nothing and pays nothing.)
/// Results are exactly those of a fresh parser: everything that depends on the document (families, TYPE,
/// metadata order, bucket groups, values, timestamps, exemplars) is checked on every line. The memory for known
/// series is bounded: at most 32 MiB of stored texts and an 8 MiB table; when full, it is emptied and refilled.
///
/// ```swift
/// var parser = ExpositionParser(format: .prometheusText, fileName: files[0])
/// for file in files {
///     parser.startDocument(fileName: file)
///     // feed the file's bytes in pieces of any size
///     parser.finish(into: &sink)
/// }
/// ```
public struct ExpositionParser {
    /// The format being parsed.
    public let format: ExpositionFormat
    /// The file name used in errors; ``startDocument(fileName:)`` changes it.
    public private(set) var fileName: String
    /// The number of lines parsed so far, including rejected, blank and comment lines.
    public private(set) var linesRead: Int = 0

    /// A line split across `feed` calls, without its newline.
    var carry: [UInt8] = []
    /// The family that the last metadata line or sample opened.
    var family: FamilyState
    /// Which metadata and samples every family name seen so far has had.
    var history: [[UInt8]: FamilyKinds] = [:]
    /// The histogram bucket group being read.
    var group = BucketGroup()
    /// OpenMetrics: `# EOF` was read.
    var sawEOF = false
    /// OpenMetrics: the content after `# EOF` was reported.
    var reportedAfterEOF = false
    /// `finish` ran; the next `feed` starts a new document.
    var finished = false
    /// The last input byte was a newline (or there was no input yet).
    var endedWithNewline = true
    /// The column after the end of the last line when it had no newline.
    var openLineEndColumn = 1
    /// The label spans of the current line (see ``SpanStorage``).
    var spans: UnsafeMutablePointer<LabelSpan>
    /// How many spans fit in `spans`.
    var spanCapacity = 32
    /// Owns the span buffers.
    let spanStorage = SpanStorage()
    /// ``ByteClass/table``, kept here so that the hot loops read a stored property, not a lazy global.
    let byteClasses = ByteClass.table
    /// Series texts validated in this or an earlier document (see ``KnownSeries``); shared by copies.
    let knownSeries: KnownSeries
    /// Whether validated series texts are stored in ``knownSeries``: from the second document on, so that a
    /// parser that reads one document pays nothing for a cache it would never use.
    var storesKnownSeries: Bool
    /// The last OpenMetrics timestamp text parsed (up to 16 bytes, zero-padded), its length (0: none) and its
    /// value: the samples of one scrape share their timestamp, and parsing it is a pure function of its bytes.
    var lastTimestampText: (UInt64, UInt64) = (0, 0)
    var lastTimestampLength = 0
    var lastTimestampMs: Int64 = 0
    /// Names of implicit families recently recorded in ``history`` as having samples (a histogram's `_bucket`,
    /// `_sum` and `_count` alternate, each opening a family of its own after its first scrape).
    var recentSampleFamilies: [[UInt8]] = []
    /// The family names of this document's `# HELP`, `# TYPE` and `# UNIT` lines, accepted or not, in order.
    var metadataNames: [[UInt8]] = []

    /// Creates a parser.
    /// - Parameters:
    ///   - format: The format of the input; see ``detectFormat(prefix:fileName:)`` to guess it.
    ///   - fileName: The name used in errors (`file:line:column: message`).
    public init(format: ExpositionFormat, fileName: String) {
        self.init(format: format, fileName: fileName, knownSeries: KnownSeries())
    }

    /// Creates a parser with a known-series cache of its own (tests use a small one).
    /// - Parameter storesAtOnce: Store series texts from the first document on, not the second.
    init(format: ExpositionFormat, fileName: String, knownSeries: KnownSeries, storesAtOnce: Bool = false) {
        self.format = format
        self.fileName = fileName
        self.family = FamilyState(format: format)
        self.knownSeries = knownSeries
        self.storesKnownSeries = storesAtOnce
        self.spans = spanStorage.allocate(capacity: spanCapacity)
    }

    /// Starts a new document named `fileName`, keeping buffers and known series.
    ///
    /// Whatever the current document had is dropped without its end-of-input checks: call ``finish(into:)``
    /// first to run them. (After `finish`, the next ``feed(_:into:)`` starts a new document anyway; this names it,
    /// or abandons a document half read.)
    /// - Parameter fileName: The name used in the new document's errors.
    public mutating func startDocument(fileName: String) {
        startNewDocument()
        self.fileName = fileName
    }

    /// Makes room for at least one more span than `used`, keeping the first `used`.
    @inline(never)
    mutating func growSpans(keeping used: Int) {
        let capacity = spanCapacity * 2
        let bigger = spanStorage.allocate(capacity: capacity)
        bigger.initialize(from: spans, count: used)
        spans = bigger
        spanCapacity = capacity
    }

    /// Feeds the next piece of input; whole lines are parsed, a partial last line is kept for the next call.
    ///
    /// Pieces may split the input anywhere, also inside a line or between `\r` and `\n`; the result is the same as
    /// feeding it whole. After ``finish(into:)``, the next `feed` starts a new document from line 1.
    /// - Parameters:
    ///   - bytes: The next bytes of UTF-8 input.
    ///   - sink: Receives samples, metadata and errors.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, into sink: inout some ExpositionSink) {
        if finished { startNewDocument() }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        endedWithNewline = p[n - 1] == 0x0A
        var start = 0
        if !carry.isEmpty {
            guard let newline = memchr(p, 0x0A, n) else {
                carry.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
                return
            }
            let end = UnsafeRawPointer(newline) - base
            carry.append(contentsOf: UnsafeBufferPointer(start: p, count: end))
            processCarry(into: &sink)
            start = end + 1
        }
        while start < n {
            guard let newline = memchr(p + start, 0x0A, n - start) else {
                carry.append(contentsOf: UnsafeBufferPointer(start: p + start, count: n - start))
                return
            }
            let end = UnsafeRawPointer(newline) - base
            processLine(p + start, end - start, into: &sink)
            start = end + 1
        }
    }

    /// Parses a kept partial line (a last line without a newline) and closes the open family: what both the
    /// end of input and the end of a piece do first.
    mutating func processLastLineAndCloseFamily(into sink: inout some ExpositionSink) {
        if !carry.isEmpty {
            let line = carry
            openLineEndColumn = line.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return 1 }
                return ByteText.characterCount(base, 0, buffer.count) + 1
            }
            processCarry(into: &sink)
        }
        closeFamily(into: &sink)
    }

    /// End of input: parses a kept partial line and runs the end-of-input checks.
    ///
    /// The checks: the last histogram group needs a `+Inf` bucket, and OpenMetrics input needs `# EOF`.
    /// - Parameter sink: Receives what the last line and the checks produce.
    public mutating func finish(into sink: inout some ExpositionSink) {
        if finished { return }
        processLastLineAndCloseFamily(into: &sink)
        if format == .openMetrics && !sawEOF {
            let atEnd = endedWithNewline
            sink.reject(ExpositionError(
                file: fileName, line: atEnd ? linesRead + 1 : linesRead, column: atEnd ? 1 : openLineEndColumn,
                message: "OpenMetrics input does not end with # EOF"))
        }
        finished = true
    }

    /// Parses the kept partial line, now complete, and empties the buffer (keeping its capacity).
    mutating func processCarry(into sink: inout some ExpositionSink) {
        var line: [UInt8] = []
        swap(&line, &carry)
        line.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { processLine(base, buffer.count, into: &sink) }
        }
        line.removeAll(keepingCapacity: true)
        swap(&line, &carry)
    }

    /// Forgets the previous document, keeping buffers and known series.
    private mutating func startNewDocument() {
        if linesRead > 0 || !carry.isEmpty { storesKnownSeries = true }
        linesRead = 0
        carry.removeAll(keepingCapacity: true)
        family = FamilyState(format: format)
        history.removeAll(keepingCapacity: true)
        metadataNames.removeAll()
        recentSampleFamilies.removeAll(keepingCapacity: true)
        group = BucketGroup()
        sawEOF = false
        reportedAfterEOF = false
        finished = false
        endedWithNewline = true
        openLineEndColumn = 1
    }

    /// Parses one line (without its `\n`) and reports a rejection.
    private mutating func processLine(_ p: UnsafePointer<UInt8>, _ count: Int, into sink: inout some ExpositionSink) {
        linesRead += 1
        let lineNumber = linesRead
        var end = count
        if end > 0 && p[end - 1] == 0x0D { end -= 1 }
        if sawEOF {
            if !reportedAfterEOF {
                reportedAfterEOF = true
                report(LineFault(0, "content after # EOF is not allowed in OpenMetrics"), p, end, lineNumber, &sink)
            }
            return
        }
        do throws(LineFault) {
            try parseLine(p, end, lineNumber, &sink)
        } catch {
            report(error, p, end, lineNumber, &sink)
        }
    }

    /// Dispatches a line to the comment or the sample parser.
    @inline(__always)
    private mutating func parseLine(
        _ p: UnsafePointer<UInt8>, _ end: Int, _ lineNumber: Int, _ sink: inout some ExpositionSink
    ) throws(LineFault) {
        let openMetrics = format == .openMetrics
        var start = 0
        if !openMetrics { while start < end && ByteClass.isBlank(p[start]) { start += 1 } }
        if start < end && p[start] == UInt8(ascii: "#") {
            try parseCommentLine(p, start, end, lineNumber, &sink)
            return
        }
        var trimmedEnd = end
        while trimmedEnd > start && ByteClass.isBlank(p[trimmedEnd - 1]) { trimmedEnd -= 1 }
        if trimmedEnd == start {
            if openMetrics { throw LineFault(0, "blank lines are not allowed in OpenMetrics") }
            return
        }
        try parseSampleLine(p, start, trimmedEnd, lineNumber, &sink)
    }

    /// Sends a rejection to the sink.
    func report(
        _ fault: LineFault, _ p: UnsafePointer<UInt8>, _ count: Int, _ lineNumber: Int,
        _ sink: inout some ExpositionSink
    ) {
        sink.reject(ExpositionError(
            file: fileName, line: lineNumber, column: ByteText.column(p, count: count, offset: fault.offset),
            message: fault.message))
    }
}
