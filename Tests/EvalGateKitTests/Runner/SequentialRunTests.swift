import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// `--sequential` end to end against the reference agent: a clearly good agent passes with fewer
/// agent calls than the fixed run, and a failing critical case ends the run at once.
@Suite("Sequential runs", .serialized)
struct SequentialRunTests {
    /// 120 kb-agent questions the agent answers, tier 1 (≥ 80% at 90% confidence, 30 cases minimum),
    /// and optionally one critical case it fails.
    static func fixture(_ agent: RunningReferenceAgent, failingCritical: Bool = false, extraGates: String = "") -> PipelineFixture {
        var cases = (0..<120).map { index -> JSONValue in
            let question = RepeatTests.questions[index % RepeatTests.questions.count]
            return [
                "id": .string("\(question.id)-\(index)"), "input": .string(question.input),
                "assert": [["type": "icontains", "value": .string(question.fact)]],
            ]
        }
        if failingCritical {
            cases.insert(
                [
                    "id": "never-said", "input": "How many PTO days do I get per year?", "critical": true,
                    "assert": [["type": "icontains", "value": "ZZZ-NEVER-SAID"]],
                ], at: 60)
        }
        let pipeline = JudgeFixtures.pipeline(agent, extra: extraGates)
            .replacingOccurrences(
                of: "    max_concurrency: 2", with: "    max_concurrency: 2\n    pricing: {input_per_1k: 0.001, output_per_1k: 0.002}")
        return PipelineFixture(pipeline: pipeline, datasets: ["cases.jsonl": PipelineFixture.jsonl(cases)])
    }

    @Test func aGoodAgentPassesWithFewerAgentCallsThanTheFixedRun() async throws {
        try await withReferenceAgent { agent in
            let fixedFixture = Self.fixture(agent)
            let fixed = try await fixedFixture.evaluate()
            let fixedCalls = await agent.statistics().byAgent["kb-agent"] ?? 0
            #expect(fixed.record.verdict == .pass && fixed.record.sequential == nil)
            #expect(fixedCalls == 120)

            let fixture = Self.fixture(agent)
            let result = try await fixture.evaluate(options: RunOptions(seed: 3, sequential: true))
            let calls = (await agent.statistics().byAgent["kb-agent"] ?? 0) - fixedCalls
            let record = result.record
            let sequential = try #require(record.sequential)
            #expect(record.verdict == .pass, "\(record.gates.map { "\($0.name) \($0.outcome) \($0.sentence)" })")
            #expect(sequential.stop == .allGatesPassed)
            #expect(calls < fixedCalls / 2, "sequential \(calls) calls, fixed \(fixedCalls)")
            #expect(sequential.casesRun == calls && sequential.plannedCases == 120)
            #expect(sequential.agentCallsSaved == 120 - calls)
            #expect(record.missingCases == 120 - calls && record.stopReason == nil)
            // The early stop is a decision, not a partial run: no completeness gate, and the pass rate
            // passed across its anytime-valid boundary.
            #expect(!record.gates.contains { $0.name == "completeness" })
            let crossing = try #require(sequential.crossing("pass-rate"))
            #expect(crossing.outcome == .pass && crossing.boundary == .pass && crossing.passed == crossing.answered)
            #expect(record.gates.first { $0.name == "pass-rate" }?.outcome == .pass)
            // The result file carries the same record, and the console report says what happened.
            #expect(try ResultFile.read(path: result.resultPath).record.sequential == sequential)
            let console = ConsoleReport(useColor: false).render(record, cases: [])
            #expect(console.contains("stopped early at \(calls) of 120 cases"), "\(console)")
            #expect(console.contains("agent calls saved"))
            // The path of the overall gate ends at the crossing, and the HTML report draws it
            // against the boundaries the same gate computes.
            let trace = try #require(sequential.trace)
            #expect(trace.horizon == 120 && trace.threshold == 0.8 && trace.confidence == 0.9)
            #expect(trace.points.contains([crossing.answered, crossing.passed]), "\(trace.points)")
            #expect(trace.points.map { $0[0] } == trace.points.map { $0[0] }.sorted())
            #expect(trace.gate.decide(passed: crossing.passed, trials: crossing.answered)?.outcome == .pass)
            let page = HTMLReport.render(context: ReportContext(record: record, redactor: Redactor(secrets: []), trend: []), cases: [])
            #expect(page.contains("id=\"figure-sequential\""))
            #expect(page.contains("class=\"boundary boundary-pass\"") && page.contains("class=\"estimate\""))
            #expect(page.contains("crossing crossing-pass"))
            #expect(page.contains("The pass boundary was crossed after \(crossing.answered) answered cases"), "\(page.prefix(0))")
            // A fixed run has no such chart.
            let fixedPage = HTMLReport.render(context: ReportContext(record: fixed.record, redactor: Redactor(secrets: []), trend: []), cases: [])
            #expect(!fixedPage.contains("figure-sequential"))
            withExtendedLifetime((fixedFixture, fixture)) {}
        }
    }

