import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// A real Prometheus (Debian's package, started by scripts/prometheus as its own user on loopback)
/// scrapes `/metrics` of a dashboard and answers queries about it over its HTTP API; the example
/// alerting rules pass `promtool check rules`. Without Prometheus these tests fail, saying how to
/// install it, unless EVALGATE_SKIP_PROMETHEUS=1.
@Suite("Prometheus scrapes the dashboard", .serialized)
struct PrometheusScrapeTests {
    static var skipped: Bool { ProcessInfo.processInfo.environment["EVALGATE_SKIP_PROMETHEUS"] == "1" }

    static func tool(_ name: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") + ["/usr/bin"] {
            let path = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func require(_ name: String) throws -> String {
        guard let path = tool(name) else {
            Issue.record(
                "\(name) not found on PATH: install Debian's 'prometheus' package (scripts/bootstrap does), or set EVALGATE_SKIP_PROMETHEUS=1")
            throw CancellationError()
        }
        return path
    }

    /// A port nobody listens on right now (bound and released).
    static func freePort() async throws -> Int {
        let probe = try await DashboardServer.start(
            DashboardServer.Configuration(history: DashboardHistory(location: HistoryLocation("/nonexistent/x")), port: 0))
        let port = probe.port
        await probe.stop()
        return port
    }

    @Test(.disabled(if: skipped)) func prometheusScrapesAndQueriesTheMetrics() async throws {
        _ = try Self.require("prometheus")
        let folder = TemporaryDirectory(prefix: "evalgate-prometheus")
        let store = try await ServeFixtures.portfolioStore(in: folder)
        try await ServeFixtures.withDashboard(DashboardHistory(store)) { server, _ in
            let port = try await Self.freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: RepositoryPaths.path("scripts/prometheus"))
            process.arguments = [folder.file("prometheus"), "127.0.0.1:\(server.port)", String(port)]
            let log = folder.write("prometheus.log", "")
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            try process.run()
            defer {
                process.terminate()
                process.waitUntilExit()
            }
            let client = DashboardClient(base: "http://127.0.0.1:\(port)")
            defer { Task { await client.shutdown() } }
            func query(_ expression: String) async throws -> [[String: Any]] {
                let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                let reply = try await client.get("/api/v1/query?query=\(encoded)")
                guard reply.status == 200, let object = try JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any],
                    let data = object["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
                else { return [] }
                return result
            }
            var runs: [[String: Any]] = []
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if process.isRunning == false { break }
                runs = (try? await query("evalgate_recent_runs{verdict=\"pass\"}")) ?? []
                if !runs.isEmpty { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            let logText = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(!runs.isEmpty, "Prometheus never had evalgate_recent_runs: \(logText.suffix(2_000))")
            let byAgent = Dictionary(
                runs.compactMap { sample -> (String, String)? in
                    guard let labels = sample["metric"] as? [String: String], let value = sample["value"] as? [Any], let text = value.last as? String
                    else {
                        return nil
                    }
                    return (labels["agent"] ?? "", text)
                }, uniquingKeysWith: { first, _ in first })
            #expect(byAgent["support-bot"] == "6", "\(byAgent)")
            #expect(byAgent["kb-agent"] == "4", "\(byAgent)")
            let failing = try await query("evalgate_last_verdict{mode=\"monitor\",verdict=\"fail\"} == 1")
            #expect(failing.compactMap { ($0["metric"] as? [String: String])?["agent"] } == ["support-bot"])
            let lower = try await query("evalgate_pass_rate_lower_bound{agent=\"kb-agent\"}")
            let expected = try #require(try await store.portfolio(trendLength: 30).first { $0.agent == "kb-agent" }).latest.summary.passRate.lower
            let value = ((lower.first?["value"] as? [Any])?.last as? String).flatMap(Double.init)
            #expect(value.map { abs($0 - expected) < 1e-9 } == true, "\(lower)")
            // The rules file loaded (scripts/prometheus names it): the monitor failure is an alert.
            let rules = try await client.get("/api/v1/rules")
            #expect(rules.text.contains("EvalgateMonitorFailed"), "\(rules.text.prefix(500))")
        }
    }

    @Test(.disabled(if: skipped)) func theExampleAlertingRulesPassPromtool() throws {
        let promtool = try Self.require("promtool")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "rules", RepositoryPaths.path("ci-recipes/prometheus/evalgate-alerts.yml")]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("SUCCESS: 6 rules found"), "\(output)")
    }
}
