import Testing
import SundialQuery
import SundialSLO
import SundialStorage

@Suite struct ReportTests {
    @Test func theReportIsOnePageWithoutExternalResourcesAndEscapesLabelValues() throws {
        let hostile = "<script>alert('x')</script>&"
        let minutes = 2 * 1440
        let source = InMemorySource([
            Constructed.counter("requests", ["team": hostile], minutes: minutes) { _ in 1000 },
            Constructed.counter("errors", ["team": hostile], minutes: minutes, start: 10) { $0 % 600 < 20 ? 800 : 1 },
            Constructed.counter("requests", ["team": "payments"], minutes: minutes) { _ in 500 },
        ])
        var spec = Constructed.availability(objective: 0.99)
        spec.groupBy = ["team"]
        spec.description = "Requests that \"work\" <b>"
        let history = try SLOEvaluator(source: source)
            .history([spec], fromMs: Constructed.endMs - 86_400_000, toMs: Constructed.endMs)
        let html = SLOReport(history: history).html()

        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script"), "a label value reached the page unescaped")
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"))
        #expect(html.contains("Requests that &quot;work&quot; &lt;b&gt;"))
        for external in ["http://", "https://", "src=", "@import", "url(http", "<link", "<img"] {
            #expect(!html.contains(external), "the page refers to something outside it: \(external)")
        }
        // Both groups are charted (SLI, budget and burn-rate charts each), the hostile one with its incidents.
        #expect(html.components(separatedBy: "<svg class=\"chart\"").count - 1 == 6)
        let group = try #require(history.slos.first?.groups.first { $0.labels["team"] == hostile })
        #expect(group.incidents.count >= 2)
        #expect(html.contains(">#1<"))
        #expect(group.incidents.allSatisfy { $0.severity == .page })
        #expect(html.contains("pill page") && html.contains("pill ok"))
    }
}
