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
    /// every n-th file) feed the calling thread, which stores the files strictly in order.
    public func ingest(files: [InputFile], progress: Progress? = nil) throws(IngestError) -> IngestReport {
        let started = DispatchTime.now().uptimeNanoseconds
        let seriesBefore = store.statistics().series
        let load: BulkLoad
        do { load = try store.bulkLoad() } catch { throw .storage(error) }
        let parsers = max(1, min(options.parsingThreads ?? ProcessInfo.processInfo.activeProcessorCount, 8, files.count))
        let channels = (0..<parsers).map { _ in IngestChannel(capacity: 32 / parsers) }
        let done = DispatchSemaphore(value: 0)
        for k in 0..<parsers {
            let share = Array(stride(from: k, to: files.count, by: parsers).map { files[$0] })
            let thread = Thread { [store, options] in
                Self.parse(share, store: store, options: options, channel: channels[k])
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
            for index in 0..<files.count {
                let channel = channels[index % parsers]
                receiving: while true {
                    switch channel.receive() {
                    case let .fileStarted(file):
                        do throws(StorageError) { try session.beginFile(file) } catch { throw .storage(error) }
                    case let .samples(batch):
                        do throws(StorageError) { try session.add(batch) } catch { throw .storage(error) }
                    case let .fileDone(parsed):
                        do throws(StorageError) { try session.endFile(parsed) } catch { throw .storage(error) }
                        progress?(session.report.files, session.report.bytes, session.report.samples)
                        break receiving
                    case let .failed(error):
                        throw error
                    case .finished:
                        throw .unreadable(path: files[index].path, reason: "parsing ended before this file")
                    }
                }
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

    /// The parsing thread: reads and parses every file in order and sends the results down `channel`.
    private static func parse(_ files: [InputFile], store: Store, options: IngestOptions, channel: IngestChannel) {
        var session = ScrapeParseSession(store: store, options: options, channel: channel)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(ByteSource.pieceSize)
        // One parser per format, reused across files: it remembers series it has validated, so the
        // labels of a series seen in an earlier scrape are not scanned again.
        var parsers: [ExpositionFormat: ExpositionParser] = [:]
        for var file in files {
            if file.path == "-" && file.timeMs == nil { file.timeMs = TimeArgument.currentTimeMs() }
            let source: ByteSource
            do { source = try ByteSource(path: file.path) } catch {
                channel.send(.failed(error))
                return
            }
            guard channel.send(.fileStarted(file)) else { return }
            session.beginFile(file, displayName: source.name)
            var format: ExpositionFormat?
            do throws(IngestError) {
                while true {
                    let count = try source.read(into: &buffer)
                    if count == 0 { break }
                    if format == nil {
                        let detected = options.format ?? detectFormat(prefix: Array(buffer[0..<min(count, 8 * 1024)]), file: file)
                        format = detected
                        if parsers[detected] == nil { parsers[detected] = ExpositionParser(format: detected, fileName: source.name) }
                        parsers[detected]?.startDocument(fileName: source.name)
                        session.useParser(for: detected)
                    }
                    if let format {
                        buffer.withUnsafeBytes { raw in
                            parsers[format]?.feed(UnsafeRawBufferPointer(rebasing: raw[0..<count]), into: &session)
                        }
                    }
                    if session.stopsFile { break }
                }
            } catch {
                channel.send(.failed(error))
                return
            }
            if !session.stopsFile, let format { parsers[format]?.finish(into: &session) }
            if let failure = session.failure {
                channel.send(.failed(failure))
                return
            }
            session.endFile(bytes: source.bytesConsumed)
            if channel.isCancelled { return }
        }
        channel.send(.finished(seriesSeen: session.seriesSeen))
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
