/// Every PromQL expression of temporal.md section 3 (temporalio/dashboards at b5d9a1b and the
/// cluster-metrics documentation), verbatim.
enum DashboardCorpus {
    /// §3.1 server/server-general.json, in panel order (panels 23 and 30 have two expressions).
    static let serverGeneral: [String] = [
        #"100 - (sum(rate(service_errors[2m]) OR on() vector(0)) / sum(rate(service_requests[2m])) * 100)"#,
        #"100 - (sum (rate(persistence_errors[2m]) OR on() vector(0)) /sum (rate(persistence_requests[2m])) * 100)"#,
        #"sum by (operation) (rate(service_requests{operation=~"StartWorkflowExecution|SignalWorkflowExecution|SignalWithStartWorkflowExecution"}[2m]))"#,
        #"sum(rate(service_requests{ operation="AddWorkflowTask"}[2m]))"#,
        #"sum(rate(service_requests{ operation="RecordWorkflowTaskStarted"}[2m]))"#,
        #"sum(rate(service_requests{ operation="RespondWorkflowTaskCompleted"}[2m]))"#,
        #"sum(rate(service_requests{ operation="RespondWorkflowTaskFailed"}[2m]))"#,
        #"sum(rate(start_to_close_timeout{ operation="TimerActiveTaskWorkflowTimeout"}[2m]))"#,
        #"sum(rate(schedule_to_start_timeout{ operation="TimerActiveTaskWorkflowTimeout"}[2m]))"#,
        #"sum(rate(service_requests{operation="AddActivityTask"}[2m]))"#,
        #"sum(rate(service_requests{operation="RecordActivityTaskStarted"}[2m]))"#,
        #"sum(rate(service_requests{operation=~"RespondActivityTaskCompleted|RespondActivityTaskFailed|RespondActivityTaskCanceled"}[2m]))"#,
        #"sum(rate(action{service_name="frontend"}[1m]))"#,
        #"sum by (temporal_service_type) (restarts)"#,
        #"histogram_quantile(0.95, sum(rate(memory_gc_pause_ms_bucket[5m])) by (kubernetes_pod_name, le))"#,
        #"sum(rate(state_transition_count_count[1m]))"#,
        #"sum(rate(workflow_success{ operation="CompletionStats"}[5m]))"#,
        #"sum(rate(workflow_failed{ operation="CompletionStats"}[5m]))"#,
        #"sum(rate(workflow_timeout{ operation="CompletionStats"}[5m]))"#,
        #"sum(rate(workflow_terminate{ operation="CompletionStats"}[5m]))"#,
        #"sum(rate(workflow_cancel{ operation="CompletionStats"}[5m]))"#,
        #"sum by (temporal_namespace) (rate(workflow_success{ operation="CompletionStats"}[5m]))"#,
        #"sum by (temporal_namespace) (rate(workflow_failed{ operation="CompletionStats"}[5m]))"#,
        #"sum (rate(service_requests[5m]))"#,
        #"sum (rate(service_errors[5m]))"#,
        #"sum by (operation) (rate(service_requests[5m]))"#,
        #"sum(rate(service_errors_entity_not_found[5m]) OR on() vector(0))"#,
        #"sum(rate(service_errors_resource_exhausted[5m]) OR on() vector(0))"#,
        #"sum by (__name__) (rate({__name__=~"service_errors_.*"}[5m]))"#,
        #"sum by (operation) (rate(service_errors[5m]))"#,
        #"histogram_quantile(0.95, sum(rate(service_latency_bucket[5m])) by (operation, le))"#,
        #"sum (rate(persistence_requests[5m]) OR on() vector(0))"#,
        #"sum (rate(persistence_errors[5m]) OR on() vector(0))"#,
        #" sum by (operation) (rate(persistence_requests[5m]))"#,
        #"sum by (operation) (rate(persistence_errors[5m]))"#,
        #"histogram_quantile(0.95, sum(rate(persistence_latency_bucket[1m])) by (operation, le))"#,
        #"histogram_quantile(0.95, sum(rate(client_latency_bucket[5m])) by (operation, le))"#,
        // "Actions [OSS v1.16 And Older]": the long OR-on stress test.
        #"sum(rate(service_requests{service_name="frontend",operation=~"QueryWorkflow|RecordActivityTaskHeartbeat|RecordActivityTaskHeartbeatById|ResetWorkflowExecution|StartWorkflowExecution|SignalWorkflowExecution|SignalWithStartWorkflowExecution|CreateSchedule|UpdateSchedule|DeleteSchedule|PatchSchedule|UpdateWorkflowExecution|RespondActivityTaskCompleted|RespondActivityTaskFailed"}[1m])) + (sum (rate(start_timer_command{service_name="history"}[1m])) OR on() vector(0)) + (sum (rate(signal_external_workflow_command{service_name="history"}[1m])) OR on() vector(0)) + (sum (rate(record_marker_command{service_name="history"}[1m])) + sum (rate(continue_as_new_command{service_name="history"}[1m]))OR on() vector(0)) + (sum (rate(signal_external_workflow_command{service_name="history"}[1m]))OR on() vector(0)) + 2 * (sum (rate(child_workflow_command{service_name="history"}[1m]))OR on() vector(0)) + (sum (rate(upsert_workflow_search_attributes_command{service_name="history"}[1m]))OR on() vector(0)) + (sum (rate(modify_workflow_properties_command{service_name="history"}[1m]))OR on() vector(0))"#,
    ]

