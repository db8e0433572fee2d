/// The storing side's view of a cut file (see ``FilePiece``): takes the pieces' results in file order, moves
/// their line numbers to count from the file's start, and checks what a piece cannot check alone.
///
/// A piece parses exactly as its part of the whole file unless one of these holds, and then the file must be
/// parsed again in one piece (``Verdict/parseWhole``):
/// - the parser of the piece before did not confirm that this piece's first line opens a new family there
///   (a rejected line before the cut, a `# EOF` before it, a cut inside a family);
/// - this piece's first line was rejected (a rejected line opens no family);
/// - a `# HELP`, `# TYPE` or `# UNIT` line of this piece names a family an earlier piece met (such a line is
///   judged by what came before it: repeated, after its samples, separated from its other metadata);
/// - a series' first sample in this piece has the time of its last sample in an earlier piece (a duplicate
///   the file read whole rejects).
struct PieceAssembler {
    /// What the verdict on a cut file is so far.
    enum Verdict: Equatable {
        /// Every piece so far fits.
        case accepted
        /// Strict mode: a piece had a rejected line, so nothing of the file is stored.
        case strictRejection
        /// A piece does not fit (the reason says why): parse the file again in one piece.
        case parseWhole(reason: String)
    }

    /// The file as the storing side sees it: samples, series, rejected lines, errors of every piece so far.
    private(set) var merged: ParsedFile
    private(set) var verdict = Verdict.accepted
    /// The metadata records of the pieces taken, in file order: to store when the file is stored.
    private(set) var metadata: [MetricMetadata] = []
    private let keptErrors: Int
    private var pieces = 0
    private var lineOffset = 0
    private var previousConfirmedCut = false
    private var families: Set<[UInt8]> = []
    /// Per series id: whether the file has it so far, and its last timestamp so far.
    private var seen: [Bool] = []
    private var lastTimestamp: [Int64] = []

    /// Starts on `file`, keeping at most `keptErrors` rejected lines in full.
    init(file: InputFile, keptErrors: Int) {
        merged = ParsedFile(file: file)
        self.keptErrors = keptErrors
    }

    /// Takes the next piece's results; returns the verdict so far (once not ``Verdict/accepted``, it stays).
    mutating func add(_ parsed: ParsedFile) -> Verdict {
        guard verdict == .accepted, let facts = parsed.piece else { return verdict }
        if pieces > 0 {
            if let reason = misfit(parsed, facts) {
                verdict = .parseWhole(reason: reason)
                return verdict
            }
        }
        for (k, id) in parsed.series.enumerated() {
            let index = Int(id)
            if index >= seen.count {
                let grow = max(index + 1, seen.count * 2)
                seen.append(contentsOf: repeatElement(false, count: grow - seen.count))
                lastTimestamp.append(contentsOf: repeatElement(0, count: grow - lastTimestamp.count))
            }
            if !seen[index] {
                seen[index] = true
                merged.series.append(id)
            }
            lastTimestamp[index] = facts.lastTimestamps[k]
        }
        families.formUnion(facts.familyNames)
        metadata.append(contentsOf: facts.metadata)
        previousConfirmedCut = facts.nextLineOpensFamily
        merged.hasTimestamps = merged.hasTimestamps || parsed.hasTimestamps
        merged.samples += parsed.samples
        merged.bytes += parsed.bytes
        merged.rejectedLines += parsed.rejectedLines
        for error in facts.lineErrors where merged.errors.count < keptErrors {
            merged.errors.append(error.description(lineOffset: lineOffset))
        }
        lineOffset += facts.lines
        pieces += 1
        if parsed.rejectedInStrictMode {
            merged.rejectedInStrictMode = true
            verdict = .strictRejection
        }
        return verdict
    }

    /// Why a piece after the first does not parse as its part of the whole file, or `nil` when it does.
    private func misfit(_ parsed: ParsedFile, _ facts: PieceFacts) -> String? {
        let cut = "the cut before line \(lineOffset + 1)"
        if !previousConfirmedCut { return "\(cut) is not where a new family opens" }
        if facts.firstLineRejected { return "\(cut) is before a rejected line" }
        if let name = facts.metadataNames.first(where: { families.contains($0) }) {
            return "metadata of family \(String(decoding: name, as: UTF8.self)) after \(cut) follows its earlier lines"
        }
        for (k, id) in parsed.series.enumerated() {
            let index = Int(id)
            if index < seen.count && seen[index] && lastTimestamp[index] == facts.firstTimestamps[k] {
                return "a series has samples at the same time on both sides of \(cut)"
            }
        }
        return nil
    }
}
