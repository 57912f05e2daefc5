import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// A folder of three pipelines for sweeps: one good (the kb agent on the in-process reference agent),
/// one whose agent is down (nothing listens on its port), one that is not even YAML.
struct SweepFolder {
    let folder = TemporaryDirectory(prefix: "evalgate-sweep")

    static let goodName = "sweep-good"

    init(agentURL: String, cases: Int = 30) {
        let questions = (1...cases).map { index -> JSONValue in
            ["id": .string("q-\(index)"), "input": .string("Question \(index): how many PTO days do I get?"), "tags": ["handbook-qa"]]
        }
        folder.write("datasets/handbook.jsonl", PipelineFixture.jsonl(questions))
        folder.write("a-good.yaml", Self.pipeline(name: Self.goodName, url: agentURL))
        folder.write("b-down.yaml", Self.pipeline(name: "sweep-down", url: "http://127.0.0.1:9/v1/chat/completions"))
        folder.write("c-broken.yaml", "version: 1\nagent: {name: broken, version: \"1.0\"\ndatasets: [datasets/handbook.jsonl]\n")
    }

    /// Passes on any answer: the sweep is under test here, not the agent.
    static func pipeline(name: String, url: String) -> String {
        """
        version: 1
        name: \(name)
        agent:
          name: kb-agent
          version: "3.1.0"
          risk_tier: 1
          endpoint:
            type: openai-chat
            url: \(url)
            model: kb-agent
            timeout: 3s
            retries: 0
            max_concurrency: 4
            pricing: {input_per_1k: 0.00015, output_per_1k: 0.0006}
        datasets: [datasets/handbook.jsonl]
        assert: [{type: not-contains, value: "ZZZ-NEVER-SAID"}]
        baseline: {from: none}
        """
    }

    var path: String { folder.path }
    var home: String { folder.file(".evalgate") }
    var pipelines: [String] { PipelineLoader.pipelineFiles(in: folder.path) }

    /// Runs evalgate in the folder; the folder lives at least until the tool has finished.
    func run(_ arguments: [String]) async throws -> CommandLineTool.Output {
        defer { withExtendedLifetime(folder) {} }
        return try await CommandLineTool(workingDirectory: folder.path).runDetached(arguments)
    }

    func settings(mode: Recommendation.Mode = .monitor) -> EvaluationSettings {
        EvaluationSettings(home: home, mode: mode, processEnvironment: [:])
    }
}

@Suite("Nightly sweep")
struct SweepTests {
    @Test func keepsGoingPastADownAgentAndAnInvalidPipeline() async throws {
        try await withReferenceAgent { agent in
            let sweep = SweepFolder(agentURL: agent.chatCompletionsURL)
            let seen = Seen()
            let result = await SweepRunner(pipelines: sweep.pipelines, settings: sweep.settings()).run { entry in seen.add(entry.pipeline) }
            #expect(result.entries.map { ($0.pipeline as NSString).lastPathComponent } == ["a-good.yaml", "b-down.yaml", "c-broken.yaml"])
            #expect(seen.all == sweep.pipelines, "every entry is reported as it finishes")
            try #require(result.entries.count == 3)

            let good = result.entries[0]
            #expect(good.status == .pass, "\(good.summary)")
            #expect(good.agent == "kb-agent" && good.version == "3.1.0")
            #expect(good.action == .keep, "monitor mode keeps a healthy live version")
            #expect(good.passRate == 1)
            #expect(good.runID != nil)

            let down = result.entries[1]
            #expect([.inconclusive, .error].contains(down.status), "\(down.summary)")
            #expect(down.errors == 30)
            #expect(down.action == .rerun)

            let broken = result.entries[2]
            #expect(broken.status == .invalid)
            #expect(broken.summary.contains("c-broken.yaml:"), "the first error names the file and line: \(broken.summary)")
            #expect(broken.runID == nil && broken.agent == nil)

            #expect(result.status == .invalid, "invalid outranks inconclusive and error")
        }
    }

    /// One status for the whole sweep: fail beats invalid beats error beats inconclusive beats pass.
    @Test(arguments: [
        ([SweepRunner.Entry.Status.pass, .pass], SweepRunner.Entry.Status.pass),
        ([.pass, .inconclusive], .inconclusive),
        ([.inconclusive, .error, .pass], .error),
        ([.error, .invalid], .invalid),
        ([.invalid, .fail, .error], .fail),
        ([], .pass),
    ])
    func overallStatus(statuses: [SweepRunner.Entry.Status], expected: SweepRunner.Entry.Status) {
        let result = SweepRunner.Result(
            entries: statuses.enumerated().map { SweepRunner.Entry(pipeline: "p\($0.offset).yaml", status: $0.element, summary: "") })
        #expect(result.status == expected)
    }

