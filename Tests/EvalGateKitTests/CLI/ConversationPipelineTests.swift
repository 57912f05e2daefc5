import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// `pipelines/refund-agent-conversations.yaml` end to end with the built binary against the reference
/// agent: 210 scenarios (scripted and simulated) × 3 trials on the tier-3 policy with pass^3. The first
/// good version is approved as the baseline, the next good one is promoted, the regressed one (it
/// skips the confirmation and refunds twice) is blocked.
@Suite("Conversation pipeline (CLI)")
struct ConversationPipelineTests {
    @Test func theGoodVersionPassesAndTheRegressedOneIsBlocked() async throws {
        try await withReferenceAgent { agent in
            let home = TemporaryDirectory(prefix: "evalgate-conversations")
            let tool = CommandLineTool(
                workingDirectory: RepositoryPaths.root,
                environment: ["EVALGATE_HOME": home.path, "REFUND_AGENT_URL": agent.baseURL, "SIMULATOR_URL": agent.baseURL])
            func run(_ version: String, _ arguments: [String] = []) async throws -> CommandLineTool.Output {
                var versioned = tool
                versioned.environment["AGENT_VERSION"] = version
                return try await versioned.runDetached(["run", "pipelines/refund-agent-conversations.yaml", "--quiet"] + arguments, timeout: 600)
            }
            let first = try await run("2.4.0")
            #expect(first.status == 2, "no baseline yet: inconclusive\n\(first.stdout)\n\(first.stderr)")
            #expect(first.stdout.hasPrefix("INCONCLUSIVE:"), "\(first.stdout)")
            let id = try await tool.runDetached(["history", "--agent", "refund-agent-chat", "--limit", "1", "--ids"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let approved = try await tool.runDetached([
                "approve", id, "--by", "Priya Raman (risk officer)", "--reason", "first release under evalgate",
            ])
            #expect(approved.status == 0, "\(approved.stdout)\n\(approved.stderr)")
            _ = try await tool.runDetached(["deploy", "record", "refund-agent-chat", "2.4.0", "--environment", "production", "--by", "test"])

            let good = try await run("2.4.1", ["--report", "markdown"])
            #expect(good.status == 0, "\(good.stdout)\n\(good.stderr)")
            #expect(good.stdout.hasPrefix("PASS: Promote refund-agent-chat 2.4.1"), "\(good.stdout)")

            let regressed = try await run("2.5.0-rc1", ["--report", "markdown", "--report", "html"])
            #expect(regressed.status == 1, "\(regressed.stdout)\n\(regressed.stderr)")
            #expect(regressed.stdout.hasPrefix("FAIL: Block refund-agent-chat 2.5.0-rc1"), "\(regressed.stdout)")
            let runs = try FileManager.default.contentsOfDirectory(atPath: (home.path as NSString).appendingPathComponent("runs")).sorted()
            #expect(runs.count == 3)
            func result(_ run: String) throws -> (record: RunRecord, cases: [CaseResult]) {
                let folder = ((home.path as NSString).appendingPathComponent("runs") as NSString).appendingPathComponent(run)
                return try ResultFile.read(path: (folder as NSString).appendingPathComponent("result.json"))
            }
            // Each good run passes pass^3 with every scenario measured.
            for run in runs.prefix(2) {
                let good = try result(run)
                #expect(good.record.gates.first { $0.name == "pass-hat-k" }?.outcome == .pass, "\(good.record.gates)")
                #expect(good.record.summary.trials?.passHatK.estimate == 1)
                #expect(good.record.summary.trials?.unmeasured == 0)
            }
            let last = try #require(runs.last)
            let folder = ((home.path as NSString).appendingPathComponent("runs") as NSString).appendingPathComponent(last)
            let result = try result(last)
            let gate = try #require(result.record.gates.first { $0.name == "pass-hat-k" })
            #expect(gate.outcome == .fail, "\(gate)")
            let trials = try #require(result.record.summary.trials)
            #expect(trials.k == 3)
            #expect(trials.cases + trials.unmeasured == 210)
            let doubled = result.cases.filter { ($0.conversation?.world?.value(at: "/refunds")?.arrayValue?.count ?? 0) > 1 }
            #expect(!doubled.isEmpty, "the regressed agent refunds twice somewhere")
            let markdown = try String(contentsOfFile: (folder as NSString).appendingPathComponent("report.md"), encoding: .utf8)
            #expect(markdown.contains("Conversations not passing"))
            #expect(markdown.contains("**Customer:**"))
            #expect(markdown.contains("pass^3"))
        }
    }
}

/// A simulator that does not answer at validation time is a located warning; one that answers is not.
@Suite("Simulator reachability (CLI)")
struct SimulatorReachabilityTests {
    @Test func anUnreachableSimulatorIsAWarningAtValidation() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-simulator")
        folder.write(
            "cases.jsonl",
            PipelineFixture.jsonl([
                [
                    "id": "s", "scenario": ["opening": "hi", "max_turns": 2, "user": ["instructions": "be a customer"]],
                    "assert": [["type": "turns", "value": 2]],
                ]
            ]))
        let pipeline = folder.write(
            "pipeline.yaml",
            SimulatedUserTests.pipeline(url: "http://127.0.0.1:9/v1/chat/completions", simulatorURL: "http://127.0.0.1:9/v1/chat/completions"))
        let tool = CommandLineTool(workingDirectory: folder.path)
        let output = try await tool.runDetached(["validate", pipeline])
        #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
        #expect(
            output.stderr.contains("pipeline.yaml:18:3: warning: the simulator at http://127.0.0.1:9/v1/chat/completions is unreachable"),
            "\(output.stderr)")
        try await withReferenceAgent { agent in
            let reachable = folder.write(
                "reachable.yaml", SimulatedUserTests.pipeline(url: agent.chatCompletionsURL, simulatorURL: agent.chatCompletionsURL))
            let checked = try await tool.runDetached(["validate", reachable])
            #expect(checked.status == 0)
            #expect(!checked.stderr.contains("unreachable"), "\(checked.stderr)")
        }
    }
}
