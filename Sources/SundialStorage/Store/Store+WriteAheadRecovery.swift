extension Store {
    /// Cuts a segment read with damage at its last whole frame, so appending can continue. A torn tail
    /// of the newest segment (what a crash leaves) is cut quietly; anything else is damage: the segment
    /// is first copied whole to `NNN.wal.damaged` (never deleted), and the cut is returned as a problem
    /// for ``check(repair:)`` to report. The batches in the cut bytes are lost.
    /// - Returns: what was cut and whether it was damage (not a torn tail), or nil when nothing was.
    static func cutDamage(_ result: WriteAheadLog.ReadResult, path: String, isNewest: Bool) throws(StorageError) -> WriteAheadCut? {
        guard result.validLength < result.fileLength, let damage = result.damage else { return nil }
        let quiet = result.isTornTail && isNewest
        let name = String(path.split(separator: "/").last ?? Substring(path))
        var repair = "cut at byte \(result.validLength); the batches committed in bytes \(result.validLength)..<\(result.fileLength) are lost"
        if !quiet {
            let copy = try SystemFile.openForReading(path).readAll()
            let aside = try SystemFile.openForWriting(path + ".damaged", truncate: true)
            try aside.write(copy, at: 0)
            try aside.sync()
            repair += "; the whole segment was kept as wal/\(name).damaged"
        }
        let file = try SystemFile.openForWriting(path, create: false)
        if result.validLength < WriteAheadLog.headerSize {
            // Not even the header survived: start the segment afresh.
            try file.truncate(to: 0)
            try file.write(WriteAheadLog.header(), at: 0)
        } else {
            try file.truncate(to: result.validLength)
        }
        try file.sync()
        let frames = result.payloads.count
        let problem = CheckReport.Problem(
            file: WriteAheadLog.directoryName + "/" + name,
            message: "\(damage) (\(quiet ? "a torn tail" : "damage") after \(frames) whole frame\(frames == 1 ? "" : "s"))",
            repair: repair)
        return WriteAheadCut(problem: problem, isDamage: !quiet)
    }
}

/// What a writer's open cut from a write-ahead segment.
struct WriteAheadCut: Sendable {
    var problem: CheckReport.Problem
    /// False for a torn tail of the newest segment, the normal trace of a crash.
    var isDamage: Bool
}
