/// The error types the corpus emits, by the Go type name Temporal reports as `error_type`
/// (`common/util/error_type.go`: the type name with the leading `*` trimmed).
enum ErrorKind: Int, Sendable, CaseIterable {
    case notFound, alreadyStarted, invalidArgument, queryFailed, resourceExhausted, unavailable, deadlineExceeded
    case conditionFailed, currentWorkflowConditionFailed, shardOwnershipLost, persistenceTimeout

    /// The raw Go type name; tally's sanitiser later turns `.` into `_`.
    var goTypeName: String {
        switch self {
        case .notFound: "serviceerror.NotFound"
        case .alreadyStarted: "serviceerror.WorkflowExecutionAlreadyStarted"
        case .invalidArgument: "serviceerror.InvalidArgument"
        case .queryFailed: "serviceerror.QueryFailed"
        case .resourceExhausted: "serviceerror.ResourceExhausted"
        case .unavailable: "serviceerror.Unavailable"
        case .deadlineExceeded: "serviceerror.DeadlineExceeded"
        case .conditionFailed: "persistence.ConditionFailedError"
        case .currentWorkflowConditionFailed: "persistence.CurrentWorkflowConditionFailedError"
        case .shardOwnershipLost: "persistence.ShardOwnershipLostError"
        case .persistenceTimeout: "persistence.TimeoutError"
        }
    }

    /// Whether `service_errors` / `persistence_errors` count it. Both count only unexpected errors: the RPC
    /// handler excludes NotFound, AlreadyStarted, InvalidArgument, QueryFailed and namespace-scoped
    /// ResourceExhausted; the persistence client excludes ConditionFailed, CurrentWorkflowConditionFailed,
    /// ShardOwnershipLost, Timeout and NotFound.
    var isUnexpected: Bool {
        switch self {
        case .unavailable, .deadlineExceeded: true
        default: false
        }
    }
}

/// A modelled gRPC operation of one service: how often it is called, how long it takes, how it fails.
struct RPCProfile: Sendable {
    let service: TemporalService
    let operation: String
    /// Requests per second for a namespace of weight 1 (before the corpus-wide traffic factor).
    let rate: Double
    let medianMs: Double
    let sigma: Double
    /// False for the few calls that carry no namespace and are labelled `_unknown_`.
    let namespaced: Bool
    /// Expected (user-caused) errors and their share of requests in normal operation.
    let errors: [(ErrorKind, Double)]
}

/// Who a persistence call is made for; the persistence `namespace` label is this caller.
enum PersistenceCaller: Sendable {
    /// The namespace of the workflow or task queue concerned.
    case namespace
    /// Shard-level and background work: `system`.
    case system
    /// Calls made without caller information: `_unknown_`.
    case unknown
}

/// A modelled persistence operation as one service calls it.
struct PersistenceProfile: Sendable {
    let operation: String
    let caller: PersistenceCaller
    /// Calls per second (per namespace weight for namespace callers).
    let rate: Double
    let medianMs: Double
    let sigma: Double
    let errors: [(ErrorKind, Double)]
}

/// Real operation names (temporal.md §2.5) with invented but plausible traffic and latency profiles.
enum OperationCatalog {
    private static func rpc(
        _ service: TemporalService, _ operation: String, _ rate: Double, _ medianMs: Double, _ sigma: Double = 0.5,
        namespaced: Bool = true, _ errors: [(ErrorKind, Double)] = []
    ) -> RPCProfile {
        RPCProfile(
            service: service, operation: operation, rate: rate, medianMs: medianMs, sigma: sigma,
            namespaced: namespaced, errors: errors
        )
    }

    private static func rpc(
        _ service: TemporalService, _ operation: String, _ rate: Double, _ medianMs: Double,
        _ errors: [(ErrorKind, Double)]
    ) -> RPCProfile {
        rpc(service, operation, rate, medianMs, 0.5, errors)
    }

    private static func op(
        _ operation: String, _ caller: PersistenceCaller, _ rate: Double, _ medianMs: Double, _ sigma: Double = 0.6,
        _ errors: [(ErrorKind, Double)] = []
    ) -> PersistenceProfile {
        PersistenceProfile(operation: operation, caller: caller, rate: rate, medianMs: medianMs, sigma: sigma, errors: errors)
    }

