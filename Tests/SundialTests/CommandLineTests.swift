import Foundation
import Testing

/// Drives the `sundial` binary the way a user does: arguments in, exit status and output out.
struct SundialBinary {
    static var url: URL {
        let runner = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        var dir = runner.deletingLastPathComponent()
        // Swift Testing's runner may sit inside the .xctest bundle.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("sundial").path) && dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("sundial")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// `.uncaughtSignal` when the process crashed (then `status` is the signal).
        var reason: Process.TerminationReason = .exit
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self), reason: process.terminationReason)
    }
}

@Suite struct CommandLineTests {
    @Test func ingestStatsAndCheckFollowTheContract() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try scratch.write("scrape-1732400000000.prom", "# TYPE service_requests counter\nservice_requests{operation=\"A\"} 1\n")
        try scratch.write("scrape-1732400015000.prom", "# TYPE service_requests counter\nservice_requests{operation=\"A\"} 2\n")
        let ingest = try SundialBinary.run(["ingest", "--store", scratch.store, "--quiet", scratch.scrapes])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout.contains("samples    2"))

        let stats = try SundialBinary.run(["stats", "--format", "json"], environment: ["SUNDIAL_STORE": scratch.store])
        #expect(stats.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
        for key in ["series", "samples", "bytes", "bytesPerSample", "minTime", "maxTime", "blocks", "metrics"] {
            #expect(json?[key] != nil, "stats JSON lacks \(key)")
        }
        #expect(json?["samples"] as? Int == 2)
        #expect(json?["minTime"] as? Int == 1_732_400_000_000)

        let csv = try SundialBinary.run(["stats", "--store", scratch.store, "--format", "csv"])
        #expect(csv.stdout.hasPrefix("metric,series,samples\nservice_requests,1,2"))

        let check = try SundialBinary.run(["check", "--store", scratch.store])
        #expect(check.status == 0)
        #expect(check.stdout.contains("no damage found"))
    }

    @Test func queryLimitsAreFlagsAndTheirErrorsNameThem() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        var lines = "# TYPE service_requests counter\n"
        for i in 0..<50 { lines += "service_requests{operation=\"op\(i)\"} \(i)\n" }
        try scratch.write("scrape-1732400000000.prom", lines)
        #expect(try SundialBinary.run(["ingest", "--store", scratch.store, "--quiet", scratch.scrapes]).status == 0)
        let fits = try SundialBinary.run(["query", "--store", scratch.store, "--max-series", "50", "count(service_requests)"])
        #expect(fits.status == 0, "\(fits.stderr)")
        let refusals: [(flag: String, value: String, query: String, says: String)] = [
            ("--max-series", "49", "count(service_requests)", "--max-series"),
            ("--max-samples", "10", "service_requests", "--max-samples"),
            ("--max-memory", "1KiB", "service_requests", "--max-memory"),
            ("--max-memory", "lots", "service_requests", "not a size"),
        ]
        for refusal in refusals {
            let run = try SundialBinary.run(["query", "--store", scratch.store, refusal.flag, refusal.value, refusal.query])
            #expect(run.status == 2, "\(refusal.flag) \(refusal.value)")
            #expect(run.stderr.contains(refusal.says), "\(run.stderr)")
        }
    }

    @Test func rejectedLinesExitOneAndNameTheSpot() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try scratch.write("scrape-1732400000000.prom", "ok_metric 1\nbad_metric{a=\"x} 1\n")
        let result = try SundialBinary.run(["ingest", "--store", scratch.store, scratch.scrapes])
        #expect(result.status == 1)
        #expect(result.stderr.contains("scrape-1732400000000.prom:2:"))
        #expect(result.stdout.contains("rejected   1 lines"))
    }

    /// Ingests one scrape (`m 1`) into the scratch store: its one block's name and path.
    static func storeOfOneBlock(_ scratch: Scratch) throws -> (name: String, path: String) {
        try scratch.write("scrape-1732400000000.prom", "m 1\n")
        _ = try SundialBinary.run(["ingest", "--store", scratch.store, "--quiet", scratch.scrapes])
        let blocks = try FileManager.default.contentsOfDirectory(atPath: scratch.store + "/blocks").filter { $0.hasSuffix(".block") }
        try #require(blocks.count == 1)
        return (blocks[0], scratch.store + "/blocks/" + blocks[0])
    }

    @Test func damageExitsOneAndBadUsageExitsTwo() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (block, path) = try Self.storeOfOneBlock(scratch)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[20] ^= 0x55
        try bytes.write(to: URL(fileURLWithPath: path))
        let check = try SundialBinary.run(["check", "--store", scratch.store])
        #expect(check.status == 1)
        #expect(check.stdout.contains("damaged: blocks/" + block))

        #expect(try SundialBinary.run(["retention", "--store", scratch.store, "--keep", "soon"]).status == 2)
        #expect(try SundialBinary.run(["no-such-command"]).status == 2)
        #expect(try SundialBinary.run(["stats", "--store", scratch.path + "/nothing-here"]).status == 2)
        let help = try SundialBinary.run(["ingest", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Example:"))
    }

    /// A block the store cannot read (here one claiming a newer format) is left out when the store opens;
    /// a query then says so on standard error instead of answering as if the store were whole.
    @Test func aQueryNamesTheBlocksItLeavesOut() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (block, path) = try Self.storeOfOneBlock(scratch)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[4] = 9  // the header's format version
        try bytes.write(to: URL(fileURLWithPath: path))
        let query = try SundialBinary.run(["query", "--store", scratch.store, "m"])
        #expect(query.stderr.contains("warning: block \(block) is left out of this answer"))
        #expect(query.stderr.contains("has format version 9; this Sundial reads versions 1, 2, 4, 8 and writes 8"))
    }
}
