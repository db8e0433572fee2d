import SundialStorage
import Testing
@testable import SundialQuery

@Suite struct RateTests {
    /// The worked example of landscape.md 4.2: 130, 160, 190, 220 at 15, 30, 45, 60 s.
    let worked = engine([series("x", [(15, 130), (30, 160), (45, 190), (60, 220)])])

    @Test func workedExampleIncreaseIs120AndRateIs2() {
        #expect(close(worked.value("increase(x[1m])", at: 60), 120))
        #expect(close(worked.value("rate(x[1m])", at: 60), 2))
        // delta extrapolates the same way without the zero clamp: also 120 here.
        #expect(close(worked.value("delta(x[1m])", at: 60), 120))
    }

    @Test func rateDropsTheMetricNameAndKeepsOtherLabels() {
        let e = engine([series("x", ["job": "a"], [(0, 0), (30, 30), (60, 60)])])
        let result = e.vector("rate(x[1m])", at: 60)
        #expect(result.map(\.labels) == [labels("", ["job": "a"])])
    }

    @Test func oneSampleInTheWindowGivesNoOutput() {
        #expect(worked.vector("rate(x[10s])", at: 60).isEmpty)
        #expect(worked.vector("increase(x[14s])", at: 45).isEmpty)
        #expect(worked.vector("irate(x[10s])", at: 60).isEmpty)
    }

    @Test func windowIsClosedAtBothEnds() {
        // [15 s, 60 s] includes the samples at exactly 15 and 60: four samples, raw 90 over 45 s,
        // no extrapolation at either end (both gaps 0 < 16.5 s).
        #expect(close(worked.value("increase(x[45s])", at: 60), 90))
        #expect(close(worked.value("count_over_time(x[45s])", at: 60), 4))
    }

    @Test func counterResetInsideTheWindowAddsTheValueBeforeTheReset() {
        // 10, 20, 30, then a restart: 5, 15. Raw: 15 - 10 + 30 = 35 over 40 s (4 gaps of 10 s);
        // start gap 0, end gap 0 → no extrapolation.
        let e = engine([regular("c", start: 0, every: 10, [10, 20, 30, 5, 15])])
        #expect(close(e.value("increase(c[40s])", at: 40), 35))
        #expect(close(e.value("rate(c[40s])", at: 40), 35.0 / 40))
        #expect(close(e.value("resets(c[40s])", at: 40), 1))
        // delta ignores resets.
        #expect(close(e.value("delta(c[40s])", at: 40), 5))
        // irate takes the last value as the increase after a reset.
        let r = engine([regular("c", start: 0, every: 10, [10, 20, 30, 5])])
        #expect(close(r.value("irate(c[1m])", at: 30), 0.5))
        #expect(close(r.value("idelta(c[1m])", at: 30), -25))
    }

    @Test func allZeroRatesAreZeroNotMissing() {
        let e = engine([regular("c", start: 0, every: 15, [7, 7, 7, 7, 7])])
        #expect(e.value("rate(c[1m])", at: 60) == 0)
        #expect(e.value("increase(c[1m])", at: 60) == 0)
    }

    @Test func zeroClampRunsBeforeTheThresholdTestAsIn242() {
        // Samples 1, 11, 21 at 10, 20, 30 s; window [0, 30] (rate(c[30s]) at 30 s).
        // result 20, sampled 20 s, avg 10 s, durationToStart 10 s. durationToZero = 20 * 1/20 = 1 s < 10 s,
        // so durationToStart becomes 1 s, which is below the 11 s threshold: extrapolate by 1 s.
        // extrapolateTo = 20 + 1 + 0 = 21 → increase 21. (3.x would test 10 < 11 first, then clamp: also 21 here.)
        let e = engine([regular("c", start: 10, every: 10, [1, 11, 21])])
        #expect(close(e.value("increase(c[30s])", at: 30), 21))
        // A case where the 2.42 order matters: avg/2 < durationToZero < 1.1·avg.
        // Samples 5.5, 15.5 at 20, 30 s, window [0, 30]: avg 10, durationToStart 20 s (beyond the threshold),
        // durationToZero = 10 * 5.5/10 = 5.5 s < 20 → durationToStart = 5.5 s < 11 s → extrapolate by 5.5 s:
        // increase = 10 * (10 + 5.5 + 0)/10 = 15.5. Prometheus 3.x would extrapolate by avg/2 = 5 s → 15.
        let f = engine([series("c", [(20, 5.5), (30, 15.5)])])
        #expect(close(f.value("increase(c[30s])", at: 30), 15.5))
    }

