import SundialExposition

/// What one parsing thread parses: a whole file, or one piece of a cut file (see ``FilePiece``).
enum ParseUnit: Sendable {
    case whole(InputFile)
    case piece(FilePiece)
}

/// A parsing thread's state: its parse session, its read buffer and one parser per format, reused across
/// units (a parser remembers series it validated, so the labels of a series met before are not scanned again).
struct ParseWorker {
    let options: IngestOptions
    let channel: IngestChannel
    var session: ScrapeParseSession
    private var buffer: [UInt8] = []
    private var parsers: [ExpositionFormat: ExpositionParser] = [:]

    init(store: Store, options: IngestOptions, channel: IngestChannel) {
        self.options = options
        self.channel = channel
        session = ScrapeParseSession(store: store, options: options, channel: channel)
        buffer.reserveCapacity(ByteSource.pieceSize)
    }

    /// Parses every unit in order and sends the results down the channel; stops at the first failure.
    static func run(_ units: [ParseUnit], store: Store, options: IngestOptions, channel: IngestChannel) {
        var worker = ParseWorker(store: store, options: options, channel: channel)
        for unit in units {
            let goesOn: Bool
            switch unit {
            case .whole(let file): goesOn = worker.parseWhole(file)
            case .piece(let piece): goesOn = worker.parsePiece(piece)
            }
            if !goesOn || channel.isCancelled { return }
        }
        channel.send(.finished(seriesSeen: worker.session.seriesSeen))
    }

    /// Reads and parses one whole file; false when parsing must stop (the failure was sent).
    mutating func parseWhole(_ input: InputFile) -> Bool {
        var file = input
        if file.path == "-" && file.timeMs == nil { file.timeMs = TimeArgument.currentTimeMs() }
        let source: ByteSource
        do { source = try ByteSource(path: file.path) } catch {
            channel.send(.failed(error))
            return false
        }
        guard channel.send(.fileStarted(file)) else { return false }
        session.beginFile(file, displayName: source.name)
        var format: ExpositionFormat?
        do throws(IngestError) {
            while true {
                let count = try source.read(into: &buffer)
                if count == 0 { break }
                if format == nil {
                    let detected = options.format
                        ?? Ingestor.detectFormat(prefix: Array(buffer[0..<min(count, 8 * 1024)]), file: file)
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
            return false
        }
        if !session.stopsFile, let format { parsers[format]?.finish(into: &session) }
        if let failure = session.failure {
            channel.send(.failed(failure))
            return false
        }
        session.endFile(bytes: source.bytesConsumed)
        return true
    }

    /// Reads and parses one piece of a cut file as a document of its own (its lines counted from 1), and at its
    /// end asks the parser whether the next piece's first line opens a new family; false when parsing must stop.
    mutating func parsePiece(_ piece: FilePiece) -> Bool {
        let source: ByteSource
        do { source = try ByteSource(path: piece.file.path, range: piece.range) } catch {
            channel.send(.failed(error))
            return false
        }
        guard channel.send(.fileStarted(piece.file)) else { return false }
        session.beginFile(piece.file, displayName: source.name, isPiece: true)
        if piece.signal.isAbandoned {
            // The storing side drops this piece unread: send it empty.
            session.endPiece(bytes: 0, parser: ExpositionParser(format: piece.format, fileName: source.name),
                             nextLineOpensFamily: false)
            return true
        }
        let format = piece.format
        var parser = parsers.removeValue(forKey: format) ?? ExpositionParser(format: format, fileName: source.name)
        defer { parsers[format] = parser }
        parser.startDocument(fileName: source.name)
        // A piece of a large file repeats its series (scrape after scrape): recognise them from the first piece.
        parser.storeKnownSeriesNow()
        session.useParser(for: format)
        do throws(IngestError) {
            while true {
                let count = try source.read(into: &buffer)
                if count == 0 { break }
                buffer.withUnsafeBytes { raw in
                    parser.feed(UnsafeRawBufferPointer(rebasing: raw[0..<count]), into: &session)
                }
                if session.stopsFile || piece.signal.isAbandoned { break }
            }
        } catch {
            channel.send(.failed(error))
            return false
        }
        var nextLineOpensFamily = false
        if !session.stopsFile {
            if piece.isLast {
                parser.finish(into: &session)
            } else {
                if let next = FilePiece.line(at: piece.range.upperBound, of: piece.file.path) {
                    nextLineOpensFamily = next.withUnsafeBytes { parser.startsFamily(line: $0) }
                }
                parser.finishPiece(into: &session)
            }
        }
        if let failure = session.failure {
            channel.send(.failed(failure))
            return false
        }
        session.endPiece(bytes: source.bytesConsumed, parser: parser, nextLineOpensFamily: nextLineOpensFamily)
        return true
    }
}
