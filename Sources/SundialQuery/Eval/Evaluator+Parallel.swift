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
        let selected = try select(matrix.selector, minTimeMs: firstEnd &- matrix.rangeMs, maxTimeMs: lastEnd)
        announce(selected.count)
        try evaluateInParallel(kernel, selected, context: context(), holding: holding, consume)
    }

    /// ``evaluateInParallel(_:_:context:holding:selected:_:)`` over series already selected.
    func evaluateInParallel(_ kernel: RangeKernel, _ selected: [any QuerySeries], context: @autoclosure () -> String, holding: Bool,
                            _ consume: (StepSeries) throws(QueryError) -> Void) throws(QueryError) {
        let threads = threads(for: selected.count)
        let checksLabels = resultsMayCollide(kernel, selected, sharedSymbolLabels(selected))
        var seen = Set<LabelSet>()
        let scratches = WorkerScratches(threads)
        let roundSize = roundSeries(threads: threads, steps: kernel.grid.count, perThread: 32)
        var start = 0
        while start < selected.count {
            let round = SeriesRound(Array(selected[start..<Swift.min(start + roundSize, selected.count)]))
            if threads == 1 {
                round.evaluate(kernel, claims: WorkClaims(round.series.count), scratch: &scratches.buffer[0])
            } else {
                let claims = WorkClaims(round.series.count)
                DispatchQueue.concurrentPerform(iterations: threads) {
                    round.evaluate(kernel, claims: claims, scratch: &scratches.buffer[$0])
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
    /// The threads that evaluate `count` series: one unless the source reads concurrently, and at most
    /// one per eight series.
    func threads(for count: Int) -> Int {
        source.supportsConcurrentReads ? Swift.min(ProcessInfo.processInfo.activeProcessorCount, 8, Swift.max(1, count / 8)) : 1
    }

    /// How many series a round of parallel evaluation takes: `perThread` per thread over a long grid, more
    /// over a short one (up to 64k windows per thread), so that a cheap round (an instant query's few
    /// samples per series) does not spend its time waking the other threads.
    func roundSeries(threads: Int, steps: Int, perThread: Int) -> Int {
        threads * Swift.max(perThread, (1 << 16) / Swift.max(steps, 1))
    }

    /// True when two results of `kernel` over `selected` could carry the same labels: the function drops
    /// the metric name of a selection that spans several names.
    /// `symbolic` is ``sharedSymbolLabels(_:)`` of `selected`: series of one block compare the numbers of
    /// their names, without building label sets.
    func resultsMayCollide(_ kernel: RangeKernel, _ selected: [any QuerySeries], _ symbolic: [SymbolLabels]?) -> Bool {
        guard !kernel.keepsName && kernel.function != .absentOverTime, let first = selected.first else { return false }
        if let symbolic, let table = symbolic.first?.table {
            let name = table.number(of: metricNameLabel)
            let firstName = name.flatMap { symbolic[0].value(ofName: $0) }
            return symbolic.contains { labels in name.flatMap { labels.value(ofName: $0) } != firstName }
        }
        let firstName = first.labels.metricName
        return selected.contains { $0.labels.metricName != firstName }
    }
}

/// The symbol labels of every series of `selected` when they all number their labels in one strictly
/// ordered table (a selection from one block), else nil: then equal numbers are equal strings, and the
/// engine may group and compare the series by number.
func sharedSymbolLabels(_ selected: [any QuerySeries]) -> [SymbolLabels]? {
    var symbolic: [SymbolLabels] = []
    symbolic.reserveCapacity(selected.count)
    for series in selected {
        guard let symbols = series.symbolLabels, symbolic.isEmpty || symbols.table === symbolic[0].table else { return nil }
        symbolic.append(symbols)
    }
    guard let table = symbolic.first?.table, table.isStrictlyOrdered else { return nil }
    return symbolic
}

extension Evaluator {
}

/// The series of one round and a slot per series for its outcome: the samples decoded and the
/// kernel's result, or the error. Worker `w` of `n` takes series `w`, `w + n`, `w + 2n`, … and writes
/// only their slots, so the slots need no lock; the round is read only after every worker returned.
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
    let series: [any QuerySeries]
    /// Allocated before the workers start; each slot is written by one worker only.
    fileprivate let slots: UnsafeMutableBufferPointer<Outcome>

    init(_ series: [any QuerySeries]) {
        self.series = series
        slots = .allocate(capacity: series.count)
        slots.initialize(repeating: Outcome())
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    /// The outcomes in series order; read once every worker has returned.
    var outcomes: UnsafeMutableBufferPointer<Outcome> { slots }

    /// Evaluates the series `claims` hands this worker, a few at a time, until none is left.
    func evaluate(_ kernel: RangeKernel, claims: WorkClaims, scratch: inout RangeKernel.Scratch) {
        while let claimed = claims.claim(8) {
            for i in claimed {
                do throws(QueryError) {
                    let (samples, result) = try kernel.evaluate(series[i], &scratch)
                    slots[i] = Outcome(samples: samples, series: result)
                } catch {
                    slots[i] = Outcome(error: error)
                }
            }
        }
    }
}

extension SeriesRound {
    /// Evaluates series `i` of the round and adds its result into its sum in `fold`; worker `worker`
    /// owns the sum (``HistogramFold``).
    func fold(_ i: Int, _ kernel: RangeKernel, into fold: HistogramFold, worker: Int, scratch: inout RangeKernel.Scratch) {
        do throws(QueryError) {
            let samples = try kernel.evaluateSteps(series[i], &scratch)
            slots[i] = Outcome(samples: samples, points: scratch.steps.found)
            if scratch.steps.found > 0 { fold.add(scratch.steps, ofSeries: i, worker: worker) }
        } catch {
            slots[i] = Outcome(error: error)
        }
    }
}

/// Hands out the numbers `0..<count` in order to any number of workers, some at each claim: a worker on
/// a faster CPU takes more. Dealt out in a fixed stride instead, the work waited for the slower CPU: the two
/// vCPUs of the machines this runs on are often half as fast as each other for a while (an instant latency
/// query's two workers took 900 and 600 µs). Which worker takes an item never changes an answer: each
/// item's result goes to its own place.
final class WorkClaims: @unchecked Sendable {
    // Only touched under `lock`.
    private var next = 0
    private let count: Int
    private let lock = NSLock()

    init(_ count: Int) {
        self.count = count
    }

    /// The next `batch` numbers not yet claimed (fewer at the end), or nil when every one is.
    func claim(_ batch: Int) -> Range<Int>? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        let claimed = next..<Swift.min(next + batch, count)
        next = claimed.upperBound
        return claimed
    }
}

/// One ``RangeKernel/Scratch`` per worker, kept across rounds so its buffers and window tables are
/// reused; worker `w` touches only `buffer[w]`.
final class WorkerScratches: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<RangeKernel.Scratch>

    init(_ workers: Int) {
        buffer = .allocate(capacity: workers)
        buffer.initialize(repeating: RangeKernel.Scratch())
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }
}
