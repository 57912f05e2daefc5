import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

@Suite("Import from OpenAI evals")
struct OpenAIEvalsImporterTests {
    func convert(_ file: String, options: OpenAIEvalsImporter.Options = .init()) throws -> ImportResult {
        try OpenAIEvalsImporter(options: options).convert(registryPath: ImportFixtures.path("openai-evals/registry/evals/\(file)"))
    }

    @Test func basicClassesBecomeDeterministicScorers() throws {
        let result = try convert("test-basic.yaml")
        #expect(result.pipelines == ["pipelines/test-match.yaml", "pipelines/test-fuzzy-match.yaml", "pipelines/test-includes.yaml"])
        _ = try ImportFixtures.writeAndValidate(result)

        let match = try ImportFixtures.cases(result, "golden-datasets/test-match/samples.jsonl")
        #expect(match.count == 3)
        #expect(match[0]["assert"] == [["type": "starts-with", "value": "time"]])
        #expect(match[0]["expected"] == "time")
        #expect(match[0]["input"]?.arrayValue?.count == 2)
        #expect(match[2]["assert"] == [["type": "regex", "value": #"\A\s*(?:15|2015)"#]])

        let fuzzy = try ImportFixtures.cases(result, "golden-datasets/test-fuzzy-match/samples.jsonl")
        #expect(fuzzy.count == 2)
        #expect(fuzzy[1]["assert"] == [["type": "contains-any", "value": ["4", "four"], "case_sensitive": false]])
        #expect(result.diagnostics.contains { $0.message.contains("FuzzyMatch mapped to contains-any") && $0.location.line == 16 })
        #expect(
            result.diagnostics.contains {
                $0.message == "sample skipped: it has no 'ideal' answer" && $0.location.description.hasSuffix("test_fuzzy_match/samples.jsonl:3")
            })

        let includes = try ImportFixtures.cases(result, "golden-datasets/test-includes/samples.jsonl")
        #expect(includes[0]["assert"] == [["type": "contains", "value": "Paris"]])
        #expect(result.variables == ["OPENAI_API_KEY"])
    }

    @Test func modelGradedSpecsAndJsonMatch() throws {
        let result = try convert("graded.yaml")
        #expect(result.pipelines == ["pipelines/refund-policy-closedqa.yaml", "pipelines/refund-policy-fact.yaml", "pipelines/order-json.yaml"])
        _ = try ImportFixtures.writeAndValidate(result)
        let closedQA = try ImportFixtures.cases(result, "golden-datasets/refund-policy-closedqa/samples.jsonl")
        #expect(
            closedQA[0]["assert"] == [
                ["type": "closed-qa", "value": "Is the answer consistent with the refund policy in the expert answer?", "metric": "correctness"]
            ])
        let fact = try ImportFixtures.cases(result, "golden-datasets/refund-policy-fact/samples.jsonl")
        #expect(fact[1]["assert"] == [["type": "factuality"]])
        #expect(fact[1]["expected"] == "Only when the item arrived damaged or wrong.")
        let json = try ImportFixtures.cases(result, "golden-datasets/order-json/samples.jsonl")
        #expect(json[0]["assert"] == [["type": "equals", "value": ["order_id": "A-1", "status": "shipped"]]])
        #expect(result.file("pipelines/refund-policy-fact.yaml")?.contents.contains("judge:") == true)
        #expect(result.file("pipelines/order-json.yaml")?.contents.contains("judge:") == false)
        let humor = try #require(result.diagnostics.first { $0.message.contains("refund-policy-humor") })
        #expect(humor.message.contains("model-graded spec 'humor' has no evalgate equivalent"))
        #expect(humor.location.line == 36)
    }

    @Test func unknownClassWritesNothing() {
        let error = #expect(throws: InvalidInputError.self) { try convert("custom.yaml") }
        let messages = error?.diagnostics.map(\.description) ?? []
        #expect(
            messages.contains {
                $0.contains(
                    "custom.yaml:5:10: warning: eval 'travel-planner' skipped: unknown evals class 'evals.elsuite.travel.planner:TravelPlannerEval'")
            })
        #expect(messages.contains { $0.contains("error: no eval could be converted; no files written") })
    }

    @Test func oneEvalByNameWithAnotherEndpoint() throws {
        let result = try convert(
            "test-basic.yaml",
            options: .init(name: "phrases", eval: "test-match", endpoint: "http://127.0.0.1:8080/v1/chat/completions", model: "local"))
        #expect(result.pipelines == ["pipelines/phrases.yaml"])
        #expect(result.variables.isEmpty)
        let folder = try ImportFixtures.writeAndValidate(result)
        let endpoint = try PipelineLoader(variables: [:]).load(path: folder.file("pipelines/phrases.yaml")).definition.agent.endpoint
        #expect(endpoint.url == "http://127.0.0.1:8080/v1/chat/completions")
        #expect(endpoint.model == "local")
        #expect(endpoint.headers.isEmpty)
    }
}
