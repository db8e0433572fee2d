import Foundation
import SundialStorage

extension RangeKernel {
    /// `rate`, `increase` and `delta` at every step: the loop of ``apply(_:_:_:_:)`` written out for
    /// the three functions dashboards use most. Each step's window bounds and the timestamp-only part
    /// of its extrapolation come from a ``WindowTables`` entry shared by every series with the same
    /// timestamps (the series of one scrape target), the resets inside a window from the series'
    /// ``ResetIndex``. The arithmetic is
    /// ``RangeFunction/extrapolate(_:firstValue:firstTimestampMs:lastTimestampMs:count:rangeStartMs:rangeEndMs:rangeMs:isCounter:isRate:)``'s,
    /// in the same order, so results are bit-identical.
    func applyExtrapolated(_ ts: UnsafeBufferPointer<Int64>, _ vs: UnsafeBufferPointer<Double>, counters: inout ResetIndex,
                           windows: inout WindowTables, steady: [Range<Int>] = [], timestamps generation: Int? = nil,
                           into steps: inout StepBuffer) {
        let isCounter = function != .delta
        let isRate = function == .rate
        if isCounter { counters.rebuild(vs, steady: steady) }
        let rangeMs = plan.rangeMs
        // Borrowed from `windows`, which keeps it and is not changed meanwhile: a reference counted on the
        // table for every series took 3 % of an instant latency query's cycles.
        windows.table(for: ts, plan, isRate: isRate, generation: generation)._withUnsafeGuaranteedRef { table in
            // Every window of two samples or more gets a value, so which steps have one, and how many, are the
            // table's: the flags are copied whole and the loop writes values only.
            table.copyPresence(into: &steps.present)
            steps.found = table.valuedSteps
            counters.resets.withUnsafeBufferPointer { resets in
                steps.values.withUnsafeMutableBufferPointer { valuesOut in
                    table.withSteps { spans, coefficients, ends in
                        let windows = ExtrapolationWindows(spans: spans, coefficients: coefficients, timestamps: ts, ends: ends, rangeMs: rangeMs)
                        // One loop per case, each without the tests it does not need: the kernel took
                        // 9 % fewer instructions than with one loop testing all of them (stop 17).
                        if !isCounter {
                            return Self.extrapolatedSteps(vs, windows, resets: resets, isCounter: false, hasResets: false,
                                                          isRate: isRate, valuesOut)
                        }
                        if resets.isEmpty {
                            return Self.extrapolatedSteps(vs, windows, resets: resets, isCounter: true, hasResets: false,
                                                          isRate: isRate, valuesOut)
                        }
                        return Self.extrapolatedSteps(vs, windows, resets: resets, isCounter: true, hasResets: true,
                                                      isRate: isRate, valuesOut)
                    }
                }
            }
        }
    }

    /// The loop of ``applyExtrapolated(_:_:counters:windows:steady:timestamps:into:)``, inlined into each of its
    /// cases: a value for every step (0 where the window holds fewer than two samples). It keeps few pointers
    /// live (each window's bounds in one array, its factor and bound in another, the rare exact extrapolation out
    /// of line), so that the loop's state stays in registers: with ten arrays it spilled six values to the stack.
    @inline(__always)
    private static func extrapolatedSteps(_ vs: UnsafeBufferPointer<Double>, _ windows: ExtrapolationWindows,
                                          resets: UnsafeBufferPointer<Int>, isCounter: Bool, hasResets: Bool, isRate: Bool,
                                          _ valuesOut: UnsafeMutableBufferPointer<Double>) {
        // The resets inside the window `lo..<hi` are those at `lo + 1 ... hi - 1`: from `resets[firstReset]` on,
        // those below `hi`. Windows never move back, so `firstReset` only advances.
        var firstReset = 0
        let spans = windows.spans
        let coefficients = windows.coefficients
        for step in 0..<Swift.min(valuesOut.count, spans.count / 2) {
            let lo = spans[2 &* step]
            let hi = spans[2 &* step &+ 1]
            if hi &- lo < 2 {
                valuesOut[step] = 0
                continue
            }
            let first = vs[lo]
            var result = vs[hi &- 1] - first
            if hasResets {
                while firstReset < resets.count && resets[firstReset] <= lo { firstReset &+= 1 }
                // In time order: the additions of the per-window loop, in its order. Most windows hold no
                // reset, and they take one test here.
                var r = firstReset
                while r < resets.count && resets[r] < hi {
                    result += vs[resets[r] &- 1]
                    r &+= 1
                }
            }
            if isCounter && result > 0 && first >= 0 && !(first >= result * coefficients[2 &* step &+ 1]) {
                valuesOut[step] = windows.exactExtrapolation(result, first: first, step: step, isRate: isRate)
            } else {
                valuesOut[step] = result * coefficients[2 &* step]
            }
        }
    }
}

