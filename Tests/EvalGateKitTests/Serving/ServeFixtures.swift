import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// Histories and credentials for the dashboard tests.
enum ServeFixtures {
    typealias F = HistoryFixtures

    static let reviewerToken = "reviewer-token-0123456789abcdef"
    static let viewerToken = "viewer-token-0123456789abcdef"
    static let approverToken = "approver-token-0123456789abcdef"

    static var tokens: ServeCredentials {
        get throws {
            try ServeCredentials.parse(
                """
                # name role token
                ana reviewer \(reviewerToken)
                vic viewer \(viewerToken)
                amy approver \(approverToken)
                """, path: "tokens.txt", kind: .tokens)
        }
    }

    /// Three agents: one whose newest monitor run failed after a rollback, one passing, one whose
    /// release is inconclusive and waits for an approval; and a run of 250 cases for paging.
    static func portfolioHistory(_ history: any RunHistory) async throws {
        for index in 0..<6 {
            try await F.save(history, id: "support-\(index)", agent: "support-bot", version: "1.\(index).0", verdict: .pass, minutes: index * 10)
        }
        try await F.save(history, id: "support-monitor", agent: "support-bot", version: "1.5.0", verdict: .fail, mode: .monitor, minutes: 70)
        try await history.recordDeployment(agent: "support-bot", environment: "production", version: "1.4.0", at: F.date(minutes: 45))
        try await history.recordDeployment(agent: "support-bot", environment: "production", version: "1.5.0", at: F.date(minutes: 55))
        try await history.recordDeployment(
            agent: "support-bot", environment: "production", version: "1.4.0", note: "rolled back", at: F.date(minutes: 75))
        for index in 0..<3 {
            try await F.save(history, id: "kb-\(index)", agent: "kb-agent", version: "2.\(index)", pipeline: "kb", verdict: .pass, minutes: index)
        }
        try await F.save(history, id: "triage-1", agent: "triage-bot", version: "0.9", pipeline: "triage", verdict: .inconclusive, minutes: 5)
        let big = F.cases(250)
        try await history.save(
            F.record(id: "kb-big", agent: "kb-agent", version: "2.3", pipeline: "kb", startedAt: F.date(minutes: 90), cases: big), cases: big)
    }

    /// A history file in `folder` filled by `portfolioHistory`, and the store.
    static func portfolioStore(in folder: TemporaryDirectory) async throws -> HistoryStore {
        let store = try await HistoryStore.open(path: folder.file("history.sqlite"))
        try await portfolioHistory(store)
        return store
    }

    /// Starts a dashboard on a free loopback port for `body`, stopped afterwards.
    static func withDashboard<T>(
        _ history: DashboardHistory, credentials: ServeCredentials = .none, pageSize: Int = 100,
        _ body: (RunningDashboard, DashboardClient) async throws -> T
    ) async throws -> T {
        let server = try await DashboardServer.start(
            DashboardServer.Configuration(history: history, host: "127.0.0.1", port: 0, credentials: credentials, pageSize: pageSize))
        let client = DashboardClient(base: server.url)
        do {
            let result = try await body(server, client)
            await client.shutdown()
            await server.stop()
            return result
        } catch {
            await client.shutdown()
            await server.stop()
            throw error
        }
    }

    /// A real run through the CLI against the reference agent, with cases queued for review (one
    /// of them with a script in its input), recorded in `folder/home/history.sqlite`. Returns the run id.
    static func reviewableRun(agentURL: String, in folder: TemporaryDirectory) async throws -> String {
        folder.write(
            "p.yaml",
            """
            version: 1
            agent: {name: kb-agent, version: "1.0", owner: people-ops, risk_tier: 1, endpoint: {type: openai-chat, url: "\(agentURL)", model: kb-agent, pricing: {input_per_1k: 0.001, output_per_1k: 0.001}}}
            datasets: [cases.jsonl]
            gates: {min_cases: 3, max_cost_per_case: 1, exception: {approved_by: test, reason: tiny review fixture}, min_pass_rate: 0.9}
            baseline: {from: none}
            """)
        folder.write(
            "cases.jsonl",
            PipelineFixture.jsonl([
                ["id": "ok-1", "input": "How many PTO days do I get?", "assert": [["type": "icontains", "value": "25 days"]]],
                [
                    "id": "judged-wrong", "input": "How many PTO days do I get?", "review": "always",
                    "assert": [["type": "icontains", "value": "thirty"]],
                ],
                [
                    "id": "judged-right", "input": "How many PTO days do I get?", "review": "always",
                    "assert": [["type": "icontains", "value": "PTO"]],
                ],
                [
                    "id": "hostile",
                    "input": .string(
                        "How many PTO days do I get? <script>\(HTMLReportFixtures.injected)</script><img src=x onerror=\"\(HTMLReportFixtures.injected)\">"
                    ),
                    "review": "always", "assert": [["type": "not-icontains", "value": "zzz-never-said"]],
                ],
            ]))
        let tool = CommandLineTool(workingDirectory: folder.path, environment: ["EVALGATE_HOME": folder.file("home")])
        let run = try await tool.runDetached(["run", folder.file("p.yaml")])
        #expect(run.status == 1, "the machine fails the run before review: \(run.stdout)\(run.stderr)")
        let ids = try await tool.runDetached(["history", "--ids"]).stdout.split(separator: "\n").map(String.init)
        return try #require(ids.first)
    }

    /// Where screenshots and dumped pages are kept for a person to look at.
    static var artifacts: String {
        let folder =
            ProcessInfo.processInfo.environment["EVALGATE_TEST_ARTIFACTS"].map { ($0 as NSString).appendingPathComponent("serve") }
            ?? RepositoryPaths.path(".build/test-artifacts/serve")
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}
