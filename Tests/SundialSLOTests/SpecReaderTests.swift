import Testing
import SundialSLO

@Suite struct SpecReaderTests {
    @Test func readsSundialsOwnFormat() throws {
        let specs = try SLOSpecReader.parse("""
            slos:
              - name: frontend-availability
                objective: 0.9999
                window: 28d
                by: [namespace]
                availability:
                  errors: service_errors{service_name="frontend"}
                  requests: service_requests{service_name="frontend"}
              - name: persistence-latency
                objective: 99%
                by: operation
                latency:
                  histogram: persistence_latency
                  threshold: 250ms
              - name: workflows
                objective: 0.99
                ratio:
                  bad: [workflow_failed, workflow_timeout]
                  total: sum by (namespace) (increase(workflow_success[$window]))
            """)
        #expect(specs.count == 3)
        #expect(specs[0].objective == 0.9999)
        #expect(specs[0].periodSeconds == 28 * 86_400)
        #expect(specs[0].groupBy == ["namespace"])
        #expect(specs[0].indicator == .ratio(RatioIndicator(bad: .selector(#"service_errors{service_name="frontend"}"#),
                                                            total: .selector(#"service_requests{service_name="frontend"}"#))))
        #expect(specs[1].periodSeconds == 30 * 86_400)
        #expect(abs(specs[1].objective - 0.99) < 1e-12)
        #expect(specs[1].indicator == .latency(LatencyIndicator(histogram: "persistence_latency", threshold: 0.25)))
        #expect(specs[2].indicator == .ratio(RatioIndicator(
            bad: .selectors(["workflow_failed", "workflow_timeout"]),
            total: .query("sum by (namespace) (increase(workflow_success[$window]))"))))
    }

    @Test func errorsNameTheFieldTheLineAndTheProblem() {
        func failure(_ yaml: String) -> SLOSpecError? {
            do { _ = try SLOSpecReader.parse(yaml, file: "slos.yaml"); return nil } catch { return error }
        }
        let percent = failure("slos:\n  - name: a\n    objective: 99.9\n    availability: {errors: e, requests: r}\n")
        #expect(percent?.field == "slos[0].objective")
        #expect(percent?.line == 3)
        #expect(percent?.description.hasPrefix("slos.yaml:3: slos[0].objective: must be a fraction") == true)

        let typo = failure("slos:\n  - name: a\n    objetive: 0.9\n")
        #expect(typo?.field == "slos[0].objetive")
        #expect(typo?.message.contains("not a known key") == true)

        let none = failure("slos:\n  - name: a\n    objective: 0.9\n")
        #expect(none?.message.contains("needs an indicator") == true)

        let window = failure("slos:\n  - name: a\n    objective: 0.9\n    window: a month\n    ratio: {bad: e, total: r}\n")
        #expect(window?.field == "slos[0].window")

        let broken = failure("slos: [\n")
        #expect(broken?.message.hasPrefix("not valid YAML") == true)

        let twice = failure("slos:\n  - {name: a, objective: 0.9, ratio: {bad: e, total: r}}\n  - {name: a, objective: 0.9, ratio: {bad: e, total: r}}\n")
        #expect(twice?.message.contains("two SLOs are named a") == true)
    }

    @Test func readsOpenSLOv1RatioMetricsAndSkipsOtherKinds() throws {
        let specs = try SLOSpecReader.parse("""
            apiVersion: openslo/v1
            kind: Service
            metadata:
              name: temporal
            ---
            apiVersion: openslo/v1
            kind: SLO
            metadata:
              name: frontend-availability
              annotations:
                sundial/by: namespace
            spec:
              service: temporal
              indicator:
                metadata:
                  name: frontend-errors
                spec:
                  ratioMetric:
                    counter: true
                    bad:
                      metricSource:
                        type: Prometheus
                        spec:
                          query: service_errors{service_name="frontend"}
                    total:
                      metricSource:
                        type: Prometheus
                        spec:
                          query: service_requests{service_name="frontend"}
              timeWindow:
                - duration: 28d
                  isRolling: true
              budgetingMethod: Occurrences
              objectives:
                - displayName: four nines
                  targetPercent: 99.99
            """)
        #expect(specs.count == 1)
        let spec = try #require(specs.first)
        #expect(spec.name == "frontend-availability")
        #expect(abs(spec.objective - 0.9999) < 1e-12)
        #expect(spec.periodSeconds == 28 * 86_400)
        #expect(spec.groupBy == ["namespace"])
        #expect(spec.indicator == .ratio(RatioIndicator(bad: .selector(#"service_errors{service_name="frontend"}"#),
                                                        total: .selector(#"service_requests{service_name="frontend"}"#))))
    }

    @Test func openSLOFeaturesNotYetSupportedAreNamed() {
        let yaml = """
            apiVersion: openslo/v1
            kind: SLO
            metadata: {name: x}
            spec:
              budgetingMethod: Timeslices
              indicatorRef: x
            """
        #expect(throws: SLOSpecError.self) { try SLOSpecReader.parse(yaml) }
        do { _ = try SLOSpecReader.parse(yaml) } catch { #expect(error.message.contains("Timeslices is not supported yet")) }
    }
}
