import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// An agent that never stops calling tools has not answered: a trajectory cut off at `max_steps` fails
/// the case unless the case or the pipeline accepts it with `allow_unfinished`.
@Suite("Unfinished trajectories")
struct UnfinishedTrajectoryTests {
    static func pipeline(url: String, maxSteps: Int = 3, endpointExtra: String = "") -> String {
        """
        version: 1
        agent:
          name: looping-agent
          version: "1.0.0"
          risk_tier: 1
          endpoint:
            type: openai-chat
            url: \(url)
            model: looping-agent
            timeout: 5s
            retries: 0
            max_steps: \(maxSteps)
            tools:
              - {type: function, function: {name: lookup_order, parameters: {type: object, properties: {order_id: {type: string}}}}}
        \(endpointExtra)
        datasets: [cases.jsonl]
        baseline: {from: none}
        """
    }

    /// Every scorer of this case passes on a looping agent: it does call `lookup_order`, with the right order.
    static func loopingCase(id: String = "loops", extra: [String: JSONValue] = [:]) -> JSONValue {
        var fields: [String: JSONValue] = [
            "id": .string(id), "input": "Where is order A-10023?",
            "tools": ["lookup_order": ["order_id": "A-10023", "status": "shipped"]],
            "assert": [
                ["type": "tool-called", "value": "lookup_order"], ["type": "tool-args", "tool": "lookup_order", "args": ["order_id": "A-10023"]],
            ],
        ]
        fields.merge(extra) { _, new in new }
        return .object(fields)
    }

    static func run(_ pipeline: String, cases: [JSONValue]) async throws -> [CaseResult] {
        let fixture = PipelineFixture(pipeline: pipeline, datasets: ["cases.jsonl": PipelineFixture.jsonl(cases)])
        return try fixture.cases(try await fixture.evaluate())
    }

    @Test func aTrajectoryCutOffAtMaxStepsFailsTheCase() async throws {
        try await withLoopingToolAgent { agent in
            let weighted = Self.loopingCase(id: "weighted", extra: ["threshold": 0.5])
            let cases = try await Self.run(Self.pipeline(url: agent.chatCompletionsURL), cases: [Self.loopingCase(), weighted])
            #expect(await agent.requests().count == 6, "3 turns per case, then the loop stops")
            for result in cases {
                let answer = try #require(result.answer)
                #expect(answer.trajectory.end == .maxSteps)
                #expect(answer.trajectory.steps.count == 3)
                // The scorers alone would pass it: that was the defect.
                let scorers = result.scores.filter { $0.scorer != "finished" }
                #expect(scorers.count == 2)
                #expect(scorers.allSatisfy { $0.passed })
                #expect(result.status == .failed, "\(result.id): \(result.scores)")
                #expect(result.score == 0)
                let finished = try #require(result.scores.first { $0.scorer == "finished" })
                #expect(!finished.passed)
                #expect(finished.reason.hasPrefix("the agent did not finish within 3 steps"))
            }
        }
    }

    @Test func allowUnfinishedOnTheCaseAcceptsIt() async throws {
        try await withLoopingToolAgent { agent in
            let cases = try await Self.run(Self.pipeline(url: agent.chatCompletionsURL), cases: [Self.loopingCase(extra: ["allow_unfinished": true])])
            let result = try #require(cases.first)
            #expect(result.answer?.trajectory.end == .maxSteps)
            #expect(result.status == .passed, "\(result.scores)")
            #expect(!result.scores.contains { $0.scorer == "finished" })
        }
    }

    @Test func allowUnfinishedOnTheEndpointAcceptsItUnlessTheCaseRefuses() async throws {
        try await withLoopingToolAgent { agent in
            let pipeline = Self.pipeline(url: agent.chatCompletionsURL, endpointExtra: "    allow_unfinished: true")
            let cases = try await Self.run(
                pipeline, cases: [Self.loopingCase(id: "allowed"), Self.loopingCase(id: "strict", extra: ["allow_unfinished": false])])
            #expect(cases.map(\.id) == ["allowed", "strict"])
            #expect(cases.first?.status == .passed)
            #expect(cases.last?.status == .failed)
            #expect(cases.last?.scores.contains { $0.scorer == "finished" && !$0.passed } == true)
        }
    }

