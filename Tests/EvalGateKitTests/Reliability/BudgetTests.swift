import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// A whole-run budget stops a run cleanly with what it has, and never lets it pass.
@Suite("Run budgets")
struct BudgetTests {
    static func fixture(url: String, cases: Int) -> PipelineFixture {
        PipelineFixture(
            pipeline: """
                version: 1
                agent:
                  name: kb-agent
                  version: "1.0"
                  risk_tier: 1
                  endpoint:
                    type: openai-chat
                    url: \(url)
                    model: kb-agent
                    max_concurrency: 2
                    pricing: {input_per_1k: 1.0, output_per_1k: 1.0}
                datasets: [cases.jsonl]
                assert: [{type: not-contains, value: "zzz-never"}]
                baseline: {from: none}
                gates: {max_cost_per_case: 0.05, exception: {approved_by: test, reason: "budget test uses an expensive price list"}}
                """,
            datasets: ["cases.jsonl": PipelineFixture.jsonl((0..<cases).map { ["id": .string("c\($0)"), "input": "How many PTO days do I get?"] })])
    }

    @Test func maxDurationStopsTheRunAndIsInconclusive() async throws {
        try await withReferenceAgent(ReferenceAgentConfiguration(latency: .milliseconds(200))) { agent in
            let fixture = Self.fixture(url: agent.chatCompletionsURL, cases: 100)
            let start = Date()
            let result = try await fixture.evaluate(options: RunOptions(maxDuration: 1))
            // 100 cases × 200 ms at concurrency 2 would take 10 s; stopping at 1 s must cut that well short.
            #expect(Date().timeIntervalSince(start) < 8)
            #expect(result.record.stopReason == .maxDuration)
            #expect(result.record.missingCases > 50)
            #expect(result.record.verdict == .inconclusive)
            #expect(result.record.gates.first { $0.name == "completeness" }?.outcome == .inconclusive)
            #expect(result.record.recommendation.rerunAdvice?.contains("--resume") == true)
        }
    }

    @Test func costCapStopsTheRunAndIsInconclusive() async throws {
        try await withReferenceAgent { agent in
            let fixture = Self.fixture(url: agent.chatCompletionsURL, cases: 100)
            let result = try await fixture.evaluate(options: RunOptions(maxCost: 0.5))
            #expect(result.record.stopReason == .maxCost)
            #expect(result.record.missingCases > 0)
            #expect(result.record.verdict == .inconclusive)
            #expect((result.record.summary.totalCost ?? 0) >= 0.5)
            #expect((result.record.summary.totalCost ?? 0) < 1.5)
        }
    }
}
