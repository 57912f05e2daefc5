import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// Issue 12: `--max-cost` is compared with the run's exact cost, so a run that has cost exactly the
/// budget has reached it. In `Double`, ten cases at 0.1 sum to 0.9999999999999999 and an eleventh
/// and twelfth case were started on a budget of 1.
@Suite("Exact run budget")
struct ExactBudgetTests {
    @Test func aBudgetIsReachedAtExactlyItsAmount() async throws {
        // A program that ignores the case and reports 100 input tokens: at 1.0 per 1,000 tokens, 0.1 a case.
        let pipeline = """
            version: 1
            agent:
              name: kb-agent
              version: "1.0"
              risk_tier: 1
              endpoint:
                type: command
                argv:
                  - /bin/sh
                  - -c
                  - 'cat > /dev/null; echo ''{"answer": "ok", "in": 100, "out": 0}'''
                usage: {input_tokens: /in, output_tokens: /out}
                pricing: {input_per_1k: 1.0, output_per_1k: 1.0}
                max_concurrency: 1
                timeout: 20s
                retries: 0
            datasets: [cases.jsonl]
            assert: [{type: contains, value: "ok"}]
            baseline: {from: none}
            """
        let fixture = PipelineFixture(
            pipeline: pipeline, datasets: ["cases.jsonl": PipelineFixture.jsonl((0..<20).map { ["id": .string("c\($0)"), "input": "q"] })])
        let result = try await fixture.evaluate(options: RunOptions(maxCost: 1))
        #expect(result.record.stopReason == .maxCost)
        // One case is in flight when the budget is checked, so the run stops after the case that
        // follows the tenth: eleven cases, exactly 1.1.
        #expect(result.record.summary.total == 11)
        #expect(result.record.missingCases == 9)
        #expect(result.record.summary.totalCost == 1.1)
    }
}