    @Test func aFailingCriticalCaseEndsTheRunAtOnce() async throws {
        try await withReferenceAgent { agent in
            let fixture = Self.fixture(agent, failingCritical: true)
            let result = try await fixture.evaluate(options: RunOptions(seed: 1, sequential: true))
            let calls = await agent.statistics().byAgent["kb-agent"] ?? 0
            let record = result.record
            let sequential = try #require(record.sequential)
            #expect(record.verdict == .fail)
            #expect(sequential.stop == .criticalFailure)
            // Critical cases run first, as a block: the run stops before any other case is sent.
            #expect(calls == 1, "\(calls) calls")
            #expect(sequential.casesRun == 1 && sequential.agentCallsSaved == 120)
            #expect(record.gates.first { $0.name == "critical-cases" }?.outcome == .fail)
            #expect(record.recommendation.action != .promote)
        }
    }

    @Test func aPipelineCanAskForSequentialGates() async throws {
        try await withReferenceAgent { agent in
            let fixture = Self.fixture(agent, extraGates: "gates: {sequential: true}")
            let result = try await fixture.evaluate()
            #expect(result.record.sequential?.stop == .allGatesPassed)
            // With --limit the pipeline's request falls back to a fixed run, and says so.
            let limited = try await fixture.evaluate(options: RunOptions(limit: 40))
            #expect(limited.record.sequential == nil && limited.record.selectedCases == 40)
            #expect(limited.warnings.contains { $0.message.contains("are not used with --limit or --sample") })
        }
    }

    /// `sequential: true` on a tier of the policy makes its pipelines' runs sequential; a pipeline's
    /// own `gates.sequential: false` opts out.
    @Test func aTierOfThePolicyCanAskForSequentialGates() async throws {
        let shipped = try String(contentsOfFile: RepositoryPaths.path("pipelines/tiers.yaml"), encoding: .utf8)
        let policy = shipped.replacingOccurrences(of: "  1:\n    name: internal\n", with: "  1:\n    name: internal\n    sequential: true\n")
        #expect(policy != shipped)
        try await withReferenceAgent { agent in
            let fixture = Self.fixture(agent)
            fixture.folder.write("tiers.yaml", policy)
            let result = try await fixture.evaluate()
            #expect(result.record.sequential?.stop == .allGatesPassed)
            let optedOut = Self.fixture(agent, extraGates: "gates: {sequential: false}")
            optedOut.folder.write("tiers.yaml", policy)
            let fixed = try await optedOut.evaluate()
            #expect(fixed.record.sequential == nil && fixed.record.selectedCases == 120)
        }
        // A value that is not a boolean is a located error.
        let folder = TemporaryDirectory()
        folder.write(
            "tiers.yaml", shipped.replacingOccurrences(of: "  1:\n    name: internal\n", with: "  1:\n    name: internal\n    sequential: often\n"))
        #expect(throws: InvalidInputError.self) { try TierPolicyLoader.load(path: folder.file("tiers.yaml"), displayPath: "tiers.yaml") }
    }

    @Test func theOrderPutsPriorityCasesFirstAndMixesTags() {
        var tags: [[String]] = Array(repeating: ["refunds"], count: 60) + Array(repeating: ["edge-case"], count: 30)
        tags += Array(repeating: ["prompt-injection"], count: 10)
        var critical = Array(repeating: false, count: 100)
        critical[5] = true
        let order = SequentialOrder.make(tags: tags, critical: critical, mustPassTags: ["prompt-injection"], seed: 9)
        #expect(order.sorted() == Array(0..<100))
        // Must-pass and critical cases first.
        #expect(Set(order.prefix(11)) == Set([5] + Array(90..<100)))
        // Every stretch of 30 later cases holds the tags in about their 59:30 proportion.
        let rest = Array(order.dropFirst(11))
        for start in stride(from: 0, to: 60, by: 30) {
            let edge = rest[start..<start + 30].filter { tags[$0] == ["edge-case"] }.count
            #expect((8...12).contains(edge), "\(edge) edge cases in positions \(start)..<\(start + 30)")
        }
        #expect(SequentialOrder.make(tags: tags, critical: critical, mustPassTags: ["prompt-injection"], seed: 9) == order)
        #expect(SequentialOrder.make(tags: tags, critical: critical, mustPassTags: ["prompt-injection"], seed: 10) != order)
    }
}
