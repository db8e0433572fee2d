/// The objectives `sundial slo status` evaluates when no spec file is given: a Temporal server's availability,
/// latency and workflow outcomes, from Temporal's default tally metric names (docs/SLO.md lists them).
public enum DefaultTemporalSLOs {
    /// The default set, over a rolling period of `periodSeconds` (30 days unless given).
    public static func specs(periodSeconds: Int64 = 30 * 86_400) -> [SLOSpec] {
        [
            SLOSpec(name: "frontend-availability",
                    description: "Frontend requests that do not fail, per namespace",
                    objective: 0.9999, periodSeconds: periodSeconds, groupBy: ["namespace"],
                    indicator: .ratio(RatioIndicator(bad: .selector(#"service_errors{service_name="frontend"}"#),
                                                     total: .selector(#"service_requests{service_name="frontend"}"#)))),
            SLOSpec(name: "persistence-availability",
                    description: "Persistence calls that do not fail, per operation",
                    objective: 0.999, periodSeconds: periodSeconds, groupBy: ["operation"],
                    indicator: .ratio(RatioIndicator(bad: .selector("persistence_errors"),
                                                     total: .selector("persistence_requests")))),
            SLOSpec(name: "persistence-latency",
                    description: "Persistence calls answered within 100 ms, per operation",
                    objective: 0.99, periodSeconds: periodSeconds, groupBy: ["operation"],
                    indicator: .latency(LatencyIndicator(histogram: "persistence_latency", threshold: 0.1))),
            SLOSpec(name: "service-latency",
                    description: "Frontend requests answered within 1 s, per operation (long polls excluded)",
                    objective: 0.99, periodSeconds: periodSeconds, groupBy: ["operation"],
                    indicator: .latency(LatencyIndicator(
                        histogram: #"service_latency{service_name="frontend",operation!~"Poll.*|GetWorkflowExecutionHistory"}"#,
                        threshold: 1))),
            SLOSpec(name: "workflow-failure-ratio",
                    description: "Closed workflows that did not fail or time out, per namespace",
                    objective: 0.99, periodSeconds: periodSeconds, groupBy: ["namespace"],
                    indicator: .ratio(RatioIndicator(
                        bad: .selectors(["workflow_failed", "workflow_timeout"]),
                        total: .selectors(["workflow_success", "workflow_failed", "workflow_timeout", "workflow_terminate",
                                              "workflow_cancel"])))),
        ]
    }
}
