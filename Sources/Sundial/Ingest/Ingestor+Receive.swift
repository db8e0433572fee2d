import Foundation

/// The storing thread's side of ``Ingestor/ingest(files:progress:)``: whole files, and cut files put back
/// together from their pieces.
extension Ingestor {
    /// Receives one whole file from `channel` and stores it.
    static func receiveFile(
        _ file: InputFile, from channel: IngestChannel, into session: inout IngestSession
    ) throws(IngestError) {
        while true {
            switch channel.receive() {
            case let .fileStarted(file):
                do throws(StorageError) { try session.beginFile(file) } catch { throw .storage(error) }
            case let .samples(batch):
                do throws(StorageError) { try session.add(batch) } catch { throw .storage(error) }
            case let .fileDone(parsed):
                do throws(StorageError) { try session.endFile(parsed) } catch { throw .storage(error) }
                return
            case let .failed(error):
                throw error
            case .finished:
                throw .unreadable(path: file.path, reason: "parsing ended before this file")
            }
        }
    }

    /// Receives the pieces of a cut file, one from each of `channels` in turn, and stores the file whole or
    /// not at all; when a piece does not fit (see ``PieceAssembler``), drops what was stored of the file and
    /// parses it again in one piece.
    func receiveCutFile(
        _ file: InputFile, from channels: [IngestChannel], signal: CutFileSignal?, into session: inout IngestSession
    ) throws(IngestError) {
        // Taking the file back then drops nothing of the files before it.
        do throws(StorageError) { try session.commitPending() } catch { throw .storage(error) }
        var assembler = PieceAssembler(file: file, keptErrors: options.keptErrors)
        for (k, channel) in channels.enumerated() {
            receiving: while true {
                switch channel.receive() {
                case let .fileStarted(file):
                    if k == 0 { do throws(StorageError) { try session.beginFile(file) } catch { throw .storage(error) } }
                case let .samples(batch):
                    guard assembler.verdict == .accepted else { continue }
                    do throws(StorageError) { try session.add(batch) } catch { throw .storage(error) }
                case let .fileDone(parsed):
                    if assembler.add(parsed) != .accepted { signal?.abandon() }
                    break receiving
                case let .failed(error):
                    throw error
                case .finished:
                    throw .unreadable(path: file.path, reason: "parsing ended before this file")
                }
            }
        }
        switch assembler.verdict {
        case .accepted, .strictRejection:
            session.report.piecesParsed += channels.count
            session.setMetadata(assembler.metadata)
            do throws(StorageError) { try session.endFile(assembler.merged) } catch { throw .storage(error) }
        case .parseWhole:
            session.abandonFile()
            session.report.filesParsedAgain += 1
            try parseAgainWhole(file, into: &session)
        }
    }

    /// Parses `file` in one piece on a thread of its own and stores it.
    private func parseAgainWhole(_ file: InputFile, into session: inout IngestSession) throws(IngestError) {
        let channel = IngestChannel(capacity: 16)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread { [store, options] in
            ParseWorker.run([.whole(file)], store: store, options: options, channel: channel)
            done.signal()
        }
        thread.name = "sundial-parse-whole"
        thread.stackSize = 8 << 20
        thread.start()
        defer {
            channel.cancel()
            done.wait()
        }
        try Self.receiveFile(file, from: channel, into: &session)
    }
}
