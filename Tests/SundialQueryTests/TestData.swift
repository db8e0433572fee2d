import SundialStorage
import Testing
@testable import SundialQuery

/// A series with `__name__ = name`, extra labels and samples given as (seconds, value).
func series(_ name: String, _ labels: [String: String] = [:], _ points: [(Double, Double)]) -> InMemorySeries {
    InMemorySeries(LabelSet(name: name, labels), points.map { Sample(timestampMs: Int64(($0.0 * 1000).rounded()), value: $0.1) })
}

/// A series without extra labels.
func series(_ name: String, _ points: [(Double, Double)]) -> InMemorySeries { series(name, [:], points) }

/// A series with samples every `intervalSeconds` from `startSeconds`, values from `values`.
func regular(_ name: String, _ labels: [String: String] = [:], start startSeconds: Double = 0, every intervalSeconds: Double,
             _ values: [Double]) -> InMemorySeries {
    series(name, labels, values.enumerated().map { (startSeconds + Double($0.offset) * intervalSeconds, $0.element) })
}

/// An engine over in-memory series.
func engine(_ all: [InMemorySeries], options: QueryOptions = QueryOptions()) -> QueryEngine {
    QueryEngine(source: InMemorySource(all), options: options)
}

/// Labels written compactly: `labels("m", ["a": "1"])`; pass an empty name for no metric name.
func labels(_ name: String = "", _ others: [String: String] = [:]) -> LabelSet {
    name.isEmpty ? LabelSet(others.map { Label($0.key, $0.value) }) : LabelSet(name: name, others)
}

extension QueryEngine {
    /// The instant vector of `query` at `seconds`, or an empty vector after recording the error.
    func vector(_ query: String, at seconds: Double, sourceLocation: SourceLocation = #_sourceLocation) -> [InstantSample] {
        do {
            let result = try instant(query, atMs: Int64((seconds * 1000).rounded()))
            guard case let .vector(samples) = result else {
                Issue.record("\(query) gave \(result), not a vector", sourceLocation: sourceLocation)
                return []
            }
            return samples
        } catch {
            Issue.record("\(query) failed: \(error)", sourceLocation: sourceLocation)
            return []
        }
    }

    /// The single value of `query` at `seconds` (a one-sample vector or a scalar), or nil.
    func value(_ query: String, at seconds: Double, sourceLocation: SourceLocation = #_sourceLocation) -> Double? {
        do {
            switch try instant(query, atMs: Int64((seconds * 1000).rounded())) {
            case let .scalar(_, value): return value
            case let .vector(samples):
                if samples.count > 1 { Issue.record("\(query) gave \(samples.count) samples", sourceLocation: sourceLocation) }
                return samples.first?.value
            case let other:
                Issue.record("\(query) gave \(other)", sourceLocation: sourceLocation)
                return nil
            }
        } catch {
            Issue.record("\(query) failed: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The error `query` fails with at `seconds`, recording an issue when it succeeds.
    func failure(_ query: String, at seconds: Double, sourceLocation: SourceLocation = #_sourceLocation) -> QueryError? {
        do {
            let result = try instant(query, atMs: Int64((seconds * 1000).rounded()))
            Issue.record("\(query) should fail but gave \(result)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }
}

/// True when two doubles are equal within a relative tolerance (or both NaN).
func close(_ a: Double?, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a.isInfinite || b.isInfinite { return a == b }
    return Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b))
}

/// Writes series into a fresh store in `directory` through the public storage API.
func makeStore(at directory: String, _ all: [InMemorySeries]) throws -> Store {
    let store = try Store.open(at: directory)
    var batch = store.makeBatch()
    for s in all {
        let ref = try store.reference(for: s.labels)
        for sample in s.samples { batch.append(ref, timestampMs: sample.timestampMs, value: sample.value) }
    }
    try store.commit(batch)
    return store
}