    /// §3.2 misc/frontend-service-specific.json.
    static let frontend: [String] = [
        #"sum (rate(service_requests{service_name="frontend"}[5m]))"#,
        #"sum (rate(service_errors{service_name="frontend"}[5m]))"#,
        #"sum by (operation) (rate(service_requests{service_name="frontend"}[5m]))"#,
        #"sum(rate(service_errors_execution_already_started{service_name="frontend"}[5m]))"#,
        #"sum by (__name__) (rate({__name__=~"service_errors_.*", service_name="frontend"}[5m]))"#,
        #"histogram_quantile(0.95, sum(rate(service_latency_bucket{service_name="frontend"}[5m])) by (operation, le))"#,
        #"sum (rate(persistence_requests{service_name="frontend"}[5m]))"#,
        #"sum (rate(persistence_errors{service_name="frontend"}[5m]))"#,
        #"sum by (operation) (rate(persistence_requests{service_name="frontend"}[5m]))"#,
        #"histogram_quantile(0.95, sum(rate(persistence_latency_bucket{service_name="frontend"}[5m])) by (operation, le))"#,
        #"sum(rate(client_errors{service_name="frontend", service_role="history"}[5m]))"#,
        #"histogram_quantile(0.95, sum(rate(client_latency_bucket{service_name="frontend", service_role="history"}[5m])) by (operation, le))"#,
    ]

    /// §3.3 misc/history-service-specific.json (selected).
    static let history: [String] = [
        #"sum by (operation) (rate({__name__=~"service_errors_.*", service_name="history"}[5m]))"#,
        #"histogram_quantile(0.95, sum(rate(service_latency_bucket{service_name="history"}[5m])) by (operation, le))"#,
        #"histogram_quantile(0.95, sum(rate(persistence_latency_bucket{service_name="history"}[5m])) by (operation, le))"#,
        #"sum(rate(task_requests{operation=~"TransferActive.*"}[5m]))"#,
        #"sum(rate(task_errors{operation=~"TransferActive.*"}[5m]))"#,
        #"histogram_quantile(0.95, sum(rate(task_latency_processing_bucket{operation=~"TransferActive.*", service_name="history"}[5m])) by (operation, le))"#,
        #"histogram_quantile(0.95, sum(rate(task_latency_queue_bucket{operation=~"TimerActive.*", service_name="history"}[5m])) by (operation, le))"#,
        #"histogram_quantile(100, sum(rate(task_attempt_bucket{operation="TransferActiveTaskCommand"}[5m])) by (le))"#,
        #"sum(rate(cache_requests{cache_type="mutablestate", operation!~"HistoryCacheGetCurrentExecution"}[5m]))"#,
        #"histogram_quantile(0.95, sum(rate(cache_latency_bucket{cache_type="mutablestate", operation!~"HistoryCacheGetCurrentExecution"}[5m])) by (le))"#,
        #"sum by (commandType) (rate(command{service_name="history", operation="RespondWorkflowTaskCompleted"}[5m]))"#,
        #"histogram_quantile(0.95, sum(rate(sharditem_acquisition_latency{service_name="history"}[5m])) by (le))"#,
    ]

