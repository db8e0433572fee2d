import Dispatch
import SundialStorage
import Foundation

extension Evaluator {
    /// Applies `kernel` to every series of `matrix` and passes each result to `consume` in selection
    /// order, decoding and evaluating series on several threads when the source allows concurrent
    /// reads (each series is independent until aggregation), on the calling thread otherwise.
    ///
    /// Series go in rounds (``roundSeries(threads:steps:perThread:)``: a few dozen per thread over a long grid,
    /// thousands over an instant); after each round the results are accounted
    /// against the limits in selection order, so a refused query has produced at most one round
    /// beyond its limit. With `holding` false the caller folds each series away (an aggregation), so
    /// the results are not counted against the memory limit. Two results with the same labels fail as
    /// in Prometheus (`context` names the expression); that can happen only when the function drops
    /// the metric name of a selection spanning several names, so only then are labels tracked.
    /// `announce` learns the number of selected series before any result is consumed.
    func evaluateInParallel(_ kernel: RangeKernel, _ matrix: MatrixSelector, context: @autoclosure () -> String, holding: Bool,
                            selected announce: (Int) -> Void = { _ in },
                            _ consume: (StepSeries) throws(QueryError) -> Void) throws(QueryError) {
        guard let firstEnd = kernel.plan.ends.first, let lastEnd = kernel.plan.ends.last else { return }
        let pool = expectParallelSection()
        let selected = try select(matrix.selector, minTimeMs: firstEnd &- matrix.rangeMs, maxTimeMs: lastEnd)
        if threads(for: selected.count) <= 1 { pool?.cancelExpectedSection() }
        announce(selected.count)
        try evaluateInParallel(kernel, selected, selector: matrix.selector, context: context(), holding: holding, consume)
    }

    /// ``evaluateInParallel(_:_:context:holding:selected:_:)`` over series already selected (by `selector`, when
    /// given: ``resultsMayCollide(_:_:selector:)`` reads its matchers).
    func evaluateInParallel(_ kernel: RangeKernel, _ selected: any QuerySelection, selector: VectorSelector? = nil,
                            context: @autoclosure () -> String, holding: Bool,
                            _ consume: (StepSeries) throws(QueryError) -> Void) throws(QueryError) {
        let threads = threads(for: selected.count)
        let checksLabels = resultsMayCollide(kernel, selected, selector: selector)
        var seen = Set<LabelSet>()
        let scratches = WorkerScratches(threads)
        let roundSize = roundSeries(threads: threads, steps: kernel.grid.count, perThread: 32)
        var start = 0
        while start < selected.count {
            let round = SeriesRound(selected, start..<Swift.min(start + roundSize, selected.count))
            if threads == 1 {
                round.evaluate(kernel, claims: WorkClaims(round.count), worker: 0, scratch: &scratches.buffer[0])
            } else {
                let claims = WorkClaims(round.count, workers: threads)
                WorkerPool.shared.perform(iterations: threads) {
                    round.evaluate(kernel, claims: claims, worker: $0, scratch: &scratches.buffer[$0])
                }
            }
            for outcome in round.outcomes {
                if let error = outcome.error { throw error }
                try account(samples: outcome.samples)
                guard let series = outcome.series else { continue }
                try account(samples: series.pointCount)
                if holding { try account(heldSeries: 1, steps: kernel.grid.count) }
                if checksLabels && !seen.insert(series.labels).inserted {
                    throw .evaluation("vector cannot contain metrics with the same labelset \(series.labels) (in `\(context())`)")
                }
                try consume(series)
            }
            start += roundSize
        }
    }
}

extension Evaluator {
    /// The processors this process may run on, read once: Foundation reads the cgroup's quota from files at
    /// every call (15 µs, 2 % of an instant latency query).
    static let activeProcessors = ProcessInfo.processInfo.activeProcessorCount

    /// The threads that evaluate `count` series: one unless the source reads concurrently, and at most
    /// one per eight series.
    func threads(for count: Int) -> Int {
        source.supportsConcurrentReads ? Swift.min(Self.activeProcessors, 8, Swift.max(1, count / 8)) : 1
    }

