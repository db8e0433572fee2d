import SundialExposition
import Testing

/// Lines as a Temporal server writes them, through the tally exporter (the default) and OpenTelemetry.
@Suite struct TemporalScrapeTests {
    static let tally = """
    # HELP service_requests service_requests counter
    # TYPE service_requests counter
    service_requests{namespace="default",operation="StartWorkflowExecution",service_name="frontend"} 1520
    service_requests{namespace="_unknown_",operation="GetSystemInfo",service_name="frontend"} 12
    # HELP service_error_with_type service_error_with_type counter
    # TYPE service_error_with_type counter
    service_error_with_type{error_type="serviceerror_WorkflowExecutionAlreadyStarted",namespace="default",operation="StartWorkflowExecution",service_name="frontend"} 3
    # HELP persistence_latency persistence_latency histogram
    # TYPE persistence_latency histogram
    persistence_latency_bucket{namespace="default",operation="UpdateWorkflowExecution",service_name="history",le="0.001"} 0
    persistence_latency_bucket{namespace="default",operation="UpdateWorkflowExecution",service_name="history",le="0.005"} 17
    persistence_latency_bucket{namespace="default",operation="UpdateWorkflowExecution",service_name="history",le="1000"} 9021
    persistence_latency_bucket{namespace="default",operation="UpdateWorkflowExecution",service_name="history",le="+Inf"} 9021
    persistence_latency_sum{namespace="default",operation="UpdateWorkflowExecution",service_name="history"} 31.2
    persistence_latency_count{namespace="default",operation="UpdateWorkflowExecution",service_name="history"} 9021
    # HELP history_size history_size histogram
    # TYPE history_size histogram
    history_size_bucket{namespace="default",operation="UpdateWorkflowExecution",service_name="history",le="1.048576e+06"} 40
    history_size_bucket{namespace="default",operation="UpdateWorkflowExecution",service_name="history",le="1.6777216e+07"} 41
    history_size_bucket{namespace="default",operation="UpdateWorkflowExecution",service_name="history",le="+Inf"} 41
    history_size_sum{namespace="default",operation="UpdateWorkflowExecution",service_name="history"} 1.234567e+06
    history_size_count{namespace="default",operation="UpdateWorkflowExecution",service_name="history"} 41
    # HELP chasm_total_size chasm_total_size histogram
    # TYPE chasm_total_size histogram
    chasm_total_size_bucket{service_name="history",le="1024"} 2
    chasm_total_size_bucket{service_name="history",le="+Inf"} 2
    chasm_total_size_sum{service_name="history"} 900
    chasm_total_size_count{service_name="history"} 2
    # HELP workflow_success workflow_success counter
    # TYPE workflow_success counter
    workflow_success{namespace="default",namespace_state="active",operation="CompletionStats",service_name="history",taskqueue="orders",workflowType="OrderWorkflow"} 1488
    # HELP num_goroutines num_goroutines gauge
    # TYPE num_goroutines gauge
    num_goroutines{service_name="history"} 1873

    """

    static let openTelemetry = """
    # HELP service_requests_total The number of RPC requests received by the service.
    # TYPE service_requests_total counter
    service_requests_total{namespace="default",operation="StartWorkflowExecution",otel_scope_name="temporal",otel_scope_version="",service_name="frontend"} 1520
    # HELP persistence_latency_milliseconds Latency of persistence operations.
    # TYPE persistence_latency_milliseconds histogram
    persistence_latency_milliseconds_bucket{namespace="default",operation="UpdateWorkflowExecution",otel_scope_name="temporal",otel_scope_version="",service_name="history",le="1"} 40
    persistence_latency_milliseconds_bucket{namespace="default",operation="UpdateWorkflowExecution",otel_scope_name="temporal",otel_scope_version="",service_name="history",le="1e+06"} 9021
    persistence_latency_milliseconds_bucket{namespace="default",operation="UpdateWorkflowExecution",otel_scope_name="temporal",otel_scope_version="",service_name="history",le="+Inf"} 9021
    persistence_latency_milliseconds_sum{namespace="default",operation="UpdateWorkflowExecution",otel_scope_name="temporal",otel_scope_version="",service_name="history"} 31200
    persistence_latency_milliseconds_count{namespace="default",operation="UpdateWorkflowExecution",otel_scope_name="temporal",otel_scope_version="",service_name="history"} 9021
    # HELP target_info Target metadata
    # TYPE target_info gauge
    target_info{service_name="temporal"} 1

    """

