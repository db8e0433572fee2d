import SundialStorage
@testable import SundialQuery

/// Synthetic Temporal server metrics shaped like temporal.md section 2 (tally naming): RPC,
/// persistence and task counters and histograms, scraped every `scrapeSeconds`, with a counter
/// reset, a series that ends with a stale marker and a histogram with both `le="1"` spellings.
enum TemporalFixture {
    static let bounds = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"]
    static let frontendOperations = ["StartWorkflowExecution", "SignalWorkflowExecution", "QueryWorkflow", "RespondActivityTaskCompleted"]
    static let historyOperations = ["AddWorkflowTask", "RecordWorkflowTaskStarted", "RespondWorkflowTaskCompleted", "RecordActivityTaskStarted"]
    static let persistenceOperations = ["GetWorkflowExecution", "UpdateWorkflowExecution", "CreateWorkflowExecution"]

    /// The series over `[startSeconds, startSeconds + durationSeconds]`.
    static func series(startSeconds: Double = 0, durationSeconds: Double = 3600, scrapeSeconds: Double = 15,
                       seed: UInt64 = 42) -> [InMemorySeries] {
        var rng = SeededRandom(seed: seed)
        let times = stride(from: startSeconds, through: startSeconds + durationSeconds, by: scrapeSeconds).map { $0 }
        var out: [InMemorySeries] = []

        func counter(_ name: String, _ labels: [String: String], rate: Double, resetAt: Int? = nil) {
            var value = Double(rng.next() % 100)
            var points: [(Double, Double)] = []
            for (i, t) in times.enumerated() {
                if i == resetAt { value = 0 }
                value += (rate * scrapeSeconds * Double(50 + rng.next() % 100) / 100).rounded()
                points.append((t, value))
            }
            out.append(TestSeries.make(name, labels, points))
        }

        func histogram(_ name: String, _ labels: [String: String], rate: Double, leSpelling: [String: String] = [:]) {
            var cumulative = [Double](repeating: 0, count: bounds.count)
            var sum = 0.0
            var pointsPerBucket = [[(Double, Double)]](repeating: [], count: bounds.count)
            var sums: [(Double, Double)] = []
            for t in times {
                let observations = Int((rate * scrapeSeconds).rounded())
                for _ in 0..<observations {
                    let latency = Double(rng.next() % 2000) / 1000 * Double(1 + rng.next() % 3)  // 0 … 6 s
                    sum += latency
                    for (b, bound) in bounds.enumerated() where latency <= (Double(bound) ?? .infinity) { cumulative[b] += 1 }
                }
                for b in bounds.indices { pointsPerBucket[b].append((t, cumulative[b])) }
                sums.append((t, sum))
            }
            for (b, bound) in bounds.enumerated() {
                var l = labels
                l["le"] = leSpelling[bound] ?? bound
                out.append(TestSeries.make(name + "_bucket", l, pointsPerBucket[b]))
            }
            out.append(TestSeries.make(name + "_sum", labels, sums))
            out.append(TestSeries.make(name + "_count", labels, pointsPerBucket[bounds.count - 1]))
        }

        for (service, operations) in [("frontend", frontendOperations), ("history", historyOperations)] {
            for (o, operation) in operations.enumerated() {
                for namespace in ["default", "orders"] {
                    let l = ["service_name": service, "operation": operation, "namespace": namespace]
                    counter("service_requests", l, rate: Double(2 + o), resetAt: o == 1 && namespace == "orders" ? times.count / 2 : nil)
                    counter("service_errors", l, rate: 0.05 * Double(o))
                    histogram("service_latency", l, rate: 0.5)
                }
                counter("persistence_requests", ["service_name": service, "operation": persistenceOperations[o % 3] + "\(o)"], rate: 3)
            }
        }
        for operation in persistenceOperations {
            let l = ["service_name": "history", "operation": operation]
            counter("persistence_errors", l, rate: 0.1)
            histogram("persistence_latency", l, rate: 1, leSpelling: operation == "GetWorkflowExecution" ? ["1": "1.0"] : [:])
        }
        histogram("task_attempt", ["operation": "TransferActiveTaskCommand", "service_name": "history"], rate: 0.5)
        histogram("client_latency", ["service_name": "frontend", "service_role": "history", "operation": "RecordActivityTaskStarted"], rate: 1)
        counter("client_errors", ["service_name": "frontend", "service_role": "history", "operation": "RecordActivityTaskStarted"], rate: 0.01)
        // Only one operation per error kind, so that dropping the metric name cannot collide.
        counter("service_errors_entity_not_found", ["service_name": "frontend", "operation": "QueryWorkflow"], rate: 0.02)
        counter("service_errors_resource_exhausted", ["service_name": "frontend", "operation": "StartWorkflowExecution"], rate: 0.01)
        counter("service_errors_execution_already_started", ["service_name": "history", "operation": "StartWorkflowExecution"], rate: 0.01)
        counter("workflow_success", ["operation": "CompletionStats", "namespace": "default"], rate: 1)
        counter("workflow_failed", ["operation": "CompletionStats", "namespace": "default"], rate: 0.1)
        counter("action", ["service_name": "frontend"], rate: 5)
        counter("task_latency_processing_sum", ["operation": "VisibilityTaskUpsertExecution"], rate: 0.3)
        counter("task_latency_processing_count", ["operation": "VisibilityTaskUpsertExecution"], rate: 2)
        out.append(TestSeries.make("restarts", ["service_name": "history"], times.map { ($0, 1) }))
        for (instance, pod) in [("10.0.0.1:9090", "worker-a"), ("10.0.0.2:9090", "worker-b")] {
            out.append(TestSeries.make("started", ["instance": instance, "pod": pod, "scavenger": "history"], times.map { ($0, 2) }))
        }
        out.append(TestSeries.make("stopped", ["instance": "10.0.0.1:9090", "pod": "worker-a", "scavenger": "history"], times.map { ($0, 1) }))
        // A gauge whose target vanished half-way: Prometheus wrote a stale marker.
        let half = times.count / 2
        out.append(TestSeries.make("num_goroutines", ["service_name": "matching"],
                                   times[..<half].map { ($0, 300) } + [(times[half], StaleMarker.value)]))
        return out
    }
}

enum TestSeries {
    static func make(_ name: String, _ labels: [String: String], _ points: [(Double, Double)]) -> InMemorySeries {
        series(name, labels, points)
    }
}
