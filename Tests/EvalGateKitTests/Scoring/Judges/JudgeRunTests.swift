import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// Whole evaluations of the kb-agent with model-graded scorers, judged by the reference agent.
@Suite("Judged runs")
struct JudgeRunTests {
    typealias F = JudgeFixtures

    static func cases(threshold: Double? = nil) -> String {
        var pto: [String: JSONValue] = [
            "id": "pto", "input": .string(F.question), "expected": .string(F.handbookAnswer),
            "assert": [["type": "llm-rubric", "rubric": "must mention: 25 days, PTO"], ["type": "similar"]],
        ]
        var sick: [String: JSONValue] = [
            "id": "sick", "input": "Do I need a doctor's note when I'm ill?",
            "expected":
                "Sick leave is separate from PTO: you get up to 10 paid sick days per year, and no doctor's note is needed for absences of up to 3 days.",
            "assert": [["type": "llm-rubric", "rubric": "must mention: 10 paid sick days, doctor's note"], ["type": "factuality"]],
        ]
        if let threshold {
            pto["threshold"] = .number(threshold)
            sick["threshold"] = .number(threshold)
        }
        return PipelineFixture.jsonl([.object(pto), .object(sick)])
    }

    @Test func judgedCasesPassAndASecondRunMakesNoJudgeCalls() async throws {
        try await withReferenceAgent { agent in
            let fixture = PipelineFixture(
                pipeline: F.pipeline(agent, judge: F.judgeYAML(agent, models: ["judge-a"])), datasets: ["cases.jsonl": Self.cases()])
            let first = try await F.evaluate(fixture)
            let cases = try fixture.cases(first)
            #expect(cases.map(\.status) == [.passed, .passed], "\(cases.map(\.headline))")
            #expect(cases.allSatisfy { $0.review == nil })
            let pto = try #require(cases.first)
            #expect(pto.scores.map(\.scorer) == ["llm-rubric", "similar"])
            #expect(pto.scores.allSatisfy { $0.reason.hasPrefix("[judge] ") })
            let sick = try #require(cases.last)
            #expect(sick.scores.last?.reason.contains("(B) a consistent superset of the reference") == true, "\(sick.scores)")
            let afterFirst = await agent.statistics()
            #expect(afterFirst.byAgent["judge-a"] == 3)
            #expect(afterFirst.byAgent["embed-small"] == 1)
            #expect(afterFirst.byAgent["kb-agent"] == 2)
            #expect(FileManager.default.fileExists(atPath: F.cacheFolder(fixture)))

            let second = try await F.evaluate(fixture)
            let afterSecond = await agent.statistics()
            #expect(afterSecond.byAgent["judge-a"] == 3)
            #expect(afterSecond.byAgent["embed-small"] == 1)
            #expect(afterSecond.byPath["/v1/embeddings"] == 1)
            // The agent itself is asked again: only the judge's replies are cached.
            #expect(afterSecond.byAgent["kb-agent"] == 4)
            #expect(try fixture.cases(second).map(\.scores) == cases.map(\.scores))
        }
    }

    @Test func aMalformedJudgeMakesTheCaseAnErrorNotAPass() async throws {
        try await withReferenceAgent { agent in
            let fixture = PipelineFixture(
                pipeline: F.pipeline(agent, judge: F.judgeYAML(agent, models: ["judge-malformed"], retries: 1)),
                datasets: ["cases.jsonl": Self.cases()])
            let result = try await F.evaluate(fixture)
            let cases = try fixture.cases(result)
            #expect(cases.map(\.status) == [.error, .error])
            #expect(cases.allSatisfy { $0.error?.kind == .judgeFailed })
            #expect(result.record.summary.passed == 0)
            #expect(result.record.verdict != .pass)
            #expect(await agent.statistics().byAgent["judge-malformed"] == 4)
            // Nothing unreadable was cached.
            let cached = (try? FileManager.default.contentsOfDirectory(atPath: F.cacheFolder(fixture))) ?? []
            #expect(cached.allSatisfy { !$0.hasPrefix(".") })
            #expect(cached.count <= 1)
        }
    }

    @Test(arguments: ["majority", "mean"])
    func aDisagreeingPanelQueuesTheCaseForReview(combine: String) async throws {
        try await withReferenceAgent { agent in
            let fixture = PipelineFixture(
                pipeline: F.pipeline(agent, judge: F.judgeYAML(agent, models: ["judge-a", "judge-b", "judge-contrarian"], combine: combine)),
                datasets: ["cases.jsonl": Self.cases()])
            let result = try await F.evaluate(fixture)
            let cases = try fixture.cases(result)
            // Majority: 2 of 3 pass both scorers. Mean: the rubric's mean (0.67) passes, the factuality
            // mean (0.6, 0.6, 0) = 0.4 does not.
            let expected: [CaseResult.Status] = combine == "majority" ? [.passed, .passed] : [.passed, .failed]
            #expect(cases.map(\.status) == expected, "\(cases.map(\.headline))")
            for judged in cases {
                #expect(judged.review == "the judges disagree", "\(judged.id)")
                let rubric = try #require(judged.scores.first)
                #expect(rubric.reason.contains("judges disagree (2 pass, 1 fail)"), "\(rubric.reason)")
                #expect(rubric.reason.contains("judge-contrarian: fail"))
            }
            #expect(Set(result.record.summary.reviewQueue) == ["pto", "sick"])
        }
    }

    @Test func aJudgeScoreNearTheCaseThresholdIsQueuedForReview() async throws {
        try await withReferenceAgent { agent in
            let fixture = PipelineFixture(
                pipeline: F.pipeline(agent, judge: F.judgeYAML(agent, models: ["judge-a"])),
                datasets: ["cases.jsonl": Self.cases(threshold: 0.95)])
            let result = try await F.evaluate(fixture)
            let cases = try fixture.cases(result)
            // The similarity (about 0.93) is within 0.1 of the case threshold 0.95.
            let pto = try #require(cases.first)
            #expect(pto.review?.hasPrefix("judge score") == true, "\(pto.review ?? "nil") \(pto.scores)")
        }
    }
}
