import Foundation
import Testing
@testable import SundialQuery

/// The evaluator's own threads (``WorkerPool``): every iteration runs once, iterations run at the same time,
/// and a section that cannot have the pool (asked for inside a section, or by another thread meanwhile) still
/// runs whole.
@Suite struct WorkerPoolTests {
    /// What the iterations of a section did, recorded under a lock.
    final class Record: @unchecked Sendable {
        private let lock = NSCondition()
        private var runs: [Int: Int] = [:]
        private var started = 0

        func ran(_ i: Int) {
            lock.lock()
            runs[i, default: 0] += 1
            lock.unlock()
        }

        /// Counts this iteration as started and waits up to `seconds` for `count` to have started: true when they did.
        func startAndAwait(_ count: Int, seconds: Double) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            started += 1
            lock.broadcast()
            let deadline = Date(timeIntervalSinceNow: seconds)
            while started < count {
                guard lock.wait(until: deadline) else { return started >= count }
            }
            return true
        }

        /// How many times each iteration ran.
        var counts: [Int: Int] {
            lock.lock()
            defer { lock.unlock() }
            return runs
        }
    }

    @Test(arguments: [0, 1, 2, 3, 8, 17])
    func everyIterationRunsOnce(iterations: Int) {
        let record = Record()
        WorkerPool(threads: 2).perform(iterations: iterations) { record.ran($0) }
        #expect(record.counts == Dictionary(uniqueKeysWithValues: (0..<iterations).map { ($0, 1) }))
    }

    /// Two iterations on a pool of one thread besides the caller: each waits until both have started, which
    /// happens only when they run at once (one after the other, the first would give up after 5 s).
    @Test func iterationsRunAtOnce() {
        let pool = WorkerPool(threads: 1)
        for _ in 0..<20 {
            let record = Record()
            let together = Locked(0)
            pool.perform(iterations: 2) { i in
                if record.startAndAwait(2, seconds: 5) { together.increment() }
                record.ran(i)
            }
            #expect(record.counts == [0: 1, 1: 1])
            guard together.value == 2 else {
                Issue.record("the two iterations did not run at once")
                return
            }
        }
    }

    /// A section inside a section, and sections asked for by several threads at once, run whole.
    @Test func sectionsThatFindThePoolBusyStillRun() {
        let pool = WorkerPool(threads: 1)
        let outer = Record()
        let inner = Record()
        pool.perform(iterations: 3) { i in
            outer.ran(i)
            pool.perform(iterations: 4) { j in inner.ran(i * 4 + j) }
        }
        #expect(outer.counts == [0: 1, 1: 1, 2: 1])
        #expect(inner.counts == Dictionary(uniqueKeysWithValues: (0..<12).map { ($0, 1) }))

        let callers = Record()
        DispatchQueue.concurrentPerform(iterations: 4) { caller in
            for round in 0..<25 {
                pool.perform(iterations: 2) { i in callers.ran((caller * 25 + round) * 2 + i) }
            }
        }
        #expect(callers.counts == Dictionary(uniqueKeysWithValues: (0..<200).map { ($0, 1) }))
    }

    /// Workers told to expect a section run it when it comes, and go back to waiting when it is called off.
    @Test func expectedSectionsRunAndCalledOffOnesLeaveThePoolUsable() {
        let pool = WorkerPool(threads: 1)
        pool.expectSection(within: 100_000)
        let first = Record()
        pool.perform(iterations: 2) { i in
            _ = first.startAndAwait(2, seconds: 10)
            first.ran(i)
        }
        #expect(first.counts == [0: 1, 1: 1])
        pool.expectSection(within: 100_000)
        pool.cancelExpectedSection()
        pool.expectSection(within: 1)
        usleep(2_000)
        let second = Record()
        pool.perform(iterations: 5) { second.ran($0) }
        #expect(second.counts == Dictionary(uniqueKeysWithValues: (0..<5).map { ($0, 1) }))
    }
}

/// ``WorkClaims``: each worker starts on its own stretch, and every number goes out once however the workers
/// interleave.
@Suite struct WorkClaimsTests {
    @Test func workersStartOnTheirOwnStretches() {
        let claims = WorkClaims(100, workers: 4)
        #expect(claims.claim(8, worker: 0) == 0..<8)
        #expect(claims.claim(8, worker: 1) == 25..<33)
        #expect(claims.claim(8, worker: 3) == 75..<83)
        #expect(claims.claim(30, worker: 2) == 50..<75)
        #expect(claims.claim(8, worker: 0) == 8..<16)
        // Worker 2's stretch is used up: it takes from the back of the stretch with most left (worker 1's: 33..<50).
        #expect(claims.claim(8, worker: 2) == 42..<50)
    }

    @Test(arguments: [(0, 1), (1, 2), (7, 2), (100, 2), (101, 3), (868, 2), (868, 8), (5, 8)])
    func everyNumberGoesOutOnce(count: Int, workers: Int) {
        var rng = SeededRandom(seed: UInt64(count * 31 + workers))
        let claims = WorkClaims(count, workers: workers)
        var seen = [Int](repeating: 0, count: count)
        var done = Set<Int>()
        while done.count < workers {
            let worker = Int.random(in: 0..<workers, using: &rng)
            guard let claimed = claims.claim(Int.random(in: 1...9, using: &rng), worker: worker) else {
                done.insert(worker)
                continue
            }
            #expect(!claimed.isEmpty)
            for i in claimed { seen[i] += 1 }
        }
        #expect(seen.allSatisfy { $0 == 1 })
    }
}

/// A counter several threads add to.
private final class Locked: @unchecked Sendable {
    private let lock = NSLock()
    private var count: Int

    init(_ count: Int) { self.count = count }

    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