    private static func op(
        _ operation: String, _ caller: PersistenceCaller, _ rate: Double, _ medianMs: Double,
        _ errors: [(ErrorKind, Double)]
    ) -> PersistenceProfile {
        op(operation, caller, rate, medianMs, 0.6, errors)
    }

    /// Long polls: workers wait here until a task arrives (up to a minute), so latencies are seconds.
    private static let longPoll = 1.4

    /// RPCs in order of importance, interleaving the three services, so a prefix is a realistic mix.
    static let rpcs: [RPCProfile] = [
        rpc(.frontend, "StartWorkflowExecution", 3.0, 18, [(.alreadyStarted, 4e-4), (.invalidArgument, 1e-4)]),
        rpc(.history, "RecordWorkflowTaskStarted", 5.5, 8, [(.notFound, 1e-4)]),
        rpc(.matching, "AddWorkflowTask", 5.5, 4),
        rpc(.frontend, "PollWorkflowTaskQueue", 6.0, 900, longPoll),
        rpc(.history, "RespondWorkflowTaskCompleted", 5.5, 12, [(.notFound, 2e-4)]),
        rpc(.matching, "PollWorkflowTaskQueue", 6.0, 800, longPoll),
        rpc(.frontend, "RespondWorkflowTaskCompleted", 5.5, 14, [(.notFound, 2e-4), (.invalidArgument, 5e-5)]),
        rpc(.history, "StartWorkflowExecution", 3.0, 15, [(.alreadyStarted, 4e-4)]),
        rpc(.matching, "AddActivityTask", 7.0, 4),
        rpc(.frontend, "PollActivityTaskQueue", 8.0, 1500, longPoll),
        rpc(.history, "RecordActivityTaskStarted", 7.0, 7, [(.notFound, 1e-4)]),
        rpc(.matching, "PollActivityTaskQueue", 8.0, 1400, longPoll),
        rpc(.frontend, "RespondActivityTaskCompleted", 7.0, 9, [(.notFound, 3e-4)]),
        rpc(.history, "RespondActivityTaskCompleted", 7.0, 8, [(.notFound, 3e-4)]),
        rpc(.frontend, "SignalWorkflowExecution", 1.5, 12, [(.notFound, 6e-4)]),
        rpc(.history, "SignalWorkflowExecution", 1.5, 10, [(.notFound, 6e-4)]),
        rpc(.frontend, "GetWorkflowExecutionHistory", 2.0, 6, 0.7, [(.notFound, 2e-4)]),
        rpc(.history, "GetMutableState", 2.5, 3, [(.notFound, 2e-4)]),
        rpc(.frontend, "DescribeWorkflowExecution", 0.8, 5, 0.6, [(.notFound, 5e-4)]),
        rpc(.frontend, "RecordActivityTaskHeartbeat", 4.0, 7, [(.notFound, 2e-4)]),
        rpc(.history, "RecordActivityTaskHeartbeat", 4.0, 5, [(.notFound, 2e-4)]),
        rpc(.frontend, "SignalWithStartWorkflowExecution", 0.6, 20),
        rpc(.frontend, "QueryWorkflow", 0.4, 45, 0.8, [(.queryFailed, 8e-4), (.notFound, 2e-4)]),
        rpc(.matching, "QueryWorkflow", 0.4, 35, 0.8),
        rpc(.frontend, "RespondActivityTaskFailed", 0.3, 10, [(.notFound, 3e-4)]),
        rpc(.frontend, "GetSystemInfo", 0.5, 1, 0.4, namespaced: false),
        rpc(.history, "DescribeWorkflowExecution", 0.8, 3),
        rpc(.history, "SignalWithStartWorkflowExecution", 0.6, 17),
        rpc(.matching, "RespondQueryTaskCompleted", 0.4, 2),
        rpc(.frontend, "RespondQueryTaskCompleted", 0.4, 4),
        rpc(.history, "QueryWorkflow", 0.4, 40, 0.8, [(.queryFailed, 8e-4)]),
        rpc(.frontend, "PollWorkflowExecutionHistory", 0.5, 3000, 1.2),
        rpc(.history, "PollMutableState", 0.5, 1200, longPoll),
        rpc(.history, "RespondActivityTaskFailed", 0.3, 8),
        rpc(.frontend, "ListWorkflowExecutions", 0.2, 25, 0.8, [(.invalidArgument, 5e-4)]),
        rpc(.frontend, "DescribeNamespace", 0.3, 2),
        rpc(.matching, "DescribeTaskQueue", 0.1, 2),
        rpc(.frontend, "DescribeTaskQueue", 0.1, 4),
        rpc(.history, "ScheduleWorkflowTask", 0.3, 6),
        rpc(.history, "RecordChildExecutionCompleted", 0.2, 9),
        rpc(.frontend, "UpdateWorkflowExecution", 0.2, 35, [(.notFound, 5e-4)]),
        rpc(.history, "UpdateWorkflowExecution", 0.2, 30),
        rpc(.frontend, "CountWorkflowExecutions", 0.1, 20, 0.8),
        rpc(.matching, "PollNexusTaskQueue", 0.5, 5000, longPoll),
        rpc(.frontend, "PollNexusTaskQueue", 0.5, 5000, longPoll),
        rpc(.matching, "GetTaskQueueUserData", 0.3, 2000, longPoll),
        rpc(.frontend, "RecordWorkerHeartbeat", 0.2, 3),
        rpc(.matching, "RecordWorkerHeartbeat", 0.2, 2),
        rpc(.matching, "CancelOutstandingPoll", 0.2, 2),
        rpc(.history, "IsActivityTaskValid", 0.2, 2),
        rpc(.history, "IsWorkflowTaskValid", 0.1, 2),
        rpc(.history, "VerifyFirstWorkflowTaskScheduled", 0.1, 3),
        rpc(.history, "VerifyChildExecutionCompletionRecorded", 0.1, 3),
        rpc(.frontend, "TerminateWorkflowExecution", 0.05, 15, [(.notFound, 1e-3)]),
        rpc(.history, "TerminateWorkflowExecution", 0.05, 12),
        rpc(.frontend, "RequestCancelWorkflowExecution", 0.05, 15, [(.notFound, 1e-3)]),
        rpc(.history, "RequestCancelWorkflowExecution", 0.05, 12),
        rpc(.frontend, "RespondActivityTaskCanceled", 0.05, 10),
        rpc(.history, "RespondActivityTaskCanceled", 0.05, 8),
        rpc(.frontend, "RespondWorkflowTaskFailed", 0.05, 12),
        rpc(.history, "RespondWorkflowTaskFailed", 0.05, 10),
        rpc(.history, "ResetStickyTaskQueue", 0.05, 4),
        rpc(.history, "DeleteWorkflowExecution", 0.1, 9),
        rpc(.frontend, "PollWorkflowExecutionUpdate", 0.05, 500, 1.0),
        rpc(.history, "PollWorkflowExecutionUpdate", 0.05, 450, 1.0),
        rpc(.frontend, "ExecuteMultiOperation", 0.05, 25),
        rpc(.frontend, "GetClusterInfo", 0.05, 2, namespaced: false),
        rpc(.frontend, "ListNamespaces", 0.05, 4, namespaced: false),
        rpc(.frontend, "DescribeSchedule", 0.05, 6),
        rpc(.frontend, "ListSchedules", 0.02, 15),
        rpc(.frontend, "GetSearchAttributes", 0.02, 4),
        rpc(.frontend, "RespondNexusTaskCompleted", 0.02, 6),
        rpc(.matching, "RespondNexusTaskCompleted", 0.02, 3),
        rpc(.frontend, "ScanWorkflowExecutions", 0.01, 60, 0.8),
        rpc(.frontend, "DescribeDeployment", 0.01, 5),
        rpc(.matching, "ListTaskQueuePartitions", 0.01, 3),
        rpc(.frontend, "ResetWorkflowExecution", 0.005, 40),
        rpc(.history, "ResetWorkflowExecution", 0.005, 35),
        rpc(.frontend, "CreateSchedule", 0.005, 30),
        rpc(.frontend, "UpdateSchedule", 0.005, 25),
        rpc(.frontend, "PatchSchedule", 0.005, 20),
        rpc(.matching, "DescribeTaskQueuePartition", 0.005, 3),
        rpc(.matching, "ListWorkers", 0.005, 4),
        rpc(.matching, "DescribeWorker", 0.005, 3),
        rpc(.matching, "GetWorkerBuildIdCompatibility", 0.005, 3),
        rpc(.matching, "RespondNexusTaskFailed", 0.002, 3),
        rpc(.frontend, "DeleteSchedule", 0.002, 20),
        rpc(.frontend, "ShutdownWorker", 0.002, 5),
        rpc(.matching, "UpdateTaskQueueUserData", 0.002, 6),
        rpc(.history, "GetShard", 0.002, 3, namespaced: false),
        rpc(.history, "CloseShard", 0.001, 5, namespaced: false),
        rpc(.history, "DescribeMutableState", 0.001, 3),
        rpc(.frontend, "StartBatchOperation", 0.001, 40),
        rpc(.matching, "UpdateWorkerBuildIdCompatibility", 0.0005, 8),
        rpc(.frontend, "RegisterNamespace", 0.0005, 60),
    ]

