import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// The review round trip through the CLI: queue written by `run`, labels recorded by `review`,
/// the run decided again with them, and the agreement figure reported.
@Suite("Human review")
struct HumanReviewTests {
    @Test func labelsOverrideTheMachineAndFeedTheAgreementFigure() async throws {
        try await withReferenceAgent { agent in
            let folder = TemporaryDirectory()
            folder.write(
                "p.yaml",
                """
                version: 1
                agent: {name: kb-agent, version: "1.0", risk_tier: 1, endpoint: {type: openai-chat, url: "\(agent.chatCompletionsURL)", model: kb-agent, pricing: {input_per_1k: 0.001, output_per_1k: 0.001}}}
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
                ]))
            let tool = CommandLineTool(workingDirectory: folder.path, environment: ["EVALGATE_HOME": folder.file("home")])
            let run = try await tool.runDetached(["run", "p.yaml"])
            #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("Human review queued: 2 cases"))
            let runID = try #require(try await tool.runDetached(["history", "--ids"]).stdout.split(separator: "\n").first.map(String.init))
            let queuePath = folder.file("home/runs/\(runID)/review-queue.json")
            var queue = try JSONCoding.decoder().decode([HumanReview.Entry].self, from: Data(contentsOf: URL(fileURLWithPath: queuePath)))
            #expect(queue.map(\.caseID) == ["judged-wrong", "judged-right"])
            #expect(queue.first?.machineStatus == "failed")
            // The reviewer disagrees with the machine on the first case and agrees on the second.
            queue[0].label = "pass"
            queue[0].note = "thirty is wrong, but the answer is right: the scorer was mis-written"
            queue[1].label = "pass"
            try JSONCoding.encoder(pretty: true).encode(queue).write(to: URL(fileURLWithPath: folder.file("labels.json")))

            let review = try await tool.runDetached(["review", runID, "--labels", "labels.json", "--reviewer", "Ana"])
            #expect(review.status == 0, "\(review.stdout)\(review.stderr)")
            #expect(review.stdout.contains("Recorded 2 labels"))
            #expect(review.stdout.contains("1 changed the machine's outcome"))
            #expect(review.stdout.contains("Verdict now: PASS"))
            let store = try HistoryStore(path: folder.file("home/history.sqlite"))
            let record = try #require(try await store.run(id: runID))
            #expect(record.verdict == .pass)
            #expect(record.humanReview?.overridden == ["judged-wrong"])
            #expect(record.humanReview?.labelCount == 2)
            #expect(try await store.reviewLabels(runID: runID).map(\.reviewer) == ["Ana", "Ana"])
            #expect(
                try await store.caseResults(runID: runID).first { $0.id == "judged-wrong" }?.status == .failed,
                "the machine's outcome stays on record")
            let report = try await tool.runDetached(["report", runID])
            #expect(report.stdout.contains("Human labels: 2 (1 overrode the machine)"))

            folder.write(
                "bad.json",
                "[{\"caseID\": \"judged-wrong\", \"why\": \"x\", \"machineStatus\": \"failed\", \"score\": 0, \"input\": \"\", \"answer\": \"\", \"label\": \"maybe\"}]"
            )
            let bad = try await tool.runDetached(["review", runID, "--labels", "bad.json"])
            #expect(bad.status == 3)
            #expect(bad.stderr.contains("label must be \"pass\" or \"fail\""))
        }
    }
}