    /// Tells the worker pool that a parallel section may follow the selection about to be made, when this
    /// source can be read on several threads: the workers wake while the series are selected
    /// (``WorkerPool/expectSection(within:)``). Returns the pool, for a caller that finds too few series to
    /// share out to call off the wait.
    func expectParallelSection() -> WorkerPool? {
        guard source.supportsConcurrentReads && Self.activeProcessors > 1 else { return nil }
        WorkerPool.shared.expectSection(within: 1000)
        return WorkerPool.shared
    }

    /// How many series a round of parallel evaluation takes: `perThread` per thread over a long grid, more
    /// over a short one (up to 64k windows per thread), so that a cheap round (an instant query's few
    /// samples per series) does not spend its time waking the other threads.
    func roundSeries(threads: Int, steps: Int, perThread: Int) -> Int {
        threads * Swift.max(perThread, (1 << 16) / Swift.max(steps, 1))
    }

    /// True when two results of `kernel` over `selected` could carry the same labels: the function drops
    /// the metric name of a selection that spans several names. Series numbered in one symbol table
    /// (``QuerySelection/sharedSymbolTable``) compare the numbers of their names, without building label sets.
    /// A selector that names its metric with `=` selects one name, so nothing needs comparing then.
    func resultsMayCollide(_ kernel: RangeKernel, _ selected: any QuerySelection, selector: VectorSelector? = nil) -> Bool {
        guard !kernel.keepsName && kernel.function != .absentOverTime, selected.count > 0 else { return false }
        if let selector, selector.allMatchers.contains(where: { $0.name == metricNameLabel && $0.operation == .equal }) { return false }
        if let table = selected.sharedSymbolTable {
            let name = table.number(of: metricNameLabel)
            let firstName = name.flatMap { selected.symbolValue(0, ofName: $0) }
            return (1..<selected.count).contains { i in name.flatMap { selected.symbolValue(i, ofName: $0) } != firstName }
        }
        let firstName = selected.labels(0).metricName
        return (1..<selected.count).contains { selected.labels($0).metricName != firstName }
    }
}

/// The series of one round (a range of a selection's) and a slot per series for its outcome: the samples
/// decoded and the kernel's result, or the error. Each series is claimed by one worker (``WorkClaims``),
/// which alone writes its slot, so the slots need no lock; the round is read only after every worker returned.
final class SeriesRound: @unchecked Sendable {
    /// The samples decoded and the kernel's result, or the error. (A concrete type: a `Result` of a
    /// tuple had its generic metadata looked up at run time, round after round.)
    struct Outcome {
        var samples = 0
        var series: StepSeries?
        /// The points of a result folded away instead of kept in `series`.
        var points = 0
        var error: QueryError?
    }
    // Series are shared across threads only for sources whose `supportsConcurrentReads` is true.
    let selection: any QuerySelection
    /// The round's series: slot `k` is series `first + k` of the selection.
    let first: Int
    let count: Int
    /// Allocated before the workers start; each slot is written by one worker only.
    fileprivate let slots: UnsafeMutableBufferPointer<Outcome>

    init(_ selection: any QuerySelection, _ series: Range<Int>) {
        self.selection = selection
        first = series.lowerBound
        count = series.count
        slots = .allocate(capacity: Swift.max(count, 1))
        slots.initialize(repeating: Outcome())
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    /// The outcomes in series order; read once every worker has returned.
    var outcomes: UnsafeMutableBufferPointer<Outcome> { UnsafeMutableBufferPointer(rebasing: slots[0..<count]) }

    /// Evaluates the series `claims` hands worker `worker`, a few at a time, until none is left.
    func evaluate(_ kernel: RangeKernel, claims: WorkClaims, worker: Int, scratch: inout RangeKernel.Scratch) {
        while let claimed = claims.claim(8, worker: worker) {
            for i in claimed {
                do throws(QueryError) {
                    let (samples, result) = try kernel.evaluate(selection, first + i, &scratch)
                    slots[i] = Outcome(samples: samples, series: result)
                } catch {
                    slots[i] = Outcome(error: error)
                }
            }
        }
    }
}

extension SeriesRound {
    /// Evaluates the series `claims` hands worker `worker`, a few at a time, keeping each result in `rows`.
    func evaluate(_ kernel: RangeKernel, claims: WorkClaims, worker: Int, into rows: SeriesRows, scratch: inout RangeKernel.Scratch) {
        while let claimed = claims.claim(8, worker: worker) {
            for i in claimed {
                do throws(QueryError) {
                    let samples = try kernel.evaluateSteps(selection, first + i, &scratch)
                    slots[i] = Outcome(samples: samples, points: scratch.steps.found)
                    rows.store(i, scratch.steps)
                } catch {
                    slots[i] = Outcome(error: error)
                }
            }
        }
    }

