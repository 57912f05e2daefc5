import Foundation
import Testing

@testable import EvalGateKit

private typealias F = ScoringFixtures

/// Every deterministic scorer must stay total and quick on answers built to break it.
@Suite("Hostile answers")
struct HostileAnswerTests {
    static let specs: [ScorerSpec] = [
        F.spec("equals", "ok"), F.spec("equals", ["a": 1]), F.spec("equals", "ok", options: ["case_sensitive": false]),
        F.spec("contains", "needle"), F.spec("icontains", "NEEDLE"), F.spec("contains-any", ["a-b-c", "needle"]),
        F.spec("contains-all", ["Order", "needle"]), F.spec("starts-with", "Thank"), F.spec("regex", #"(\w+\s?)+$"#),
        F.spec("is-json"), F.spec("json-schema", ["type": "object"]), F.spec("json-field", "x", options: ["pointer": "/a"]),
        F.spec("numeric", 42), F.spec("levenshtein", "Thank you"), F.spec("rouge-l", "thank you for contacting us"),
        F.spec("token-f1", "order status"), F.spec("refusal"), F.spec("latency", 100), F.spec("cost", 1),
        F.spec("tool-called", "x"), F.spec("tool-not-called", "x"), F.spec("tool-args", options: ["tool": "x", "args": ["a": 1]]),
        F.spec("tool-sequence", ["x"]), F.spec("max-steps", 3), F.spec("contains", "needle", negated: true),
    ]

    static let controlCharacters = "\u{0}\u{1}\u{7}\u{8}\u{1B}[2J\u{7F}\u{85}\u{202E}evil\u{FEFF}\r\n\t" + String(repeating: "\u{301}", count: 50)

    @Test(arguments: specs)
    func tenMegabyteAnswer(_ spec: ScorerSpec) throws {
        let start = ContinuousClock.now
        let outcome = try F.outcome(spec, F.input(ScoringFixtures.hugeAnswer, cost: 0.5))
        #expect(ContinuousClock.now - start < .seconds(30), "\(spec.displayName) took too long")
        #expect((0...1).contains(outcome.score))
        #expect(outcome.reason.count < 600, "\(spec.displayName): \(outcome.reason.count) characters")
        #expect(!outcome.reason.contains("\n"))
    }

    @Test(arguments: specs)
    func controlCharactersAndMarkup(_ spec: ScorerSpec) throws {
        let answer = Self.controlCharacters + "<script>alert('x')</script>" + Self.controlCharacters
        let outcome = try F.outcome(spec, F.input(answer, json: nil))
        #expect((0...1).contains(outcome.score))
        #expect(!outcome.reason.contains("\n"))
        #expect(!outcome.reason.contains("\u{0}"))
        #expect(!outcome.reason.contains("\u{1B}"))
    }

    @Test(arguments: specs)
    func invalidAndDeeplyNestedJSON(_ spec: ScorerSpec) throws {
        for answer in [
            "{\"a\": ", "{\"a\": 1}}", String(repeating: "[", count: 600) + String(repeating: "]", count: 600), "```json\n{\n```", "\u{FFFD}\u{0}",
        ] {
            let outcome = try F.outcome(spec, F.input(answer))
            #expect((0...1).contains(outcome.score))
            if ["is-json", "json-schema", "json-field"].contains(spec.type) {
                #expect(!outcome.passed, "\(spec.displayName) passed on \(ReasonText.quote(answer, limit: 20))")
            }
        }
    }

    @Test func quotedReasonsAreTruncatedAndEscaped() throws {
        let outcome = try F.outcome(F.spec("equals", "short"), answer: String(repeating: "é\n", count: 1000))
        #expect(outcome.reason.contains("…"))
        #expect(outcome.reason.contains(#"é\né\n"#))
        #expect(outcome.reason.count < 200)
    }
}