    @Test func extrapolationStopsAtHalfTheAverageSpacingWhenTheGapIsLarge() {
        // Samples at 40, 50, 60 s in a [0, 60] window: start gap 40 s ≥ 11 s → extend by 5 s only.
        let e = engine([series("g", [(40, 100), (50, 110), (60, 120)])])
        // delta (no zero clamp): 20 * (20 + 5 + 0)/20 = 25.
        #expect(close(e.value("delta(g[1m])", at: 60), 25))
        // increase: durationToZero = 20 * 100/20 = 100 s > 40 s, no clamp → also 25.
        #expect(close(e.value("increase(g[1m])", at: 60), 25))
    }

    @Test func offsetShiftsTheWindow() {
        // At 90 s with offset 30 s the window is [0, 60]: the worked example again, now with a 15 s start gap.
        #expect(close(worked.value("increase(x[1m] offset 30s)", at: 90), 120))
        #expect(close(worked.value("rate(x[1m] offset 30s)", at: 90), 2))
    }

    @Test func nanSamplesPropagate() {
        let e = engine([regular("c", start: 0, every: 15, [1, .nan, 3, 4, 5])])
        #expect(e.value("rate(c[1m])", at: 60).map(\.isNaN) == false)  // last - first is finite; NaN < x never counts as a reset
        #expect(e.value("sum_over_time(c[1m])", at: 60)?.isNaN == true)
    }

