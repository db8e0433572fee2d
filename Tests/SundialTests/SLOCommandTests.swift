import Foundation
import Testing

@Suite struct SLOCommandTests {
    @Test func sloStatusExitsByAlertStateAndPrintsJSONGroups() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // Two hours of steady traffic, one error per minute in 1000 requests, at 90 %: nothing fires.
        for minute in 0...120 {
            let t = 1_732_400_000_000 + Int64(minute) * 60_000
            try scratch.write("scrape-\(t).prom", """
                # TYPE service_requests counter
                service_requests{namespace="default",operation="StartWorkflowExecution",service_name="frontend"} \(1000 * minute)
                # TYPE service_errors counter
                service_errors{namespace="default",operation="StartWorkflowExecution",service_name="frontend"} \(minute)

                """)
        }
        let ingest = try SundialBinary.run(["ingest", "--store", scratch.store, "--quiet", scratch.scrapes])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let spec = scratch.path + "/slos.yaml"
        try """
            slos:
              - name: frontend
                objective: 0.9
                window: 1d
                by: [namespace]
                availability:
                  errors: service_errors{service_name="frontend"}
                  requests: service_requests{service_name="frontend"}
            """.write(toFile: spec, atomically: true, encoding: .utf8)

        let ok = try SundialBinary.run(["slo", "status", "--store", scratch.store, "--spec", spec, "--format", "json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any]
        for key in ["time", "firing", "groups", "notes"] { #expect(json?[key] != nil, "JSON lacks \(key)") }
        let group = (json?["groups"] as? [[String: Any]])?.first
        for key in ["slo", "labels", "sli", "objective", "budget", "burnRates", "alerts", "firing"] {
            #expect(group?[key] != nil, "group JSON lacks \(key)")
        }
        #expect(abs((group?["sli"] as? Double ?? 0) - 0.999) < 1e-9)

        // At 99.99 % the same traffic burns at 10: the 1 h/5 m page (threshold 0.48 for a 1 d period) fires.
        try String(contentsOfFile: spec, encoding: .utf8).replacingOccurrences(of: "0.9\n", with: "0.9999\n")
            .write(toFile: spec, atomically: true, encoding: .utf8)
        let firing = try SundialBinary.run(["slo", "status", "--store", scratch.store, "--spec", spec])
        #expect(firing.status == 1, "\(firing.stderr)")
        #expect(firing.stdout.contains("page 1h/5m"))

        // The report of the same store: one page naming the group, written where asked, exit 0 though alerts fire.
        let page = scratch.path + "/report.html"
        let report = try SundialBinary.run(["slo", "report", "--store", scratch.store, "--spec", spec, "--out", page])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.hasPrefix("wrote \(page): 1 SLOs, 1 groups (1 paging, 0 ticket)"), "\(report.stdout)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("namespace=default") && html.contains("pill page"))
        let backwards = try SundialBinary.run(["slo", "report", "--store", scratch.store, "--from", "1732400000",
                                               "--to", "1732300000", "--out", page])
        #expect(backwards.status == 2)
        #expect(backwards.stderr.contains("starts after it ends"))

        let bad = try SundialBinary.run(["slo", "status", "--store", scratch.store, "--spec", scratch.path + "/missing.yaml"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("missing.yaml"))
    }
}