    @Test func aTallyScrapeParsesWithCountersWithoutTotal() {
        let d = parse(Self.tally)
        #expect(d.errors.isEmpty, "\(errorList(d))")
        #expect(d.samples.count == 20)
        let first = d.samples[0]
        #expect(first.name == "service_requests" && first.familyName == "service_requests" && first.familyType == .counter)
        #expect(first.label("operation") == "StartWorkflowExecution")
        #expect(d.metadata.contains(FamilyMetadata(name: "service_requests", type: .counter, help: "service_requests counter")))
    }

    @Test func tallyBucketsParseExactly() {
        let d = parse(Self.tally)
        let bucket = d.samples.first { $0.name == "persistence_latency_bucket" && $0.label("le") == "0.005" }
        #expect(bucket?.value == 17)
        #expect(bucket?.seriesText
            == #"persistence_latency_bucket{namespace="default",operation="UpdateWorkflowExecution",service_name="history",le="0.005"}"#)
        #expect(bucket.map(labelPairs) == ["namespace=default", "operation=UpdateWorkflowExecution", "service_name=history", "le=0.005"])
        let sizes = d.samples.filter { $0.familyName == "history_size" }
        #expect(sizes.map { $0.label("le") ?? "-" } == ["1.048576e+06", "1.6777216e+07", "+Inf", "-", "-"])
        #expect(sizes[3].value == 1_234_567)
    }

    @Test func chasmTotalSizeKeepsItsName() {
        let d = parse(Self.tally)
        let chasm = d.samples.filter { $0.name.hasPrefix("chasm") }
        #expect(chasm.count == 4)
        #expect(chasm.allSatisfy { $0.familyName == "chasm_total_size" && $0.familyType == .histogram })
    }

    @Test func anOpenTelemetryScrapeParsesWithScopeLabels() {
        let d = parse(Self.openTelemetry)
        #expect(d.errors.isEmpty, "\(errorList(d))")
        #expect(d.samples.count == 7)
        #expect(d.samples[0].familyName == "service_requests_total")
        #expect(d.samples[0].label("otel_scope_version") == "")
        #expect(d.samples[0].label("otel_scope_name") == "temporal")
        #expect(d.samples[2].label("le") == "1e+06")
        #expect(d.samples[1...5].allSatisfy { $0.familyName == "persistence_latency_milliseconds" })
    }

    @Test func theSdkLinesFromTemporalIssue5247Parse() {
        let d = parse("""
        temporal_request_latency_bucket{activity_type="none",client_name="temporal_go",namespace="temporal_system",operation="StartWorkflowExecution",service_name="worker",task_queue="temporal_sys_history_scanner_taskqueue_0",worker_type="none",workflow_type="temporal_sys_history_scanner_workflow",le="1"} 1
        temporal_request_latency_sum{activity_type="none",client_name="temporal_go",namespace="temporal_system",operation="StartWorkflowExecution",service_name="worker",task_queue="temporal_sys_history_scanner_taskqueue_0",worker_type="none",workflow_type="temporal_sys_history_scanner_workflow"} 0.038107612

        """)
        #expect(d.errors.isEmpty)
        #expect(d.samples.map(\.value) == [1, 0.038107612])
        #expect(d.samples.map(\.familyType) == [.untyped, .untyped])
        #expect(d.samples[0].labels.count == 9)
    }

    @Test func bothScrapesSurviveEveryPieceSize() {
        let text = Self.tally + Self.openTelemetry.replacingAll("service_requests_total", with: "otel_requests_total")
        let whole = parse(text)
        #expect(whole.errors.isEmpty, "\(errorList(whole))")
        for size in stride(from: 1, through: 300, by: 7) {
            #expect(parseInPieces(text, .prometheusText, size: size) == whole, "piece size \(size)")
        }
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation here).
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
