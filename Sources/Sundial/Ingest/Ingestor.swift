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

    /// Ingests already expanded inputs in the order given.
    public func ingest(files: [InputFile], progress: Progress? = nil) throws(IngestError) -> IngestReport {
        let started = DispatchTime.now().uptimeNanoseconds
        let seriesBefore = store.statistics().series
        let load: BulkLoad
        do { load = try store.bulkLoad() } catch { throw .storage(error) }
        var session = IngestSession(store: store, load: load, options: options)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(ByteSource.pieceSize)
        var bytesBefore = 0
        var uncommittedFiles = 0
        do {
            for (index, var file) in files.enumerated() {
                if file.path == "-" && file.timeMs == nil { file.timeMs = TimeArgument.currentTimeMs() }
                let source = try ByteSource(path: file.path)
                session.beginFile(file, displayName: source.name)
                var parser: ExpositionParser?
                while try source.read(into: &buffer) {
                    if parser == nil {
                        let format = options.format ?? Self.detectFormat(prefix: buffer, file: file)
                        parser = ExpositionParser(format: format, fileName: source.name)
                    }
                    buffer.withUnsafeBytes { parser?.feed($0, into: &session) }
                    if let failure = session.failure { throw IngestError.storage(failure) }
                    if options.strict && session.fileFailed { break }
                    progress?(index, bytesBefore + source.bytesConsumed, session.report.samples)
                }
                if !(options.strict && session.fileFailed) { parser?.finish(into: &session) }
                if let failure = session.failure { throw IngestError.storage(failure) }
                try session.endFile(file)
                bytesBefore += source.bytesConsumed
                session.report.files += 1
                if !(options.strict && session.fileFailed) { uncommittedFiles += 1 }
                if options.strict || load.pendingSamples >= options.commitEverySamples {
                    try load.commit()
                    session.report.filesCommitted += uncommittedFiles
                    uncommittedFiles = 0
                }
                progress?(index + 1, bytesBefore, session.report.samples)
            }
            try load.commit()
            session.report.filesCommitted += uncommittedFiles
        } catch let error as IngestError {
            load.abort()
            throw error
        } catch let error as StorageError {
            load.abort()
            throw .storage(error)
        } catch {
            load.abort()
            throw .unreadable(path: "?", reason: "\(error)")
        }
        var report = session.report
        report.bytes = bytesBefore
        report.seriesSeen = session.cachedSeries
        report.totalSeries = store.statistics().series
        report.newSeries = report.totalSeries - seriesBefore
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return report
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