    /// Evaluates series `i` of the round (and of the selection: a fold's round is the whole selection) and
    /// adds its result into its sum in `fold`; worker `worker` owns the sum (``HistogramFold``).
    func fold(_ i: Int, _ kernel: RangeKernel, into fold: HistogramFold, worker: Int, scratch: inout RangeKernel.Scratch) {
        do throws(QueryError) {
            let samples = try kernel.evaluateSteps(selection, first + i, &scratch)
            slots[i] = Outcome(samples: samples, points: scratch.steps.found)
            if scratch.steps.found > 0 { fold.add(scratch.steps, ofSeries: i, worker: worker) }
        } catch {
            slots[i] = Outcome(error: error)
        }
    }
}

/// Hands out the numbers `0..<count` to `workers` workers, some at each claim. Each worker has a home
/// stretch of the numbers (worker `w` of `n` the `w`-th `n`-th), which it takes from the front; a worker whose
/// stretch is used up takes from the back of the stretch with most left. A worker on a faster CPU takes
/// more: dealt out in a fixed stride instead, the work waited for the slower CPU (the two vCPUs of the
/// machines this runs on are often half as fast as each other for a while: an instant latency query's two
/// workers took 900 and 600 µs). Home stretches keep most items on the same worker from one query to the
/// next, so a repeated query finds its series' bytes in that core's cache (claimed from one shared front,
/// the 868 series of the instant latency query changed core at random: 4–5 % slower, stop 19). Which worker
/// takes an item never changes an answer: each item's result goes to its own place.
final class WorkClaims: @unchecked Sendable {
    // Only touched under `lock`: worker `w`'s stretch has `fronts[w] ..< backs[w]` left.
    private var fronts: [Int]
    private var backs: [Int]
    private let lock = NSLock()

    /// The numbers `0..<count` for `workers` workers (at least one).
    init(_ count: Int, workers: Int = 1) {
        let n = Swift.max(1, workers)
        fronts = (0..<n).map { count * $0 / n }
        backs = (0..<n).map { count * ($0 + 1) / n }
    }

    /// The next `batch` numbers for worker `worker` (fewer at the end of a stretch), or nil when every one is
    /// claimed.
    func claim(_ batch: Int, worker: Int = 0) -> Range<Int>? {
        lock.lock()
        defer { lock.unlock() }
        let home = worker < fronts.count ? worker : 0
        if fronts[home] < backs[home] {
            let claimed = fronts[home]..<Swift.min(fronts[home] + batch, backs[home])
            fronts[home] = claimed.upperBound
            return claimed
        }
        var fullest = home
        for w in fronts.indices where backs[w] - fronts[w] > backs[fullest] - fronts[fullest] { fullest = w }
        guard fronts[fullest] < backs[fullest] else { return nil }
        let claimed = Swift.max(backs[fullest] - batch, fronts[fullest])..<backs[fullest]
        backs[fullest] = claimed.lowerBound
        return claimed
    }
}

/// One ``RangeKernel/Scratch`` per worker, kept across rounds so its buffers and window tables are
/// reused; worker `w` touches only `buffer[w]`.
final class WorkerScratches: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<RangeKernel.Scratch>

    init(_ workers: Int) {
        buffer = .allocate(capacity: workers)
        // One each, not one value repeated: the workers' buffers share no storage.
        for worker in 0..<workers { (buffer.baseAddress.unsafelyUnwrapped + worker).initialize(to: RangeKernel.Scratch()) }
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }
}
