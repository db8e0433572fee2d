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

        let bad = try SundialBinary.run(["slo", "status", "--store", scratch.store, "--spec", scratch.path + "/missing.yaml"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("missing.yaml"))
    }
}
