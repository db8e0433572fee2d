/// Sample type of a metric family.
enum FamilyKind: Sendable {
    case counter, gauge, histogram
}

/// The metric families the corpus emits, by their Temporal definition name (`common/metrics/metric_defs.go`).
enum MetricFamily: Int, Sendable, CaseIterable {
    case memoryHeap, numGoroutines, servicePendingRequests, restarts
    case serviceRequests, serviceErrors, serviceErrorWithType, serviceLatency
    case persistenceRequests, persistenceErrors, persistenceErrorWithType, persistenceLatency
    case workflowSuccess, workflowFailed, workflowTimeout, workflowTerminate, workflowCancel

    /// The name as defined in the server.
    var baseName: String {
        switch self {
        case .memoryHeap: "memory_heap"
        case .numGoroutines: "num_goroutines"
        case .servicePendingRequests: "service_pending_requests"
        case .restarts: "restarts"
        case .serviceRequests: "service_requests"
        case .serviceErrors: "service_errors"
        case .serviceErrorWithType: "service_error_with_type"
        case .serviceLatency: "service_latency"
        case .persistenceRequests: "persistence_requests"
        case .persistenceErrors: "persistence_errors"
        case .persistenceErrorWithType: "persistence_error_with_type"
        case .persistenceLatency: "persistence_latency"
        case .workflowSuccess: "workflow_success"
        case .workflowFailed: "workflow_failed"
        case .workflowTimeout: "workflow_timeout"
        case .workflowTerminate: "workflow_terminate"
        case .workflowCancel: "workflow_cancel"
        }
    }

    var kind: FamilyKind {
        switch self {
        case .memoryHeap, .numGoroutines, .servicePendingRequests: .gauge
        case .serviceLatency, .persistenceLatency: .histogram
        default: .counter
        }
    }

    /// The description given in metric_defs.go, which the OpenTelemetry exporter prints as HELP; tally prints
    /// `<name> <type>` instead.
    var definedDescription: String {
        self == .serviceRequests ? "The number of gRPC requests received by the service." : ""
    }

    /// The five workflow completion outcomes, in the order workflow groups keep their counters.
    static let workflowOutcomes: [MetricFamily] = [
        .workflowSuccess, .workflowFailed, .workflowTimeout, .workflowTerminate, .workflowCancel,
    ]
}
