/// A Temporal server role, as the `service_name` label names it.
public enum TemporalService: String, Sendable, CaseIterable, Hashable {
    /// The gRPC front door: every SDK call lands here first.
    case frontend
    /// Owns workflow state: mutable state, history events, the task queues of the shards.
    case history
    /// Matches workflow and activity tasks to polling workers.
    case matching
}