    /// Persistence operations as each service calls them, in order of importance.
    static func persistence(of service: TemporalService) -> [PersistenceProfile] {
        switch service {
        case .history: historyPersistence
        case .matching: matchingPersistence
        case .frontend: frontendPersistence
        }
    }

    private static let historyPersistence: [PersistenceProfile] = [
        op("UpdateWorkflowExecution", .namespace, 14, 9, 0.6, [(.conditionFailed, 1e-4)]),
        op("AppendHistoryNodes", .namespace, 13, 6),
        op("GetWorkflowExecution", .namespace, 3, 2.5, 0.6, [(.notFound, 3e-4)]),
        op("CreateWorkflowExecution", .namespace, 3, 11, 0.5, [(.currentWorkflowConditionFailed, 4e-4)]),
        op("ReadHistoryBranch", .namespace, 2.5, 3, 0.7),
        op("AddTasks", .namespace, 1, 5),
        op("GetTransferTasks", .system, 4, 2),
        op("RangeCompleteTransferTasks", .system, 0.8, 4),
        op("GetTimerTasks", .system, 3, 2),
        op("RangeCompleteTimerTasks", .system, 0.8, 4),
        op("GetVisibilityTasks", .system, 3, 2),
        op("RangeCompleteVisibilityTasks", .system, 0.8, 4),
        op("UpdateShard", .system, 0.5, 5, 0.5, [(.shardOwnershipLost, 2e-4)]),
        op("GetCurrentExecution", .namespace, 1.5, 2, 0.6, [(.notFound, 5e-4)]),
        op("SetWorkflowExecution", .namespace, 0.05, 10),
        op("DeleteWorkflowExecution", .namespace, 0.3, 6),
        op("DeleteCurrentWorkflowExecution", .namespace, 0.3, 5),
        op("DeleteHistoryBranch", .namespace, 0.3, 8),
        op("ConflictResolveWorkflowExecution", .namespace, 0.01, 15),
        op("ListNamespaces", .system, 0.1, 6),
        op("GetMetadata", .system, 0.1, 1.5),
        op("GetClusterMembers", .system, 0.2, 2),
        op("UpsertClusterMembership", .system, 0.2, 3),
        op("GetCurrentClusterMetadata", .unknown, 0.05, 1.5),
        op("ReadHistoryBranchReverse", .namespace, 0.1, 4),
        op("AssertShardOwnership", .system, 0.3, 3),
        op("GetReplicationTasks", .system, 0.5, 2),
        op("GetArchivalTasks", .system, 0.3, 2),
        op("GetOutboundTasks", .system, 0.3, 2),
        op("ForkHistoryBranch", .namespace, 0.01, 8),
        op("TrimHistoryBranch", .namespace, 0.01, 10),
        op("RangeCompleteReplicationTasks", .system, 0.1, 4),
        op("ReadRawHistoryBranch", .namespace, 0.05, 3),
        op("ReadQueueMessages", .system, 0.1, 2),
        op("ListConcreteExecutions", .system, 0.02, 30),
        op("AppendRawHistoryNodes", .namespace, 0.01, 6),
        op("UpdateAckLevel", .system, 0.05, 3),
        op("GetAckLevel", .system, 0.05, 2),
        op("CompleteTransferTask", .system, 0.01, 3),
        op("CompleteTimerTask", .system, 0.01, 3),
        op("CompleteVisibilityTask", .system, 0.01, 3),
        op("PruneClusterMembership", .system, 0.01, 5),
        op("ListClusterMetadata", .unknown, 0.01, 2),
        op("GetClusterMetadata", .unknown, 0.01, 2),
        op("EnqueueMessage", .system, 0.01, 4),
        op("GetOrCreateShard", .system, 0.002, 8),
        op("PutReplicationTaskToDLQ", .system, 0.001, 5),
        op("GetReplicationTasksFromDLQ", .system, 0.001, 4),
        op("DeleteReplicationTaskFromDLQ", .system, 0.001, 4),
        op("RangeDeleteReplicationTaskFromDLQ", .system, 0.001, 5),
        op("GetAllHistoryTreeBranches", .system, 0.001, 50),
    ]

