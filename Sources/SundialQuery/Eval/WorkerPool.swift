import Dispatch
import Foundation

/// Threads of the query engine's parallel sections, started once and parked between sections: the
/// evaluator's replacement for `DispatchQueue.concurrentPerform`.
///
/// On Linux, libdispatch's threads came to a section late. Of 200 sections of two 20 µs items, the calling
/// thread ran both items itself in 131–153 back to back and in 200 after 20 ms pauses; in the instant latency
/// query the second worker began 25–150 µs after the first. A thread parked on a condition here wakes in
/// 4–11 µs, and a caller that announces its section before selecting series (``expectSection(within:)``)
/// finds the workers awake: the second worker then began 1–10 µs after the first (docs/PERFORMANCE.md, stop 19).
///
/// ``perform(iterations:_:)`` runs `body(0)`, …, `body(iterations − 1)` at once, the calling thread
/// running iteration 0 and any left over (with two processors, each iteration number then stays on the same
/// thread from one section to the next, and ``WorkClaims`` keeps a worker's items on one core), and returns
/// when all have returned. One section runs at a time: a section asked for
/// while another runs (queries on several threads, or a section inside a section) goes to
/// `concurrentPerform` as before, so no caller ever waits for another's work.
final class WorkerPool: @unchecked Sendable {
    /// The pool the evaluator uses: one thread fewer than the processors it may run on (the calling
    /// thread is the other), at most seven.
    static let shared = WorkerPool(threads: Swift.min(7, Swift.max(0, Evaluator.activeProcessors - 1)))

    /// One parallel section: its body and which of its iterations are taken and done. Guarded by the
    /// pool's `condition`. The body is dropped before ``perform(iterations:_:)`` returns: it must not outlive
    /// the call (`withoutActuallyEscaping` checks), and a worker may still hold the section.
    private final class Section {
        var body: (@Sendable (Int) -> Void)?
        let iterations: Int
        /// The next iteration not taken: the calling thread runs iteration 0 itself.
        var next = 1
        var finished = 0

        init(body: @escaping @Sendable (Int) -> Void, iterations: Int) {
            self.body = body
            self.iterations = iterations
        }
    }

    /// Guards every property below; workers wait on it for a section, the caller for the section's end.
    private let condition = NSCondition()
    private var section: Section?
    /// True from a section's start until its caller has seen it end.
    private var busy = false
    private let threadCount: Int
    private var started = false
    /// Until when (``now()``, nanoseconds) idle workers poll for a section instead of parking: set by
    /// ``expectSection(within:)``, cleared by ``cancelExpectedSection()`` and when a section starts.
    private var pollUntil: UInt64 = 0

    /// A pool of `threads` workers besides the calling thread, started on first use. The workers keep the pool
    /// for the life of the process.
    init(threads: Int) {
        threadCount = threads
    }

    /// Wakes the workers to wait for a section expected within `microseconds`, polling rather than parked: a
    /// caller that is about to select series calls it first, so that the wake-up (tens of microseconds on a
    /// virtual machine whose other processor idles) passes while it selects. Workers park again when the
    /// section starts (they run it), at ``cancelExpectedSection()``, or when the time is up.
    func expectSection(within microseconds: Int) {
        guard threadCount > 0 else { return }
        condition.lock()
        if !started { startThreads() }
        pollUntil = Self.now() &+ UInt64(microseconds) &* 1000
        condition.unlock()
        // After unlocking: a worker woken while the lock is held would only wait for it again.
        condition.broadcast()
    }

    /// Sends polling workers back to park: the section ``expectSection(within:)`` announced will not come.
    func cancelExpectedSection() {
        condition.lock()
        pollUntil = 0
        condition.unlock()
    }

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Runs `body` for every number in `0..<iterations`, on the pool's threads and the calling one at once,
    /// and returns when every call has returned. The calling thread runs number 0 (and any the workers have not
    /// taken when it is done); which thread runs each other number is not fixed.
    func perform(iterations: Int, _ body: @Sendable (Int) -> Void) {
        guard iterations > 1, threadCount > 0 else {
            for i in 0..<iterations { body(i) }
            return
        }
        condition.lock()
        guard !busy else {
            condition.unlock()
            DispatchQueue.concurrentPerform(iterations: iterations, execute: body)
            return
        }
        busy = true
        if !started { startThreads() }
        withoutActuallyEscaping(body) { body in
            let section = Section(body: body, iterations: iterations)
            self.section = section
            pollUntil = 0
            condition.unlock()
            condition.broadcast()
            body(0)
            condition.lock()
            section.finished += 1
            condition.unlock()
            run(section)
            condition.lock()
            // The other iterations are ending too (each takes its work a few series at a time): poll for them
            // a while before parking, which would add a wake-up of the calling thread to every section.
            let pollEnd = Self.now() &+ 50_000
            while section.finished < section.iterations && Self.now() < pollEnd {
                condition.unlock()
                Self.pause()
                condition.lock()
            }
            while section.finished < section.iterations { condition.wait() }
            // No worker holds the body any more: every iteration taken has finished, and each let go of it first.
            section.body = nil
            self.section = nil
            busy = false
            condition.unlock()
        }
    }

    /// Takes and runs iterations of `section` until none is left.
    private func run(_ section: Section) {
        while runNext(of: section) {
            condition.lock()
            section.finished += 1
            if section.finished == section.iterations { condition.broadcast() }
            condition.unlock()
        }
    }

    /// Takes the next iteration of `section` and runs it; false when none is left. The body is held only in
    /// here, so it is let go of before the iteration counts as finished.
    private func runNext(of section: Section) -> Bool {
        condition.lock()
        guard section.next < section.iterations, let body = section.body else {
            condition.unlock()
            return false
        }
        let i = section.next
        section.next += 1
        condition.unlock()
        body(i)
        return true
    }

    /// Starts the workers; called with `condition` held.
    private func startThreads() {
        started = true
        for n in 0..<threadCount {
            let thread = Thread { self.work() }
            thread.name = "sundial-query-\(n + 1)"
            thread.start()
        }
    }

    /// A worker's life: wait for a section with iterations left (polling while one is expected, parked
    /// otherwise), help run it, and wait again.
    private func work() {
        condition.lock()
        while true {
            if let current = section, current.next < current.iterations {
                condition.unlock()
                run(current)
                condition.lock()
            } else if pollUntil != 0 && Self.now() < pollUntil {
                condition.unlock()
                Self.pause()
                condition.lock()
            } else {
                condition.wait()
            }
        }
    }

    /// The pause between two polls: the processor is offered to any other thread that is ready to run (with
    /// more threads than processors, a poller must not hold up the thread it waits for), and the lock is left
    /// free meanwhile.
    private static func pause() {
        _ = sched_yield()
    }
}