    /// §3.4 matching and advanced-visibility (selected).
    static let matchingAndVisibility: [String] = [
        #"sum(rate(poll_success[5m]))"#,
        #"sum(rate(poll_timeouts[5m]))"#,
        #"sum(rate(poll_success_sync[5m]))"#,
        #"histogram_quantile(0.95, sum(rate(syncmatch_latency_bucket{service_name=~"matching"}[5m])) by (operation, le))"#,
        #"histogram_quantile(0.95, sum(rate(asyncmatch_latency_bucket{service_name=~"matching"}[5m])) by (operation, le))"#,
        #"histogram_quantile(0.95, sum(rate(persistence_latency_bucket{service_name="matching"}[5m])) by (operation, le))"#,
        #"(sum by (operation) (rate(task_latency_processing_sum{operation=~"Visibility.*"}[1m]))) / (sum by (operation) (rate(task_latency_processing_count{operation=~"Visibility.*"}[1m])))"#,
        #"histogram_quantile(0.50, sum(rate(task_latency_bucket{operation=~"Visibility.*"}[1m])) by (operation, le))"#,
        #"(sum by (operation) (rate(visibility_persistence_latency_sum{visibility_type="standard_visibility"}[1m]))) / (sum by (operation) (rate(visibility_persistence_latency_count{visibility_type="standard_visibility"}[1m])))"#,
        #"histogram_quantile(0.95, sum(rate(visibility_persistence_latency_bucket{visibility_type="advanced_visibility"}[1m])) by (operation, le))"#,
        #"(sum without (instance, pod) (started)) - (sum without (instance, pod) (stopped or started*0))"#,
    ]

    /// §3.5 documentation queries that are valid PromQL (the typo'd metric simply selects nothing).
    static let documentationValid: [String] = [
        #"sum by (operation) (rate(service_requests{service_name="frontend"}[2m]))"#,
        #"histogram_quantile(0.95, sum(rate(service_latency_bucket{service_name="frontend"}[5m])) by (operation, le))"#,
        #"sum(rate(service_errors_with_type{service_name="frontend"}[5m])) by (error_type)"#,
        #"sum(rate(client_errors{service_name="frontend",service_role="history"}[5m]))"#,
        #"sum by (operation) (rate(persistence_requests{service="$service",service_name="history"}[1m]))"#,
        #"sum(rate(persistence_error_with_type{service="$service",service_name="history"}[1m])) by (error_type)"#,
        #"histogram_quantile(0.95, sum(rate(asyncmatch_latency_bucket{service_name=~"matching"}[5m])) by (operation, le))"#,
    ]

    /// §3.5's broken documentation query: a missing comma between matchers (and a Grafana variable).
    static let missingComma =
        #"histogram_quantile($percentile, sum(rate(persistence_latency_bucket{service="$service" service_name="history"}[1m])) by (operation, le))"#

    /// Every query that must parse and evaluate.
    static var all: [String] { serverGeneral + frontend + history + matchingAndVisibility + documentationValid }
}