    private static let matchingPersistence: [PersistenceProfile] = [
        op("CreateTasks", .namespace, 6, 7),
        op("GetTasks", .namespace, 1.5, 2.5),
        op("CompleteTasksLessThan", .namespace, 1, 4),
        op("UpdateTaskQueue", .namespace, 0.8, 5, 0.5, [(.conditionFailed, 2e-4)]),
        op("GetTaskQueue", .namespace, 0.1, 2, 0.5, [(.notFound, 5e-3)]),
        op("CreateTaskQueue", .namespace, 0.02, 6, 0.5, [(.conditionFailed, 1e-3)]),
        op("GetTaskQueueUserData", .namespace, 0.2, 2),
        op("ListTaskQueue", .system, 0.01, 8),
        op("ListNamespaces", .system, 0.1, 6),
        op("GetMetadata", .system, 0.1, 1.5),
        op("GetClusterMembers", .system, 0.2, 2),
        op("UpsertClusterMembership", .system, 0.2, 3),
        op("CompleteTask", .namespace, 0.05, 3),
        op("UpdateTaskQueueUserData", .namespace, 0.005, 5),
        op("ListTaskQueueUserDataEntries", .namespace, 0.005, 4),
        op("GetTaskQueuesByBuildId", .namespace, 0.002, 3),
        op("CountTaskQueuesByBuildId", .namespace, 0.002, 3),
        op("DeleteTaskQueue", .system, 0.005, 4),
        op("ListNexusEndpoints", .system, 0.1, 3),
        op("GetNexusEndpoint", .system, 0.01, 2),
        op("GetCurrentClusterMetadata", .unknown, 0.05, 1.5),
        op("ListClusterMetadata", .unknown, 0.01, 2),
        op("GetClusterMetadata", .unknown, 0.01, 2),
        op("PruneClusterMembership", .system, 0.01, 5),
        op("ReadQueueMessages", .system, 0.05, 2),
        op("GetAckLevel", .system, 0.02, 2),
        op("UpdateAckLevel", .system, 0.02, 3),
        op("EnqueueMessage", .system, 0.005, 4),
        op("CreateOrUpdateNexusEndpoint", .system, 0.0005, 6),
        op("DeleteNexusEndpoint", .system, 0.0002, 5),
        op("InitializeSystemNamespace", .system, 0.0001, 10),
    ]