    @Test func anAgentThatAnswersIsNotAffected() async throws {
        try await withReferenceAgent { agent in
            let pipeline = Self.pipeline(url: agent.chatCompletionsURL, maxSteps: 4).replacingOccurrences(
                of: "model: looping-agent", with: "model: refund-agent")
            let answered: JSONValue = [
                "id": "answers", "input": "Where is order A-10023?",
                "tools": ["lookup_order": ["order_id": "A-10023", "status": "shipped", "amount": 20]],
                "assert": [["type": "tool-called", "value": "lookup_order"]],
            ]
            let result = try #require(try await Self.run(pipeline, cases: [answered]).first)
            #expect(result.answer?.trajectory.end == .answered)
            #expect(result.status == .passed, "\(result.scores)")
            #expect(result.scores.map(\.scorer) == ["tool-called"])
        }
    }

    // MARK: - The keys

    func diagnostics(_ yaml: String) -> [Diagnostic] {
        let folder = TemporaryDirectory()
        let path = folder.write("pipeline.yaml", yaml)
        do {
            _ = try withExtendedLifetime(folder) { try PipelineLoader(variables: [:]).load(path: path) }
            return []
        } catch let error as InvalidInputError {
            return error.diagnostics
        } catch {
            return [Diagnostic(.error, SourceLocation(file: "?"), "\(error)")]
        }
    }

    @Test func theEndpointKeyIsReadAndChecked() throws {
        let folder = TemporaryDirectory()
        let path = folder.write(
            "pipeline.yaml", Self.pipeline(url: "http://127.0.0.1:9/v1/chat/completions", endpointExtra: "    allow_unfinished: true"))
        let loaded = try withExtendedLifetime(folder) { try PipelineLoader(variables: [:]).load(path: path) }
        #expect(loaded.definition.agent.endpoint.allowUnfinished)
        #expect(EndpointDefinition(kind: .openAIChat).allowUnfinished == false)

        let notBool = diagnostics(Self.pipeline(url: "http://127.0.0.1:9/v1/chat/completions", endpointExtra: "    allow_unfinished: sometimes"))
        #expect(notBool.contains { $0.message == "'allow_unfinished' must be true or false, found 'sometimes'" }, "\(notBool)")
        let typo = diagnostics(Self.pipeline(url: "http://127.0.0.1:9/v1/chat/completions", endpointExtra: "    allow_unfinshed: true"))
        let located = try #require(typo.first { $0.message.contains("allow_unfinshed") })
        #expect(located.message.contains("did you mean 'allow_unfinished'"))
        #expect(located.location.line == 15)
        let http = """
            version: 1
            agent:
              name: a
              version: "1"
              risk_tier: 1
              endpoint: {type: http, url: "http://127.0.0.1:9/x", answer: /answer, allow_unfinished: true}
            datasets: [cases.jsonl]
            """
        #expect(diagnostics(http).contains { $0.message == "'allow_unfinished' does not apply to endpoint type 'http'" })
    }

    @Test func theCaseKeyIsReadAndChecked() throws {
        func parse(_ json: JSONValue) -> (GoldenCase?, [Diagnostic]) {
            var engine = DiagnosticsEngine()
            let parsed = GoldenCase.parse(
                json, location: SourceLocation(file: "cases.jsonl", line: 1), defaults: .init(dataset: "cases", fallbackIDPrefix: "cases"),
                diagnostics: &engine)
            return (parsed, engine.diagnostics)
        }
        #expect(parse(["id": "a", "input": "x", "allow_unfinished": true]).0?.allowUnfinished == true)
        #expect(parse(["id": "a", "input": "x", "allow_unfinished": false]).0?.allowUnfinished == false)
        #expect(parse(["id": "a", "input": "x"]).0?.allowUnfinished == nil)
        let (wrong, found) = parse(["id": "a", "input": "x", "allow_unfinished": "yes please"])
        #expect(wrong == nil)
        #expect(found.contains { $0.message == "case 'a': 'allow_unfinished' must be true or false" })
    }
}