/// A ``WindowTable``'s per-step arrays, for the loop of `rate`, `increase` and `delta`.
private struct ExtrapolationWindows {
    /// Per step, the window's first sample and the one past its last, side by side.
    let spans: UnsafeBufferPointer<Int>
    /// Per step, the extrapolation factor and the zero-ratio bound, side by side.
    let coefficients: UnsafeBufferPointer<Double>
    let timestamps: UnsafeBufferPointer<Int64>
    /// Per step, the window's end.
    let ends: UnsafeBufferPointer<Int64>
    let rangeMs: Int64

    /// A counter's extrapolation at `step` computed in full, where it may reach zero before the window's start.
    @inline(never)
    func exactExtrapolation(_ result: Double, first: Double, step: Int, isRate: Bool) -> Double {
        let lo = spans[2 &* step]
        let hi = spans[2 &* step &+ 1]
        let end = ends[step]
        return RangeFunction.extrapolate(result, firstValue: first, firstTimestampMs: timestamps[lo], lastTimestampMs: timestamps[hi &- 1],
                                         count: hi &- lo, rangeStartMs: end &- rangeMs, rangeEndMs: end, rangeMs: rangeMs,
                                         isCounter: true, isRate: isRate)
    }
}

/// For one array of timestamps under one window plan: each step's window as indices, and the
/// timestamp-only part of `rate`'s extrapolation there.
final class WindowTable {
    let timestamps: [Int64]
    let rangeMs: Int64
    let ends: [Int64]
    let isRate: Bool
    /// Per step `s`, the window `spans[2s]..<spans[2s + 1]` (samples in `[end - range, end]`).
    let spans: [Int]
    /// Per step `s`: at `2s`, the extrapolation factor when a counter's extrapolation towards zero does not
    /// apply; at `2s + 1`, `durationToStart / sampledInterval` raised by 1e-9 relative: a counter whose first
    /// value is at least the change times this cannot reach zero before the window's start, so the factor
    /// holds; below it the exact computation runs.
    let coefficients: [Double]
    /// Per step, whether its window holds two samples or more (the steps `rate` has a value at).
    let presence: [Bool]
    /// How many steps have a value.
    let valuedSteps: Int

    init(_ ts: UnsafeBufferPointer<Int64>, _ plan: WindowPlan, isRate: Bool) {
        timestamps = Array(ts)
        rangeMs = plan.rangeMs
        ends = plan.ends
        self.isRate = isRate
        // Built in locals and stored once: appending to a class's stored arrays step by step checks
        // exclusive access at run time on every append.
        var spans: [Int] = []
        var coefficients: [Double] = []
        var presence: [Bool] = []
        spans.reserveCapacity(2 * plan.ends.count)
        coefficients.reserveCapacity(2 * plan.ends.count)
        presence.reserveCapacity(plan.ends.count)
        var lo = 0
        var hi = 0
        for end in plan.ends {
            // Windows may repeat or (with `@`) stand still; they never move back.
            let start = end &- plan.rangeMs
            while hi < ts.count && ts[hi] <= end { hi += 1 }
            while lo < hi && ts[lo] < start { lo += 1 }
            spans.append(lo)
            spans.append(hi)
            presence.append(hi - lo >= 2)
            guard hi - lo >= 2 else {
                coefficients.append(0)
                coefficients.append(0)
                continue
            }
            let durationToStart = Double(ts[lo] &- start) / 1000
            let sampledInterval = Double(ts[hi - 1] &- ts[lo]) / 1000
            coefficients.append(RangeFunction.extrapolationFactor(
                durationToStart: durationToStart, durationToEnd: Double(end &- ts[hi - 1]) / 1000,
                sampledInterval: sampledInterval, count: hi - lo, rangeMs: plan.rangeMs, isRate: isRate))
            coefficients.append(durationToStart / sampledInterval * (1 + 1e-9))
        }
        self.spans = spans
        self.coefficients = coefficients
        self.presence = presence
        valuedSteps = presence.lazy.filter { $0 }.count
    }