    @Test func cliPrintsTheSummaryTableAndExitsWithTheWorstStatus() async throws {
        try await withReferenceAgent { agent in
            let sweep = SweepFolder(agentURL: agent.chatCompletionsURL)
            let output = try await sweep.run(["sweep", ".", "--home", sweep.home, "--output", "sweep.json"])
            #expect(output.status == 3, "an invalid pipeline makes the sweep exit 3\n\(output.stdout)\n\(output.stderr)")
            #expect(output.stdout.contains("Sweep: INVALID (3 pipelines)"))
            let lines = output.stdout.components(separatedBy: "\n")
            let header = try #require(lines.firstIndex { $0.hasPrefix("PIPELINE") }, "\(output.stdout)")
            #expect(
                lines[header].split(separator: " ", omittingEmptySubsequences: true) == [
                    "PIPELINE", "STATUS", "AGENT", "VERSION", "ACTION", "PASS", "RATE", "DRIFT",
                ])
            let rows = lines[(header + 1)...].prefix(3).map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(rows.map { $0.first ?? "" } == ["./a-good.yaml", "./b-down.yaml", "./c-broken.yaml"])
            #expect(rows[0] == ["./a-good.yaml", "pass", "kb-agent", "3.1.0", "keep", "100.0%", "no"])
            #expect(["inconclusive", "error"].contains(rows[1][1]))
            #expect(rows[2] == ["./c-broken.yaml", "invalid", "–", "–", "–", "–", "no"])
            let summary = try JSONValue(parsing: try Data(contentsOf: URL(fileURLWithPath: sweep.folder.file("sweep.json"))))
            #expect(summary["entries"]?.arrayValue?.map { $0["status"]?.stringValue ?? "" } == ["pass", rows[1][1], "invalid"])
        }
    }

    @Test func driftIsFoundAgainstTheRecordedHistory() async throws {
        try await withReferenceAgent { agent in
            let sweep = SweepFolder(agentURL: agent.chatCompletionsURL)
            // Five earlier complete runs of the good pipeline, each a little slower than the last, all
            // faster than anything real: tonight's run continues a rising p95 series.
            let store = try HistoryStore(path: sweep.settings().historyPath)
            for (index, p95) in [0.010, 0.012, 0.014, 0.016, 0.018].enumerated() {
                try await store.save(DriftFixtures.run(index: index, pipeline: SweepFolder.goodName, passed: 30, failed: 0, p95: p95), cases: [])
            }
            let good = try #require(sweep.pipelines.first)
            let result = await SweepRunner(pipelines: [good], settings: sweep.settings()).run()
            let entry = try #require(result.entries.first)
            #expect(entry.status == .pass, "\(entry.summary)")
            let drift = try #require(entry.drift)
            #expect(drift.historyRuns == 5)
            #expect(drift.latencyTrend?.trend == .increasing)
            #expect(drift.findings.contains { $0.hasPrefix("p95 latency is trending up") }, "\(drift.findings)")
            #expect(result.drifting.map(\.pipeline) == [good])
        }
    }

    @Test func notifyPostsSlackCompatibleJSONNamingEveryPipeline() async throws {
        try await withReferenceAgent { agent in
            try await withWebhookReceiver { receiver in
                let sweep = SweepFolder(agentURL: agent.chatCompletionsURL)
                let output = try await sweep.run(["sweep", ".", "--home", sweep.home, "--notify", receiver.url])
                #expect(output.status == 3, "\(output.stderr)")
                #expect(!output.stderr.contains("notification not delivered"), "\(output.stderr)")
                let requests = await receiver.requests()
                try #require(requests.count == 1)
                let request = requests[0]
                #expect(request.method == "POST")
                #expect(request.path == "/hooks/evalgate")
                #expect(request.contentType == "application/json")
                let json = try #require(request.json, "the body is not JSON: \(request.body)")
                let text = try #require(json["text"]?.stringValue)
                let blocks = try #require(json["blocks"]?.arrayValue)
                #expect(blocks.map { $0["type"]?.stringValue } == ["header", "section"])
                #expect(blocks[0]["text"]?["type"] == "plain_text")
                #expect(blocks[1]["text"]?["type"] == "mrkdwn")
                let section = try #require(blocks[1]["text"]?["text"]?.stringValue)
                #expect(text.hasPrefix(":x: evalgate nightly sweep: INVALID · 3 pipelines"))
                for name in ["./a-good.yaml", "./b-down.yaml", "./c-broken.yaml"] {
                    #expect(text.contains("*\(name)*"), "\(name) missing from text")
                    #expect(section.contains("*\(name)*"), "\(name) missing from the section block")
                }
                #expect(text.contains("*./a-good.yaml* pass (kb-agent 3.1.0) → keep · pass 100.0%"))
                #expect(text.contains("*./c-broken.yaml* invalid"))
            }
        }
    }

    @Test func aFailingWebhookIsAWarningAndLeavesTheExitCodeAlone() async throws {
        try await withWebhookReceiver(status: 500) { receiver in
            // No agent needed: the down and broken pipelines decide the exit code on their own.
            let sweep = SweepFolder(agentURL: "http://127.0.0.1:9/v1/chat/completions")
            let silent = try await sweep.run(["sweep", ".", "--home", sweep.home])
            #expect(silent.status == 3, "\(silent.stderr)")
            let output = try await sweep.run(["sweep", ".", "--home", sweep.home, "--notify", receiver.url])
            #expect(output.status == silent.status, "\(output.stderr)")
            #expect(output.stderr.contains("warning: notification not delivered: the webhook answered server-error: HTTP 500"), "\(output.stderr)")
            #expect(await receiver.requests().count == 1)
            #expect(output.stdout.contains("Sweep: INVALID (3 pipelines)"))

            // A webhook nobody answers: also a warning, and the secret path of the URL is not printed.
            let unreachable = try await sweep.run([
                "sweep", ".", "--home", sweep.home, "--notify", "http://127.0.0.1:9/services/T000/B000/XXXXSECRETXXXX",
            ])
            #expect(unreachable.status == silent.status)
            #expect(unreachable.stderr.contains("warning: notification not delivered: the webhook could not be reached"), "\(unreachable.stderr)")
            #expect(!(unreachable.stdout + unreachable.stderr).contains("XXXXSECRETXXXX"))

            // An unset secret in CI expands to an empty URL: a warning too, never a crash.
            let empty = try await sweep.run(["sweep", ".", "--home", sweep.home, "--notify", ""])
            #expect(empty.status == silent.status, "\(empty.stderr)")
            #expect(empty.stderr.contains("warning: notification not delivered"), "\(empty.stderr)")
        }
    }
}

