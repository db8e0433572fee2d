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
        let table = windows.table(for: ts, plan, isRate: isRate, generation: generation)
        let rangeMs = plan.rangeMs
        steps.found = counters.resets.withUnsafeBufferPointer { resets in
            steps.values.withUnsafeMutableBufferPointer { valuesOut in
                steps.present.withUnsafeMutableBufferPointer { presentOut in
                    plan.ends.withUnsafeBufferPointer { ends in
                        table.withSteps { lows, highs, factors, zeroRatioBounds in
                            let windows = ExtrapolationWindows(lows: lows, highs: highs, factors: factors, zeroRatioBounds: zeroRatioBounds,
                                                               ends: ends, rangeMs: rangeMs)
                            // One loop per case, each without the tests it does not need: the kernel took
                            // 9 % fewer instructions than with one loop testing all of them (stop 17).
                            if !isCounter {
                                return Self.extrapolatedSteps(ts, vs, windows, resets: resets, isCounter: false, hasResets: false,
                                                              isRate: isRate, valuesOut, presentOut)
                            }
                            if resets.isEmpty {
                                return Self.extrapolatedSteps(ts, vs, windows, resets: resets, isCounter: true, hasResets: false,
                                                              isRate: isRate, valuesOut, presentOut)
                            }
                            return Self.extrapolatedSteps(ts, vs, windows, resets: resets, isCounter: true, hasResets: true,
                                                          isRate: isRate, valuesOut, presentOut)
                        }
                    }
                }
            }
        }
    }

    /// The loop of ``applyExtrapolated(_:_:counters:windows:steady:timestamps:into:)``, inlined into each of its
    /// cases; returns how many steps got a value.
    @inline(__always)
    private static func extrapolatedSteps(_ ts: UnsafeBufferPointer<Int64>, _ vs: UnsafeBufferPointer<Double>, _ windows: ExtrapolationWindows,
                                          resets: UnsafeBufferPointer<Int>, isCounter: Bool, hasResets: Bool, isRate: Bool,
                                          _ valuesOut: UnsafeMutableBufferPointer<Double>, _ presentOut: UnsafeMutableBufferPointer<Bool>) -> Int {
        var found = 0
        // The resets inside the window `lo..<hi` are those at `lo + 1 ... hi - 1`:
        // `resets[firstReset..<endReset]`. Windows never move back, so both only advance.
        var firstReset = 0
        var endReset = 0
        for step in 0..<windows.lows.count {
            let lo = windows.lows[step]
            let hi = windows.highs[step]
            if hi &- lo < 2 {
                // Every step is written: the buffer is not cleared beforehand (``RangeKernel/StepBuffer/prepareToOverwrite(steps:)``).
                valuesOut[step] = 0
                presentOut[step] = false
                continue
            }
            let first = vs[lo]
            var result = vs[hi &- 1] - first
            if hasResets {
                while firstReset < resets.count && resets[firstReset] <= lo { firstReset &+= 1 }
                while endReset < resets.count && resets[endReset] < hi { endReset &+= 1 }
                // In time order: the additions of the per-window loop, in its order.
                for r in firstReset..<endReset { result += vs[resets[r] &- 1] }
            }
            if isCounter && result > 0 && first >= 0 && !(first >= result * windows.zeroRatioBounds[step]) {
                let end = windows.ends[step]
                valuesOut[step] = RangeFunction.extrapolate(
                    result, firstValue: first, firstTimestampMs: ts[lo], lastTimestampMs: ts[hi &- 1], count: hi &- lo,
                    rangeStartMs: end &- windows.rangeMs, rangeEndMs: end, rangeMs: windows.rangeMs, isCounter: true, isRate: isRate)
            } else {
                valuesOut[step] = result * windows.factors[step]
            }
            presentOut[step] = true
            found &+= 1
        }
        return found
    }
}