    /// True when the table was built for this plan and for timestamps as many as `ts` with the same first and last.
    func fits(_ ts: UnsafeBufferPointer<Int64>, _ plan: WindowPlan, isRate: Bool) -> Bool {
        self.isRate == isRate && rangeMs == plan.rangeMs && timestamps.count == ts.count && timestamps.first == ts.first
            && timestamps.last == ts.last && ends == plan.ends
    }

    /// True when the table was built for exactly these timestamps and this plan.
    func matches(_ ts: UnsafeBufferPointer<Int64>, _ plan: WindowPlan, isRate: Bool) -> Bool {
        guard fits(ts, plan, isRate: isRate) else { return false }
        return timestamps.withUnsafeBufferPointer { own in
            guard let mine = own.baseAddress, let theirs = ts.baseAddress else { return own.isEmpty }
            return memcmp(mine, theirs, ts.count * MemoryLayout<Int64>.stride) == 0
        }
    }

    /// Calls `body` with the per-step arrays ``spans``, ``coefficients`` and ``ends``.
    func withSteps<R>(_ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Double>, UnsafeBufferPointer<Int64>) throws -> R) rethrows -> R {
        try spans.withUnsafeBufferPointer { spans in
            try coefficients.withUnsafeBufferPointer { coefficients in
                try ends.withUnsafeBufferPointer { try body(spans, coefficients, $0) }
            }
        }
    }

    /// Writes ``presence`` over `flags`, which has one flag per step.
    func copyPresence(into flags: inout [Bool]) {
        flags.withUnsafeMutableBufferPointer { out in
            presence.withUnsafeBufferPointer { from in
                guard let source = from.baseAddress, let target = out.baseAddress else { return }
                target.update(from: source, count: Swift.min(out.count, from.count))
            }
        }
    }
}

/// The ``WindowTable``s one thread used last, most recent first: series arrive sorted by labels, so
/// the targets of a scrape (each with its own timestamps) take turns, and a few dozen tables serve
/// nearly every series (a histogram's buckets from a dozen targets, read in turn by one thread,
/// would miss eight every time).
struct WindowTables {
    private static let capacity = 32
    private var tables: [WindowTable] = []
    /// The generation of the timestamps the first table was last returned for (``TimestampRuns``).
    private var generation: Int?

    /// The table for `ts` under `plan`, built when none of the recent ones matches. With `generation` (the
    /// ``TimestampRuns/generation`` of the buffer `ts` was cut from, as the plan cuts it), the table returned
    /// last is returned again without comparing timestamps when it was returned for the same generation.
    /// The table is returned unretained: it stays alive in ``tables`` until the next call.
    mutating func table(for ts: UnsafeBufferPointer<Int64>, _ plan: WindowPlan, isRate: Bool, generation: Int? = nil) -> Unmanaged<WindowTable> {
        defer { self.generation = generation }
        if let generation, generation == self.generation, let first = tables.first, first.fits(ts, plan, isRate: isRate) {
            return .passUnretained(first)
        }
        if let index = tables.firstIndex(where: { $0.matches(ts, plan, isRate: isRate) }) {
            let table = tables[index]
            if index > 0 {
                tables.remove(at: index)
                tables.insert(table, at: 0)
            }
            return .passUnretained(table)
        }
        let table = WindowTable(ts, plan, isRate: isRate)
        if tables.count == Self.capacity { tables.removeLast() }
        tables.insert(table, at: 0)
        return .passUnretained(table)
    }
}
