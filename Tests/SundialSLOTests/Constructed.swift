import SundialQuery
import SundialSLO
import SundialStorage

/// Counters sampled every minute, built from per-minute increments.
enum Constructed {
    static let minuteMs: Int64 = 60_000
    static let endMs: Int64 = 1_767_225_600_000 + 31 * 86_400_000

    /// A counter over `minutes` minutes ending at `endMs`; `increment(i)` is the increase into minute i (0 = oldest);
    /// `resetAt` drops the counter to that minute's increment.
    static func counter(_ name: String, _ labels: [String: String] = [:], minutes: Int, start: Double = 1_000_000,
                        resetAt: Int? = nil, increment: (Int) -> Double) -> InMemorySeries {
        var value = start
        var samples: [Sample] = []
        for i in 0..<minutes {
            if i == resetAt { value = 0 }
            if i > 0 || resetAt == 0 { value += increment(i) }
            samples.append(Sample(timestampMs: endMs - Int64(minutes - 1 - i) * minuteMs, value: value))
        }
        return InMemorySeries(LabelSet(name: name, labels), samples)
    }

    static func availability(objective: Double, days: Int64 = 30) -> SLOSpec {
        SLOSpec(name: "api", objective: objective, periodSeconds: days * 86_400,
                indicator: .ratio(RatioIndicator(bad: .selector("errors"), total: .selector("requests"))))
    }
}
