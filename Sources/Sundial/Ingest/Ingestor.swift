import Foundation

/// Reads scrape files (Prometheus text or OpenMetrics; files, directories, standard input, `.gz`)
/// into a store: streaming, every bad line named, each file stored whole or not at all.
///
/// ```swift
/// let store = try Store.open(at: "./sundial-data")
/// var options = IngestOptions()
/// options.extraLabels = [Label("cluster", "prod")]
/// let report = try Ingestor(store: store, options: options).ingest(paths: ["scrapes/"])
/// print(report.samples, report.rejectedLines)
/// ```
public struct Ingestor {
    /// Called now and then with progress: files done, bytes read so far, samples so far.
    public typealias Progress = (_ filesDone: Int, _ bytesRead: Int, _ samples: Int) -> Void

    let store: Store
    let options: IngestOptions

    /// Creates an ingestor writing into `store`.
    public init(store: Store, options: IngestOptions = IngestOptions()) {
        self.store = store
        self.options = options
    }

    /// Ingests `paths` (files, directories searched recursively, `-` for standard input), oldest scrape first.
    /// - Throws: ``IngestError`` when an input cannot be read or the store fails; lines that do not parse
    ///   are not errors: they are counted and listed in the report.
    public func ingest(paths: [String], progress: Progress? = nil) throws(IngestError) -> IngestReport {
        let files = try InputFile.expand(paths, timeOverrideMs: options.timeMs)
        return try ingest(files: files, progress: progress)
    }

    /// Ingests already expanded inputs in the order given. Parsing threads (one per core, each taking
    /// every n-th unit) feed the calling thread, which stores the files strictly in order. A unit is a file,
    /// or a piece of a large file (see ``IngestOptions/splitFileBytes``), so one large file is parsed by every
    /// parsing thread and still stored whole or not at all.
    public func ingest(files: [InputFile], progress: Progress? = nil) throws(IngestError) -> IngestReport {
        let started = DispatchTime.now().uptimeNanoseconds
        let seriesBefore = store.statistics().series
        let load: BulkLoad
        do { load = try store.bulkLoad() } catch { throw .storage(error) }
        let units = Self.units(of: files, options: options)
        let parsers = max(1, min(options.parsingThreads ?? ProcessInfo.processInfo.activeProcessorCount, 8, units.count))
        let channels = (0..<parsers).map { _ in IngestChannel(capacity: 32 / parsers) }
        let done = DispatchSemaphore(value: 0)
        for k in 0..<parsers {
            let share = Array(stride(from: k, to: units.count, by: parsers).map { units[$0] })
            let thread = Thread { [store, options] in
                ParseWorker.run(share, store: store, options: options, channel: channels[k])
                done.signal()
            }
            thread.name = "sundial-parse-\(k)"
            thread.stackSize = 8 << 20
            thread.start()
        }
        defer {
            for channel in channels { channel.cancel() }
            for _ in 0..<parsers { done.wait() }
        }

        var session = IngestSession(load: load, options: options)
        do throws(IngestError) {
            var index = 0
            while index < units.count {
                switch units[index] {
                case .whole(let file):
                    try Self.receiveFile(file, from: channels[index % parsers], into: &session)
                    index += 1
                case .piece(let first):
                    let channelsInOrder = (index..<(index + first.count)).map { channels[$0 % parsers] }
                    try receiveCutFile(first.file, from: channelsInOrder, signal: first.signal, into: &session)
                    index += first.count
                }
                progress?(session.report.files, session.report.bytes, session.report.samples)
            }
            do throws(StorageError) { try session.commit(final: true) } catch { throw .storage(error) }
        } catch {
            load.abort()
            throw error
        }
        var report = session.report
        report.seriesSeen = session.distinctSeries
        report.totalSeries = store.statistics().series
        report.newSeries = report.totalSeries - seriesBefore
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return report
    }

    /// The units the parsing threads share: each file whole, or in pieces when it is large (see ``FilePiece``).
    static func units(of files: [InputFile], options: IngestOptions) -> [ParseUnit] {
        var units: [ParseUnit] = []
        for file in files {
            if options.splitFileBytes > 0, file.bytes >= options.splitFileBytes, file.path != "-",
               !file.path.hasSuffix(".gz"), let format = options.format ?? formatOfPlainFile(file),
               let pieces = FilePiece.plan(file, format: format, options: options) {
                units.append(contentsOf: pieces.map { .piece($0) })
            } else {
                units.append(.whole(file))
            }
        }
        return units
    }

    /// The format of a plain file, from its first 8 KiB and its end (as a parsing thread detects it).
    private static func formatOfPlainFile(_ file: InputFile) -> ExpositionFormat? {
        guard let handle = FileHandle(forReadingAtPath: file.path) else { return nil }
        defer { try? handle.close() }
        guard let prefix = try? handle.read(upToCount: 8 * 1024), !prefix.isEmpty else { return nil }
        return detectFormat(prefix: Array(prefix), file: file)
    }

    /// The format of a file: OpenMetrics when it ends with `# EOF`, else what the parser's detection
    /// makes of its first 8 KiB and its name.
    static func detectFormat(prefix: [UInt8], file: InputFile) -> ExpositionFormat {
        if file.path != "-", !file.path.hasSuffix(".gz"), let handle = FileHandle(forReadingAtPath: file.path) {
            defer { try? handle.close() }
            if let end = try? handle.seekToEnd(), end >= 6 {
                try? handle.seek(toOffset: end - min(end, 16))
                if let tail = try? handle.readToEnd(), String(decoding: tail, as: UTF8.self).contains("# EOF") {
                    return .openMetrics
                }
            }
        }
        return prefix.withUnsafeBytes { raw in
            ExpositionParser.detectFormat(prefix: UnsafeRawBufferPointer(rebasing: raw.prefix(8 * 1024)), fileName: file.path)
        }
    }
}
