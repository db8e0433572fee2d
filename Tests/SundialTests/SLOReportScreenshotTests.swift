import Foundation
import Sundial
import Testing

/// Headless Chromium (Debian's `chromium`), when installed.
enum Chromium {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}

@Suite struct SLOReportScreenshotTests {
    @Test(.enabled(if: Chromium.path != nil,
                   "SKIPPED: chromium is not installed (apt-get install chromium); the SLO report screenshot is not checked"))
    func theReportRendersChartsAndStatusPillsInHeadlessChromium() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let corpus = scratch.path + "/corpus.om"
        let generate = try SundialBinary.run(["generate", "--scale", "tiny", "--duration", "6h", "--interval", "60s",
                                              "--seed", "7", "--openmetrics", corpus])
        #expect(generate.status == 0, "\(generate.stderr)")
        let ingest = try SundialBinary.run(["ingest", "--store", scratch.store, "--quiet", corpus])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let html = scratch.path + "/report.html"
        let report = try SundialBinary.run(["slo", "report", "--store", scratch.store, "--out", html])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("wrote \(html): 5 SLOs"), "\(report.stdout)")

        let png = scratch.path + "/report.png"
        let chromium = try #require(Chromium.path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1800",
                             "--screenshot=" + png, "file://" + html]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let image = try PNGImage(Array(try Data(contentsOf: URL(fileURLWithPath: png))))
        #expect(image.width == 1280 && image.height == 1800)
        let total = image.width * image.height
        // Not blank: the dark page header, the page background, cards, and ink (text, lines) on them.
        let header = image.count(near: ReportPalette.header, tolerance: 8)
        let white = image.count(near: "#ffffff", tolerance: 3)
        let background = image.count(near: "#f3f4f6", tolerance: 3)
        #expect(header > 1280 * 60, "header pixels: \(header)")
        #expect(white > total / 5, "card pixels: \(white)")
        let ink = total - white - background - header
        #expect(ink > total / 50, "pixels that are neither card, page nor header: \(ink) of \(total)")
        // The SLI line, the objective line and the status pills are drawn in their colours.
        #expect(image.count(near: ReportPalette.sli) > 500, "SLI blue pixels")
        #expect(image.count(near: ReportPalette.objective) > 200, "objective purple pixels")
        let pills = [ReportPalette.ok, ReportPalette.ticket, ReportPalette.page].map { image.count(near: $0) }
        #expect(pills.reduce(0, +) > 1000, "status pill pixels \(pills)")
        print("SLOReportScreenshotTests: \(image.width)x\(image.height), header \(header), cards \(white), ink \(ink), "
              + "pills ok/ticket/page \(pills)")
    }
}
