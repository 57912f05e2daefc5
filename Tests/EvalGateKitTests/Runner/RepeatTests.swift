import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// Repeated cases: each case runs `repeat.count` times against a flaky agent, the repeats fold into
/// one result per case by the pipeline's aggregation, and the case (never the repeat) is what counts.
@Suite("Repeats")
struct RepeatTests {
    static let questions: [(id: String, input: String, fact: String)] = [
        ("pto", "How many PTO days do I get per year?", "25 days"),
        ("carryover", "Can I roll over unused vacation days to next year?", "5 unused"),
        ("sick", "How many sick days do we get?", "10 paid sick days"),
        ("parental", "What's the parental leave policy?", "16 weeks"),
        ("holidays", "How many public holidays do we have?", "11 public holidays"),
        ("meals", "How much can I spend on food on a business trip?", "$75"),
    ]

    static func fixture(_ agent: RunningReferenceAgent, flaky: Double, count: Int = 5, aggregate: String) -> PipelineFixture {
        let cases = questions.map { question -> JSONValue in
            ["id": .string(question.id), "input": .string(question.input), "assert": [["type": "icontains", "value": .string(question.fact)]]]
        }
        return PipelineFixture(
            pipeline: JudgeFixtures.pipeline(agent, headers: "{X-Flaky: \"\(flaky)\"}", extra: "repeat: {count: \(count), aggregate: \(aggregate)}"),
            datasets: ["cases.jsonl": PipelineFixture.jsonl(cases)])
    }

    @Test func flakyAgentRepeatsFoldIntoOneResultPerCase() async throws {
        let (cases, summary, requests) = try await withReferenceAgent { agent in
            let fixture = Self.fixture(agent, flaky: 0.5, aggregate: "majority")
            let result = try await fixture.evaluate()
            return (try fixture.cases(result), result.record.summary, await agent.statistics().byAgent["kb-agent"])
        }
        #expect(requests == 30)
        #expect(cases.count == 6)
        #expect(summary.total == 6)
        #expect(summary.passed + summary.failed + summary.errors == 6)
        for result in cases {
            let repeats = try #require(result.repeats, "\(result.id)")
            #expect(repeats.count == 5)
            let passes = repeats.filter(\.passed).count
            #expect(result.status == (passes >= 3 ? .passed : .failed), "\(result.id): \(passes) of 5")
            #expect(result.score == Double(passes) / 5)
        }
        let mixed = cases.filter { Set($0.repeats?.map(\.passed) ?? []).count > 1 }.map(\.id)
        #expect(!mixed.isEmpty)
        #expect(summary.flakyCases == mixed)

        // The flaky answers depend on the seed, the question and its request count: a second run agrees.
        let again = try await withReferenceAgent { agent in
            let fixture = Self.fixture(agent, flaky: 0.5, aggregate: "majority")
            return try fixture.cases(try await fixture.evaluate())
        }
        #expect(again.map { $0.repeats?.map(\.passed) } == cases.map { $0.repeats?.map(\.passed) })
    }

    @Test func aReliableAgentHasNoFlakyCases() async throws {
        try await withReferenceAgent { agent in
            let fixture = Self.fixture(agent, flaky: 0, count: 3, aggregate: "all-pass")
            let result = try await fixture.evaluate()
            let cases = try fixture.cases(result)
            #expect(cases.map(\.status) == Array(repeating: .passed, count: 6), "\(cases.map(\.headline))")
            #expect(cases.allSatisfy { $0.repeats?.count == 3 })
            #expect(result.record.summary.flakyCases.isEmpty)
            #expect(result.record.summary.total == 6)
        }
    }

    @Test(arguments: RepeatPolicy.Aggregation.allCases)
    func everyAggregationHasTheExpectedOutcomeOnTheSameFlakyRun(aggregation: RepeatPolicy.Aggregation) async throws {
        try await withReferenceAgent { agent in
            let fixture = Self.fixture(agent, flaky: 0.5, aggregate: aggregation.rawValue)
            let result = try await fixture.evaluate()
            let cases = try fixture.cases(result)
            #expect(result.record.summary.total == 6)
            for judged in cases {
                let repeats = try #require(judged.repeats)
                let passes = repeats.filter(\.passed).count
                let mean = repeats.map(\.score).reduce(0, +) / Double(repeats.count)
                let expected: Bool
                switch aggregation {
                case .allPass: expected = passes == 5
                case .majority: expected = passes >= 3
                case .mean: expected = mean >= 0.5
                case .passAtK: expected = passes >= 1
                }
                #expect(judged.status == (expected ? .passed : .failed), "\(aggregation.rawValue) \(judged.id): \(passes) of 5")
            }
        }
    }

