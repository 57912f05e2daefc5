import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// Model-graded scorers against the reference agent's deterministic judges, over real HTTP.
@Suite("Judge scorer")
struct JudgeScorerTests {
    typealias F = JudgeFixtures

    static let rubric = F.spec("llm-rubric", options: ["rubric": "A helpful answer. It must mention: 25 days, PTO"])

    @Test func rubricPassesWhenTheAnswerMeetsIt() async throws {
        try await withReferenceAgent { agent in
            try await F.withScorer(F.definition(agent, models: ["judge-a"])) { scorer in
                let result = try await scorer.score(Self.rubric, input: F.input(F.handbookAnswer))
                #expect(result.passed)
                #expect(result.score == 1)
                #expect(result.scorer == "llm-rubric")
                #expect(result.reason.hasPrefix("[judge] judge-a: pass (score 1): mentions 25 days, PTO"), "\(result.reason)")
            }
        }
    }

    @Test func rubricFailsWithTheJudgesReason() async throws {
        try await withReferenceAgent { agent in
            try await F.withScorer(F.definition(agent, models: ["judge-a"])) { scorer in
                let result = try await scorer.score(Self.rubric, input: F.input("You get some PTO, ask HR for the number."))
                #expect(!result.passed)
                #expect(result.score == 0.5)
                #expect(result.reason.hasPrefix("[judge] judge-a: fail (score 0.5): does not mention 25 days"), "\(result.reason)")
            }
        }
    }

    @Test func rubricInValueAndFencedJSONAreRead() async throws {
        try await withReferenceAgent { agent in
            try await F.withScorer(F.definition(agent, models: ["judge-fenced"])) { scorer in
                let spec = F.spec("llm-rubric", "The answer must mention: accrued monthly")
                let result = try await scorer.score(spec, input: F.input(F.handbookAnswer))
                #expect(result.passed, "\(result.reason)")
                #expect(result.reason.hasPrefix("[judge] judge-fenced: pass"))
            }
        }
    }

    @Test func aScoreBelowTheSpecThresholdFailsEvenWhenTheVerdictPasses() async throws {
        #expect(
            JudgeReply.grade(#"{"verdict": "pass", "score": 0.4, "reason": "thin"}"#) == JudgeReply.Grade(verdict: true, score: 0.4, reason: "thin"))
        try await withReferenceAgent { agent in
            try await F.withScorer(F.definition(agent, models: ["judge-a"])) { scorer in
                // Half the keywords: the judge says fail with 0.5; a threshold of 0.4 cannot turn a fail verdict into a pass.
                var spec = Self.rubric
                spec.threshold = 0.4
                let result = try await scorer.score(spec, input: F.input("25 days off."))
                #expect(!result.passed)
            }
        }
    }

    @Test func malformedJudgeIsRetriedThenFailsAsAJudgeError() async throws {
        try await withReferenceAgent { agent in
            try await F.withScorer(F.definition(agent, models: ["judge-malformed"], retries: 2)) { scorer in
                let error = await #expect(throws: AgentError.self) {
                    try await scorer.score(Self.rubric, input: F.input(F.handbookAnswer))
                }
                #expect(error?.kind == .judgeFailed)
                #expect(error?.message.contains("judge-malformed") == true)
                #expect(await F.calls(agent, "judge-malformed") == 3)
            }
        }
    }