/// A ``WindowTable``'s per-step arrays and the plan's window ends, for the loop of `rate`, `increase` and `delta`.
private struct ExtrapolationWindows {
    let lows: UnsafeBufferPointer<Int>
    let highs: UnsafeBufferPointer<Int>
    let factors: UnsafeBufferPointer<Double>
    let zeroRatioBounds: UnsafeBufferPointer<Double>
    let ends: UnsafeBufferPointer<Int64>
    let rangeMs: Int64
}

/// For one array of timestamps under one window plan: each step's window as indices, and the
/// timestamp-only part of `rate`'s extrapolation there.
final class WindowTable {
    let timestamps: [Int64]
    let rangeMs: Int64
    let ends: [Int64]
    let isRate: Bool
    /// Per step, the window `lows[s]..<highs[s]` (samples in `[end - range, end]`).
    let lows: [Int]
    let highs: [Int]
    /// Per step, the extrapolation factor when a counter's extrapolation towards zero does not apply.
    let factors: [Double]
    /// Per step, `durationToStart / sampledInterval` raised by 1e-9 relative: a counter whose first
    /// value is at least the change times this cannot reach zero before the window's start, so the
    /// factor holds; below it the exact computation runs.
    let zeroRatioBounds: [Double]

    init(_ ts: UnsafeBufferPointer<Int64>, _ plan: WindowPlan, isRate: Bool) {
        timestamps = Array(ts)
        rangeMs = plan.rangeMs
        ends = plan.ends
        self.isRate = isRate
        // Built in locals and stored once: appending to a class's stored arrays step by step checks
        // exclusive access at run time on every append.
        var lows: [Int] = []
        var highs: [Int] = []
        var factors: [Double] = []
        var zeroRatioBounds: [Double] = []
        lows.reserveCapacity(plan.ends.count)
        highs.reserveCapacity(plan.ends.count)
        factors.reserveCapacity(plan.ends.count)
        zeroRatioBounds.reserveCapacity(plan.ends.count)
        var lo = 0
        var hi = 0
        for end in plan.ends {
            // Windows may repeat or (with `@`) stand still; they never move back.
            let start = end &- plan.rangeMs
            while hi < ts.count && ts[hi] <= end { hi += 1 }
            while lo < hi && ts[lo] < start { lo += 1 }
            lows.append(lo)
            highs.append(hi)
            guard hi - lo >= 2 else {
                factors.append(0)
                zeroRatioBounds.append(0)
                continue
            }
            let durationToStart = Double(ts[lo] &- start) / 1000
            let sampledInterval = Double(ts[hi - 1] &- ts[lo]) / 1000
            factors.append(RangeFunction.extrapolationFactor(
                durationToStart: durationToStart, durationToEnd: Double(end &- ts[hi - 1]) / 1000,
                sampledInterval: sampledInterval, count: hi - lo, rangeMs: plan.rangeMs, isRate: isRate))
            zeroRatioBounds.append(durationToStart / sampledInterval * (1 + 1e-9))
        }
        self.lows = lows
        self.highs = highs
        self.factors = factors
        self.zeroRatioBounds = zeroRatioBounds
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

    /// Calls `body` with the per-step arrays.
    func withSteps<R>(_ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>, UnsafeBufferPointer<Double>,
                               UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try lows.withUnsafeBufferPointer { l in
            try highs.withUnsafeBufferPointer { h in
                try factors.withUnsafeBufferPointer { f in
                    try zeroRatioBounds.withUnsafeBufferPointer { z in try body(l, h, f, z) }
                }
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
    mutating func table(for ts: UnsafeBufferPointer<Int64>, _ plan: WindowPlan, isRate: Bool, generation: Int? = nil) -> WindowTable {
        defer { self.generation = generation }
        if let generation, generation == self.generation, let first = tables.first, first.fits(ts, plan, isRate: isRate) {
            return first
        }
        if let index = tables.firstIndex(where: { $0.matches(ts, plan, isRate: isRate) }) {
            let table = tables[index]
            if index > 0 {
                tables.remove(at: index)
                tables.insert(table, at: 0)
            }
            return table
        }
        let table = WindowTable(ts, plan, isRate: isRate)
        if tables.count == Self.capacity { tables.removeLast() }
        tables.insert(table, at: 0)
        return table
    }
}