    private static let frontendPersistence: [PersistenceProfile] = [
        op("ReadHistoryBranch", .namespace, 1, 3, 0.7),
        op("ListNamespaces", .system, 0.1, 6),
        op("GetClusterMembers", .system, 0.5, 2),
        op("GetMetadata", .system, 0.1, 1.5),
        op("UpsertClusterMembership", .system, 0.2, 3),
        op("GetNamespace", .unknown, 0.1, 2, 0.5, [(.notFound, 2e-3)]),
        op("GetCurrentClusterMetadata", .unknown, 0.05, 1.5),
        op("ReadHistoryBranchReverse", .namespace, 0.1, 4),
        op("ListNexusEndpoints", .system, 0.05, 3),
        op("ListClusterMetadata", .unknown, 0.01, 2),
        op("GetClusterMetadata", .unknown, 0.01, 2),
        op("PruneClusterMembership", .system, 0.01, 5),
        op("ReadQueueMessages", .system, 0.01, 2),
        op("EnqueueMessage", .system, 0.001, 4),
        op("GetAckLevel", .system, 0.01, 2),
        op("UpdateAckLevel", .system, 0.005, 3),
        op("GetNexusEndpoint", .system, 0.005, 2),
        op("UpdateNamespace", .system, 0.0002, 12),
        op("CreateNamespace", .system, 0.0001, 15),
        op("RenameNamespace", .system, 0.00002, 15),
        op("DeleteNamespace", .system, 0.00002, 15),
    ]
}
