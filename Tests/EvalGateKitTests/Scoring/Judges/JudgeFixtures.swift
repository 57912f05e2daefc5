import EvalGateTestSupport
import Foundation
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// Judge definitions, inputs and kb-agent pipelines for model-graded scoring tests against the
/// reference agent's deterministic judges.
enum JudgeFixtures {
    static let question = "How many PTO days do I get per year?"
    static let handbookAnswer = "Full-time employees get 25 days of paid time off (PTO) per year, accrued monthly."

    static func definition(
        _ agent: RunningReferenceAgent, models: [String], combine: JudgeDefinition.Combine = .majority, timeout: Double = 5,
        retries: Int = 1, cache: Bool = true, headers: [String: String] = [:]
    ) -> JudgeDefinition {
        JudgeDefinition(
            panel: models.map { JudgeDefinition.Model(url: agent.chatCompletionsURL, model: $0, headers: headers) }, combine: combine,
            embeddings: JudgeDefinition.Model(url: agent.baseURL + "/v1/embeddings", model: "embed-small", headers: headers),
            timeout: timeout, retries: retries, reviewBand: 0.1, cache: cache)
    }

    /// Runs `body` with a scorer that is shut down afterwards, also when `body` throws.
    static func withScorer<Result>(
        _ definition: JudgeDefinition, cacheFolder: String? = nil, _ body: (JudgeScorer) async throws -> Result
    ) async throws -> Result {
        let scorer = JudgeScorer(definition: definition, cacheFolder: cacheFolder)
        do {
            let result = try await body(scorer)
            await scorer.shutdown()
            return result
        } catch {
            await scorer.shutdown()
            throw error
        }
    }

    static func input(_ answer: String, question: String = question, expected: JSONValue? = nil) -> ScoringInput {
        ScoringInput(goldenCase: GoldenCase(id: "case-1", input: .text(question), expected: expected), answer: AgentAnswer(text: answer))
    }

    static func spec(_ type: String, _ value: JSONValue? = nil, threshold: Double? = nil, options: [String: JSONValue] = [:]) -> ScorerSpec {
        ScorerSpec(type: type, value: value, threshold: threshold, options: options)
    }

    /// Calls the judge `model` received.
    static func calls(_ agent: RunningReferenceAgent, _ model: String) async -> Int {
        await agent.statistics().byAgent[model, default: 0]
    }

    /// A kb-agent pipeline; `judge` is the YAML of the `judge` section (indented by two spaces per level).
    static func pipeline(_ agent: RunningReferenceAgent, headers: String = "{}", judge: String? = nil, extra: String = "") -> String {
        """
        version: 1
        agent:
          name: kb-agent
          version: "1.0.0"
          risk_tier: 1
          endpoint:
            type: openai-chat
            url: \(agent.chatCompletionsURL)
            model: kb-agent
            headers: \(headers)
            timeout: 5s
            retries: 0
            max_concurrency: 2
        datasets: [cases.jsonl]
        baseline: {from: none}
        \(judge.map { "judge:\n\($0)" } ?? "")
        \(extra)
        """
    }

    /// A `judge` section with `models` on the panel.
    static func judgeYAML(_ agent: RunningReferenceAgent, models: [String], combine: String = "majority", retries: Int = 1, cache: Bool = true)
        -> String
    {
        var lines = ["  panel:"]
        for model in models { lines.append("    - {url: \"\(agent.chatCompletionsURL)\", model: \(model)}") }
        lines.append("  combine: \(combine)")
        lines.append("  embeddings: {url: \"\(agent.baseURL)/v1/embeddings\", model: embed-small}")
        lines.append("  timeout: 5s")
        lines.append("  retries: \(retries)")
        lines.append("  review_band: 0.1")
        lines.append("  cache: \(cache)")
        return lines.joined(separator: "\n")
    }

    /// Runs the fixture's pipeline with a `JudgeScorer` built from its own `judge` section, caching in
    /// `<home>/judge-cache` as the evaluation will.
    static func evaluate(_ fixture: PipelineFixture) async throws -> PipelineEvaluation.Result {
        let loaded = try PipelineLoader(variables: [:]).load(path: fixture.pipelinePath)
        let definition = try #require(loaded.definition.judge)
        let scorer = JudgeScorer(definition: definition, cacheFolder: cacheFolder(fixture))
        do {
            let result = try await PipelineEvaluation(pipelinePath: fixture.pipelinePath, settings: fixture.settings(), judge: scorer).run()
            await scorer.shutdown()
            return result
        } catch {
            await scorer.shutdown()
            throw error
        }
    }

    static func cacheFolder(_ fixture: PipelineFixture) -> String {
        (fixture.home as NSString).appendingPathComponent("judge-cache")
    }
}