    // MARK: - Folding constructed repeats

    struct UnusedClient: AgentClient {
        func respond(to conversation: Conversation) async throws(AgentError) -> AssistantTurn { throw AgentError(.connection, "not used") }
        func shutdown() async {}
    }

    typealias Run = (attempted: CaseExecutor.Attempted, scores: [ScoreResult], score: Double, passed: Bool, cost: Double?)

    static func executor(_ aggregation: RepeatPolicy.Aggregation) throws -> (CaseExecutor, TemporaryDirectory) {
        let folder = TemporaryDirectory()
        folder.write("cases.jsonl", #"{"id": "a", "input": "x"}"# + "\n")
        let path = folder.write(
            "pipeline.yaml",
            """
            version: 1
            agent:
              name: kb-agent
              version: "1.0.0"
              risk_tier: 1
              endpoint: {type: openai-chat, url: "http://127.0.0.1:9/v1/chat/completions", model: kb-agent}
            datasets: [cases.jsonl]
            repeat: {count: 5, aggregate: \(aggregation.rawValue)}
            """)
        let pipeline = try PipelineLoader(variables: [:]).load(path: path)
        #expect(pipeline.definition.repeatPolicy == RepeatPolicy(count: 5, aggregation: aggregation))
        return (CaseExecutor(pipeline: pipeline, client: UnusedClient(), retry: RetryPolicy(maxRetries: 0), limiter: nil, judge: nil), folder)
    }

    static func runs(_ outcomes: [Double?]) -> [Run] {
        outcomes.map { score in
            guard let score else {
                return (CaseExecutor.Attempted(answer: nil, error: AgentError(.timeout, "slow"), attempts: 1, latency: 10), [], 0, false, nil)
            }
            return (CaseExecutor.Attempted(answer: AgentAnswer(text: "ok"), error: nil, attempts: 1, latency: 10), [], score, score >= 0.7, nil)
        }
    }

    /// Scores of five repeats (`nil`: an infrastructure error; ≥ 0.7 passes) and the status each
    /// aggregation gives them: all-pass, majority, mean (case threshold 0.5), pass@k.
    static let table: [([Double?], [CaseResult.Status])] = [
        ([1, 1, 1, 1, 1], [.passed, .passed, .passed, .passed]),
        ([1, 0.25, 0.75, 0.5, 0], [.failed, .failed, .passed, .passed]),
        ([1, 1, 1, 0, 0], [.failed, .passed, .passed, .passed]),
        ([0.6, 0.6, 0.6, 0.6, 0.6], [.failed, .failed, .passed, .failed]),
        ([0.8, 0.1, 0.1, 0.1, 0.1], [.failed, .failed, .failed, .passed]),
        ([1, 1, 1, 1, nil], [.error, .error, .error, .passed]),
        ([0, 0, 0, 0, nil], [.error, .error, .error, .error]),
    ]

    @Test(arguments: table)
    func aggregationsOfConstructedRepeats(scores: [Double?], expected: [CaseResult.Status]) throws {
        let goldenCase = GoldenCase(id: "constructed", input: .text("x"))
        for (aggregation, status) in zip([RepeatPolicy.Aggregation.allPass, .majority, .mean, .passAtK], expected) {
            let (executor, folder) = try Self.executor(aggregation)
            let result = withExtendedLifetime(folder) { executor.fold(goldenCase, index: 0, runs: Self.runs(scores)) }
            #expect(result.status == status, "\(aggregation.rawValue) of \(scores)")
            #expect(result.repeats?.count == 5)
            #expect(result.repeats?.map(\.passed) == Self.runs(scores).map(\.passed))
            #expect((result.error != nil) == (status == .error))
        }
    }
}