    @Test func ratesOfTwoMetricsWithTheSameLabelsCollideAsIn242() {
        // Panel 27's pattern: rate() drops the name, so service_errors_a{op="x"} and
        // service_errors_b{op="x"} become the same series, which 2.42 refuses.
        let e = engine([
            regular("service_errors_a", ["op": "x"], start: 0, every: 15, [0, 1, 2, 3, 4]),
            regular("service_errors_b", ["op": "x"], start: 0, every: 15, [0, 2, 4, 6, 8]),
        ])
        let error = e.failure(#"sum by (__name__) (rate({__name__=~"service_errors_.*"}[1m]))"#, at: 60)
        #expect(error?.description.hasPrefix(#"vector cannot contain metrics with the same labelset {op="x"}"#) == true)
        // last_over_time keeps the name, so it does not collide.
        #expect(e.vector(#"last_over_time({__name__=~"service_errors_.*"}[1m])"#, at: 60).count == 2)
    }

    /// The reset index lists exactly the decreasing neighbours, wherever they fall in its eight-wide
    /// blocks, NaN (never a decrease) included.
    @Test func resetIndexListsEveryDecrease() {
        var rng = SeededRandom(seed: 99)
        for length in [0, 1, 2, 7, 8, 9, 16, 17, 2000] {
            var values: [Double] = []
            var counter = 0.0
            for _ in 0..<length {
                switch rng.next() % 17 {
                case 0: counter = Double(rng.next() % 10)
                case 1: values.append(.nan); continue
                default: counter += Double(rng.next() % 1000) / 7
                }
                values.append(counter)
            }
            let expected = values.indices.dropFirst().filter { values[$0] < values[$0 - 1] }
            var index = ResetIndex()
            values.withUnsafeBufferPointer { index.rebuild($0) }
            #expect(index.resets == Array(expected), "length \(length)")
            // Told which stretches never decrease inside (some of them, cut anywhere), it finds the same.
            var steady: [Range<Int>] = []
            var start = 0
            var j = 1
            while j <= values.count {
                if j == values.count || values[j] < values[j - 1] {
                    // Nothing decreases inside `start..<j`: any part of it is steady.
                    if rng.next() % 3 != 0 {
                        let a = start + Int(rng.next() % UInt64(j - start))
                        steady.append(a..<(a + 1 + Int(rng.next() % UInt64(j - a))))
                    }
                    start = j
                }
                j += 1
            }
            var told = ResetIndex()
            values.withUnsafeBufferPointer { told.rebuild($0, steady: steady) }
            #expect(told.resets == Array(expected), "length \(length), steady \(steady)")
        }
    }

    /// The stale-marker scan finds a marker at any position, and not an ordinary NaN.
    @Test func staleMarkerScanFindsMarkersAnywhere() {
        for length in [1, 7, 8, 9, 31] {
            var values = (0..<length).map { Double($0) }
            values[length / 2] = .nan
            #expect(!values.withUnsafeBufferPointer { StaleMarker.occurs(in: $0) })
            for position in 0..<length {
                var marked = values
                marked[position] = StaleMarker.value
                #expect(marked.withUnsafeBufferPointer { StaleMarker.occurs(in: $0) }, "length \(length) position \(position)")
            }
        }
    }

    /// The written-out `rate`/`increase`/`delta` loop, which reuses one step's extrapolation factor
    /// across series with the same window timestamps and skips the zero clamp only where it provably
    /// cannot apply, against the per-window function: bit-identical on series sharing jittered
    /// timestamps, with resets, counters starting near zero (where the clamp bites), NaN and ±Inf.
    @Test(arguments: [RangeFunction.rate, .increase, .delta])
    func extrapolatedKernelIsBitIdenticalToThePerWindowFunction(_ function: RangeFunction) throws {
        var rng = SeededRandom(seed: 4242)
        let timestamps = (0..<600).map { Int64($0) * 15_000 + Int64(rng.next() % 40) }
        for rangeMs: Int64 in [30_000, 60_000, 300_000, 3_600_000] {
            let grid = StepGrid(startMs: 20_000, stepMs: 60_000 + Int64(rng.next() % 3) * 7_500, count: 140)
            let plan = WindowPlan(rangeMs: rangeMs, ends: (0..<grid.count).map { grid.time($0) })
            let kernel = RangeKernel(function: function, scalarArguments: [], grid: grid, plan: plan)
            var scratch = RangeKernel.Scratch()
            for seriesIndex in 0..<40 {
                // Some series start later (their own first timestamps), most share the whole column.
                let offset = seriesIndex % 5 == 0 ? Int(rng.next() % 200) : 0
                let ts = Array(timestamps[offset...])
                var counter = Double(rng.next() % 4)
                var vs: [Double] = []
                for _ in ts {
                    switch rng.next() % 400 {
                    case 0: counter = Double(rng.next() % 3)
                    case 1: vs.append(.nan); continue
                    case 2: vs.append(rng.next() % 2 == 0 ? .infinity : -.infinity); continue
                    default: counter += seriesIndex % 3 == 0 ? Double(rng.next() % 3) : Double(rng.next() % 1000) / 7
                    }
                    vs.append(counter)
                }
                let labels = LabelSet(name: "c", ["i": String(seriesIndex)])
                let fast = try #require(ts.withUnsafeBufferPointer { t in
                    vs.withUnsafeBufferPointer { v in try? kernel.apply(labels, t, v, &scratch) }
                })
                ts.withUnsafeBufferPointer { t in
                    vs.withUnsafeBufferPointer { v in
                        var lo = 0
                        var hi = 0
                        for step in 0..<grid.count {
                            let end = plan.ends[step]
                            while hi < t.count && t[hi] <= end { hi += 1 }
                            while lo < hi && t[lo] < end - rangeMs { lo += 1 }
                            let window = RangeWindow(timestamps: t, values: v, lo: lo, hi: hi,
                                                     rangeStartMs: end - rangeMs, rangeEndMs: end, rangeMs: rangeMs, evalTimeMs: end)
                            let expected = hi - lo >= 2
                                ? RangeFunction.extrapolatedRate(window, isCounter: function != .delta, isRate: function == .rate) : nil
                            #expect(fast.present[step] == (expected != nil), "series \(seriesIndex) step \(step) range \(rangeMs)")
                            if let expected, fast.present[step] {
                                #expect(fast.values[step].bitPattern == expected.bitPattern || (fast.values[step].isNaN && expected.isNaN),
                                        "series \(seriesIndex) step \(step) range \(rangeMs): \(fast.values[step]) vs \(expected)")
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func rateOverARealStoreMatchesInMemory() throws {
        let dir = TemporaryDirectory("rate")
        defer { dir.remove() }
        let store = try makeStore(at: dir.path, [series("x", [(15, 130), (30, 160), (45, 190), (60, 220)])])
        defer { store.close() }
        let e = QueryEngine(source: store.snapshot())
        #expect(close(e.value("increase(x[1m])", at: 60), 120))
        #expect(close(e.value("rate(x[1m])", at: 60), 2))
    }
}
