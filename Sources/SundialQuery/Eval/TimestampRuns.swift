import SundialStorage

/// What a reader's timestamps buffer holds, named run by run, so that a series whose timestamps are those
/// of the series read before (the buckets of one histogram, scraped together) neither copies them again
/// nor has them compared with a window table's (``WindowTables``): 868 bucket series of a day took 8 % of
/// a range query's time doing both (docs/PERFORMANCE.md, stop 17).
///
/// ``Evaluator/load(_:_:dropStale:into:_:reusing:segments:bySegment:steady:runs:)`` keeps it with the buffer:
/// `names` name the runs at the front of the buffer, in order (``TimestampsIdentity``); a new series whose
/// runs have the same names in the same order walks over them instead of writing them, and the buffer is
/// cut and written from the first run that differs. ``generation`` changes whenever the buffer's contents
/// change, so that whoever built something from them knows whether it still holds.
struct TimestampRuns {
    /// The runs at the front of the buffer, in order, each with its length and the positions in its segment
    /// of the samples left out (stale markers): `drops[dropEnds[k − 1]..<dropEnds[k]]` for run `k`, flat, so
    /// that a run without any holds no array of its own.
    private var names: [TimestampsIdentity] = []
    private var lengths: [Int] = []
    private var dropEnds: [Int] = []
    private var drops: [Int] = []
    /// The positions left out of the run being added.
    private var pending: [Int] = []
    /// Changes whenever the buffer's contents change.
    private(set) var generation = 0

    // The series being loaded.
    /// The buffer's length for this series so far: `ts[0..<cursor]` is the series' first samples.
    private(set) var cursor = 0
    /// Runs of `names` the series matched so far; while `matching`, the buffer beyond `cursor` is still
    /// the previous series' and `names[matched...]` name it.
    private var matched = 0
    private var matching = true
    /// False once the series had a run without a name: no later run can be named by its position.
    private var naming = true

    init() {
        names.reserveCapacity(16)
        lengths.reserveCapacity(16)
        dropEnds.reserveCapacity(16)
        drops.reserveCapacity(16)
        pending.reserveCapacity(16)
    }

    /// Starts a series.
    mutating func begin() {
        cursor = 0
        matched = 0
        matching = true
        naming = true
    }

    /// The last timestamp of the series so far.
    func last(_ ts: borrowing [Int64]) -> Int64? { cursor > 0 ? ts[cursor &- 1] : nil }

    /// Adds `run` to the series in `ts`: walked over when the buffer holds it already, written otherwise.
    mutating func append(_ run: UnsafeBufferPointer<Int64>, named name: TimestampsIdentity?, to ts: inout [Int64]) {
        pending.removeAll(keepingCapacity: true)
        append(run, kept: run.count, named: name, to: &ts)
    }

    /// Adds `run` without the samples whose `values` are stale markers: named by the segment's name and
    /// the positions left out, since the buckets of a histogram go stale together.
    mutating func append(_ run: UnsafeBufferPointer<Int64>, droppingStaleIn values: UnsafeBufferPointer<Double>,
                         named name: TimestampsIdentity?, to ts: inout [Int64]) {
        pending.removeAll(keepingCapacity: true)
        for i in values.indices where StaleMarker.isStale(values[i]) { pending.append(i) }
        append(run, kept: run.count &- pending.count, named: name, to: &ts)
    }

    /// Adds the `kept` samples of `run` not at the positions in `pending`.
    private mutating func append(_ run: UnsafeBufferPointer<Int64>, kept: Int, named name: TimestampsIdentity?, to ts: inout [Int64]) {
        if matching, let name, matched < names.count, names[matched] == name, lengths[matched] == kept, sameDrops(matched) {
            matched &+= 1
            cursor &+= kept
            return
        }
        diverge(&ts)
        if pending.isEmpty {
            ts.append(contentsOf: run)
        } else {
            var next = 0
            for i in run.indices {
                if next < pending.count && pending[next] == i {
                    next &+= 1
                    continue
                }
                ts.append(run[i])
            }
        }
        cursor &+= kept
        if naming, let name {
            names.append(name)
            lengths.append(kept)
            drops.append(contentsOf: pending)
            dropEnds.append(drops.count)
        } else {
            naming = false
        }
    }

    /// True when run `k` left out the positions in `pending`.
    private func sameDrops(_ k: Int) -> Bool {
        let start = k > 0 ? dropEnds[k &- 1] : 0
        guard dropEnds[k] &- start == pending.count else { return false }
        for j in pending.indices where drops[start &+ j] != pending[j] { return false }
        return true
    }

    /// Adds one sample's timestamp, a run of its own with no name.
    mutating func append(_ t: Int64, to ts: inout [Int64]) {
        diverge(&ts)
        naming = false
        ts.append(t)
        cursor &+= 1
    }

    /// Ends the series: the buffer is cut to it.
    mutating func end(_ ts: inout [Int64]) {
        if matching && (matched < names.count || cursor < ts.count) { diverge(&ts) }
    }

    /// From here on the series differs from the buffer: cut the buffer and the names to what matched so far.
    private mutating func diverge(_ ts: inout [Int64]) {
        guard matching else { return }
        matching = false
        generation &+= 1
        if ts.count > cursor { ts.removeLast(ts.count &- cursor) }
        if names.count > matched {
            names.removeLast(names.count &- matched)
            lengths.removeLast(lengths.count &- matched)
            dropEnds.removeLast(dropEnds.count &- matched)
            drops.removeLast(drops.count &- (matched > 0 ? dropEnds[matched &- 1] : 0))
        }
    }
}