@Suite("Drift report")
struct DriftReportTests {
    @Test func risingLatencyAndAPassRateDropAreBothReported() async throws {
        try await HistoryFixtures.withStore { store in
            let p95s = [400.0, 450, 520, 600, 700, 820]
            for (index, p95) in p95s.enumerated() {
                let last = index == p95s.count - 1
                try await store.save(
                    DriftFixtures.run(index: index, pipeline: "refunds", passed: last ? 70 : 95, failed: last ? 30 : 5, p95: p95), cases: [])
            }
            let runs = try await store.recentRuns(pipeline: "refunds")
            #expect(runs.map(\.id) == (0..<6).map { "drift-\($0)" }, "oldest first")
            let report = DriftReport.evaluate(current: runs.last!, history: Array(runs.dropLast()))
            #expect(report.historyRuns == 5)
            #expect(report.passRateDrop?.significant == true)
            #expect(report.latencyTrend?.trend == .increasing)
            #expect(report.isDrifting)
            #expect(report.findings.count == 2)
            #expect(report.findings.contains { $0.hasPrefix("pass rate fell to 70.0% from 95.0% over the last 5 runs") }, "\(report.findings)")
            #expect(report.findings.contains { $0.hasPrefix("p95 latency is trending up: 400 ms → 820 ms over 6 runs") }, "\(report.findings)")
        }
    }

    @Test func stableHistoryIsNotDrift() async throws {
        try await HistoryFixtures.withStore { store in
            let p95s = [500.0, 480, 510, 495, 505, 490, 500]
            for (index, p95) in p95s.enumerated() {
                try await store.save(
                    DriftFixtures.run(
                        index: index, pipeline: "refunds", passed: index.isMultiple(of: 2) ? 95 : 94, failed: index.isMultiple(of: 2) ? 5 : 6,
                        p95: p95), cases: [])
            }
            let runs = try await store.recentRuns(pipeline: "refunds")
            let report = DriftReport.evaluate(current: runs.last!, history: Array(runs.dropLast()))
            #expect(report.historyRuns == 6)
            #expect(report.passRateDrop?.significant == false)
            #expect(report.latencyTrend?.trend == MannKendall.Trend.none)
            #expect(!report.isDrifting, "\(report.findings)")
        }
    }

    @Test func tooLittleHistoryDecidesNothing() {
        let runs = (0..<3).map {
            DriftFixtures.run(index: $0, pipeline: "refunds", passed: $0 == 2 ? 10 : 100, failed: $0 == 2 ? 90 : 0, p95: Double($0) * 1_000)
        }
        let report = DriftReport.evaluate(current: runs[2], history: Array(runs.prefix(2)))
        #expect(report.historyRuns == 2)
        #expect(report.passRateDrop == nil && report.latencyTrend == nil && !report.isDrifting)
    }
}

enum DriftFixtures {
    /// A complete run of `pipeline` on day `index`, with the given answered counts and p95 latency.
    static func run(index: Int, pipeline: String, passed: Int, failed: Int, p95: Double) -> RunRecord {
        var record = HistoryFixtures.record(
            id: "drift-\(index)", agent: "kb-agent", version: "3.1.\(index)", pipeline: pipeline, mode: .monitor, environment: "production",
            startedAt: HistoryFixtures.date(minutes: index * 24 * 60), cases: [])
        record.summary.total = passed + failed
        record.summary.passed = passed
        record.summary.failed = failed
        record.summary.passRate = WilsonInterval.compute(successes: passed, trials: passed + failed, confidence: 0.95)
        record.summary.latency = LatencySummary(count: passed + failed, mean: p95 * 0.6, p50: p95 * 0.5, p95: p95, p99: p95 * 1.2, max: p95 * 1.5)
        return record
    }
}

/// Pipelines in the order the sweep reported them.
final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []

    func add(_ item: String) { lock.withLock { items.append(item) } }
    var all: [String] { lock.withLock { items } }
}
