import Foundation
import Testing

@testable import EvalGateKit

/// Builds specs, answers and inputs for scorer tests in one line each.
enum ScoringFixtures {
    static func spec(
        _ type: String, _ value: JSONValue? = nil, negated: Bool = false, threshold: Double? = nil,
        weight: Double = 1, options: [String: JSONValue] = [:]
    ) -> ScorerSpec {
        ScorerSpec(type: type, negated: negated, value: value, threshold: threshold, weight: weight, options: options)
    }

    static func input(
        _ text: String, json: JSONValue? = nil, steps: [TrajectoryStep] = [], end: Trajectory.End = .answered,
        expected: JSONValue? = nil, latency: Double = 0, cost: Double? = nil
    ) -> ScoringInput {
        ScoringInput(
            goldenCase: GoldenCase(id: "case-1", input: .text("question"), expected: expected),
            answer: AgentAnswer(text: text, json: json, trajectory: Trajectory(steps: steps, end: end)),
            latencyMilliseconds: latency, cost: cost)
    }

    /// One step per call, in order.
    static func calls(_ calls: (String, JSONValue)...) -> [TrajectoryStep] {
        calls.enumerated().map { index, call in
            TrajectoryStep(toolCalls: [ToolCall(id: "call-\(index)", name: call.0, arguments: call.1)])
        }
    }

    /// Builds the scorer for `spec` and runs it on `input`; the spec must be valid.
    static func outcome(_ spec: ScorerSpec, _ input: ScoringInput, expected: JSONValue? = nil) throws -> ScoreOutcome {
        try ScorerRegistry.makeDeterministic(spec, expected: expected ?? input.goldenCase.expected).evaluate(input)
    }

    static func outcome(_ spec: ScorerSpec, answer: String, expected: JSONValue? = nil) throws -> ScoreOutcome {
        try outcome(spec, input(answer, expected: expected), expected: expected)
    }

    /// The configuration error `spec` produces; records a test failure when it produces none.
    static func configurationError(_ spec: ScorerSpec, expected: JSONValue? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation)
        -> ScorerConfigurationError?
    {
        do {
            _ = try ScorerRegistry.makeDeterministic(spec, expected: expected)
            Issue.record("expected a configuration error for \(spec.displayName)", sourceLocation: sourceLocation)
            return nil
        } catch let error as ScorerConfigurationError {
            return error
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// About 10 MB of prose with markup and control characters, built once.
    static let hugeAnswer: String = {
        let line = "Thank you for contacting us.\u{7} <div class=\"x\">Order status</div>\t\u{1B}[31mred\u{1B}[0m «ünïcödé» 🚀\n"
        return String(repeating: line, count: 10_000_000 / line.utf8.count + 1)
    }()
}

/// One row of a scorer table: an answer, whether it should pass, and words the reason must contain.
struct ScorerCase: Sendable, CustomTestStringConvertible {
    var spec: ScorerSpec
    var input: ScoringInput
    var passes: Bool
    var reason: String
    var expected: JSONValue?

    init(_ spec: ScorerSpec, _ answer: String, passes: Bool, reason: String, expected: JSONValue? = nil) {
        self.spec = spec
        self.input = ScoringFixtures.input(answer, expected: expected)
        self.passes = passes
        self.reason = reason
        self.expected = expected
    }

    init(_ spec: ScorerSpec, input: ScoringInput, passes: Bool, reason: String) {
        self.spec = spec
        self.input = input
        self.passes = passes
        self.reason = reason
        self.expected = input.goldenCase.expected
    }

    var testDescription: String {
        "\(spec.displayName) \(passes ? "passes" : "fails") on \(ReasonText.quote(input.answer.text, limit: 30))"
    }

    /// Runs the row and checks outcome, score and reason.
    func check(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let outcome = try ScoringFixtures.outcome(spec, input, expected: expected)
        #expect(outcome.passed == passes, "\(outcome.reason)", sourceLocation: sourceLocation)
        #expect(outcome.reason.contains(reason), "reason was: \(outcome.reason)", sourceLocation: sourceLocation)
        #expect((0...1).contains(outcome.score), sourceLocation: sourceLocation)
        #expect(!outcome.reason.contains("\n"), sourceLocation: sourceLocation)
    }
}