    @Test func slowJudgeTimesOut() async throws {
        try await withReferenceAgent { agent in
            try await F.withScorer(F.definition(agent, models: ["judge-slow"], timeout: 0.5, retries: 0)) { scorer in
                let error = await #expect(throws: AgentError.self) {
                    try await scorer.score(Self.rubric, input: F.input(F.handbookAnswer))
                }
                // The judge answers after 2 s; a timeout error means the 0.5 s deadline cut it off.
                #expect(error?.kind == .timeout)
            }
        }
    }

    @Test func cachedGradesMakeNoJudgeCallsAndKeepNoSecrets() async throws {
        let folder = TemporaryDirectory()
        let cache = folder.file("judge-cache")
        try await withReferenceAgent { agent in
            let definition = F.definition(agent, models: ["judge-a"], headers: ["Authorization": "Bearer sk-judge-secret-123"])
            let first = try await F.withScorer(definition, cacheFolder: cache) { try await $0.score(Self.rubric, input: F.input(F.handbookAnswer)) }
            #expect(await F.calls(agent, "judge-a") == 1)
            let second = try await F.withScorer(definition, cacheFolder: cache) { try await $0.score(Self.rubric, input: F.input(F.handbookAnswer)) }
            #expect(second == first)
            #expect(await F.calls(agent, "judge-a") == 1)
            // A different answer is a different request.
            _ = try await F.withScorer(definition, cacheFolder: cache) { try await $0.score(Self.rubric, input: F.input("No idea.")) }
            #expect(await F.calls(agent, "judge-a") == 2)
            // cache: false asks again.
            var uncached = definition
            uncached.cache = false
            _ = try await F.withScorer(uncached, cacheFolder: cache) { try await $0.score(Self.rubric, input: F.input(F.handbookAnswer)) }
            #expect(await F.calls(agent, "judge-a") == 3)
            #expect(!first.reason.contains("sk-judge-secret"))

            let files = try FileManager.default.contentsOfDirectory(atPath: cache)
            #expect(files.count == 2)
            #expect(files.allSatisfy { $0.hasSuffix(".json") && $0.count == 64 + 5 })
            for file in files {
                let text = try String(contentsOfFile: (cache as NSString).appendingPathComponent(file), encoding: .utf8)
                #expect(!text.contains("sk-judge-secret"))
            }
        }
    }

    @Test func similarComparesEmbeddings() async throws {
        let folder = TemporaryDirectory()
        try await withReferenceAgent { agent in
            try await F.withScorer(F.definition(agent, models: []), cacheFolder: folder.file("cache")) { scorer in
                let spec = F.spec("similar", .string(F.handbookAnswer))
                let close = try await scorer.score(spec, input: F.input(F.handbookAnswer + " (Employee handbook, Time off.)"))
                #expect(close.passed, "\(close.reason)")
                #expect(close.score > 0.8)
                #expect(close.reason.hasPrefix("[judge] cosine similarity 0.9"), "\(close.reason)")
                #expect(close.reason.hasSuffix("≥ 0.8 (embed-small)"))

                let far = try await scorer.score(
                    F.spec("similar"), input: F.input("Expense reports are due by the fifth.", expected: .string(F.handbookAnswer)))
                #expect(!far.passed)
                #expect(far.score < 0.5)
                #expect(far.reason.contains("< 0.8"))

                let strict = try await scorer.score(
                    F.spec("similar", .string(F.handbookAnswer), threshold: 0.99),
                    input: F.input(F.handbookAnswer + " (Employee handbook, Time off.)"))
                #expect(!strict.passed)
                // The reference's and both answers' embeddings were each fetched once.
                #expect(await F.calls(agent, "embed-small") == 2)
            }
        }
    }

    @Test func factualityClassifiesAgainstTheReference() async throws {
        try await withReferenceAgent { agent in
            try await F.withScorer(F.definition(agent, models: ["judge-a"])) { scorer in
                let spec = F.spec("factuality")
                let expected = JSONValue.string(F.handbookAnswer)
                let same = try await scorer.score(spec, input: F.input(F.handbookAnswer, expected: expected))
                #expect(same.passed)
                #expect(same.score == 1)
                #expect(same.reason.hasPrefix("[judge] judge-a: pass (score 1): (C) the same details as the reference"), "\(same.reason)")

                let superset = try await scorer.score(spec, input: F.input(F.handbookAnswer + " See the Time off section.", expected: expected))
                #expect(superset.passed)
                #expect(superset.score == 0.6)
                #expect(superset.reason.contains("(B)"))

                let wrong = try await scorer.score(spec, input: F.input("Everyone gets 10 sick days.", expected: expected))
                #expect(!wrong.passed)
                #expect(wrong.score == 0)
                #expect(wrong.reason.contains("(D) disagrees with the reference"))

                // A threshold replaces the pass-by-choice rule: a superset (0.6) does not reach 0.8.
                let strict = try await scorer.score(
                    F.spec("factuality", threshold: 0.8), input: F.input(F.handbookAnswer + " See the Time off section.", expected: expected))
                #expect(!strict.passed)
            }
        }
    }

    @Test func closedQAChecksTheCriterion() async throws {
        try await withReferenceAgent { agent in
            try await F.withScorer(F.definition(agent, models: ["judge-a"])) { scorer in
                let spec = F.spec("closed-qa", "The answer must mention: 25 days")
                let yes = try await scorer.score(spec, input: F.input(F.handbookAnswer))
                #expect(yes.passed)
                #expect(yes.score == 1)
                #expect(yes.reason.hasPrefix("[judge] judge-a: pass (score 1): (Y) mentions 25 days"), "\(yes.reason)")
                let no = try await scorer.score(spec, input: F.input("You get 20 days."))
                #expect(!no.passed)
                #expect(no.score == 0)
                #expect(no.reason.contains("(N) does not mention 25 days"))
                // criterion option, with the case's expected as the reference.
                let withReference = F.spec("closed-qa", options: ["criterion": "Is the answer consistent with the reference?"])
                let consistent = try await scorer.score(withReference, input: F.input(F.handbookAnswer, expected: .string(F.handbookAnswer)))
                #expect(consistent.passed, "\(consistent.reason)")
            }
        }
    }

    @Test func panelMajorityRecordsDisagreement() async throws {
        try await withReferenceAgent { agent in
            try await F.withScorer(F.definition(agent, models: ["judge-a", "judge-b", "judge-contrarian"])) { scorer in
                let result = try await scorer.score(Self.rubric, input: F.input(F.handbookAnswer))
                #expect(result.passed)
                #expect(result.reason.hasPrefix("[judge] judges disagree (2 pass, 1 fail); majority: pass; "), "\(result.reason)")
                #expect(result.reason.contains("judge-a: pass (score 1)"))
                #expect(result.reason.contains("judge-b: pass (score 1)"))
                #expect(result.reason.contains("judge-contrarian: fail (score 0)"))
                #expect(abs(result.score - 2.0 / 3.0) < 1e-9)
                #expect(await F.calls(agent, "judge-a") == 1)
                #expect(await F.calls(agent, "judge-b") == 1)
                #expect(await F.calls(agent, "judge-contrarian") == 1)
            }
            try await F.withScorer(F.definition(agent, models: ["judge-a", "judge-contrarian", "judge-b"])) { scorer in
                let result = try await scorer.score(Self.rubric, input: F.input("Nothing useful."))
                #expect(!result.passed)
                #expect(result.reason.contains("judges disagree (1 pass, 2 fail); majority: fail"), "\(result.reason)")
            }
            try await F.withScorer(F.definition(agent, models: ["judge-a", "judge-b"])) { scorer in
                let result = try await scorer.score(Self.rubric, input: F.input(F.handbookAnswer))
                #expect(result.reason.hasPrefix("[judge] 2 judges agree; majority: pass"), "\(result.reason)")
            }
        }
    }

    @Test func panelMeanComparesTheMeanScoreWithTheThreshold() async throws {
        try await withReferenceAgent { agent in
            try await F.withScorer(F.definition(agent, models: ["judge-a", "judge-contrarian"], combine: .mean)) { scorer in
                var spec = Self.rubric
                spec.threshold = 0.6
                // judge-a: 1, contrarian: 0 → mean 0.5 < 0.6.
                let result = try await scorer.score(spec, input: F.input(F.handbookAnswer))
                #expect(!result.passed)
                #expect(result.score == 0.5)
                #expect(result.reason.hasPrefix("[judge] judges disagree (1 pass, 1 fail); mean score 0.5 against 0.6: fail"), "\(result.reason)")
                spec.threshold = 0.5
                let lenient = try await scorer.score(spec, input: F.input(F.handbookAnswer))
                #expect(lenient.passed)
            }
        }
    }

    @Test func aFailingJudgeOnThePanelFailsTheGrade() async throws {
        try await withReferenceAgent { agent in
            try await F.withScorer(F.definition(agent, models: ["judge-a", "judge-malformed"], retries: 0)) { scorer in
                let error = await #expect(throws: AgentError.self) {
                    try await scorer.score(Self.rubric, input: F.input(F.handbookAnswer))
                }
                #expect(error?.kind == .judgeFailed)
            }
        }
    }

    @Test(
        arguments: [
            ("Reasoning here.\nB", "B"), ("The answer: (C)", "C"), ("Because...\nAnswer: **E**", "E"), (#"{"choice": "A", "reasoning": "x"}"#, "A"),
            ("Y\nY", nil), ("A good answer overall.", nil), ("", nil),
        ] as [(String, String?)])
    func choiceReplies(content: String, expected: String?) {
        #expect(JudgeReply.choice(content, choices: ["A", "B", "C", "D", "E"])?.choice == expected)
    }

    @Test(arguments: [
        (#"{"verdict": "pass", "score": 0.9, "reason": "ok"}"#, true), ("Sure!\n```json\n{\"verdict\": \"fail\", \"score\": 0.1}\n```", false),
        (#"Grade: {"verdict": "PASS", "reason": "fine"} done"#, true),
    ])
    func gradeReplies(content: String, verdict: Bool) {
        #expect(JudgeReply.grade(content)?.verdict == verdict)
    }

    @Test(arguments: [#"{"verdict": "maybe", "score": 0.5}"#, #"{"verdict": "pass", "score": 7}"#, "pass", #"{"score": 1}"#])
    func unreadableGradesAreNil(content: String) {
        #expect(JudgeReply.grade(content) == nil)
    }
}
