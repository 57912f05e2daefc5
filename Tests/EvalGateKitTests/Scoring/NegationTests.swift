import Testing

@testable import EvalGateKit

private typealias F = ScoringFixtures

@Suite("Negated scorers")
struct NegationTests {
    static let cases: [ScorerCase] = [
        ScorerCase(
            F.spec("contains", "internal-only", negated: true), "This is internal-only data", passes: false,
            reason: "not-contains: found forbidden 'internal-only'"),
        ScorerCase(
            F.spec("contains", "internal-only", negated: true), "Public answer", passes: true,
            reason: "not-contains: answer does not contain 'internal-only'"),
        ScorerCase(F.spec("icontains", "SECRET", negated: true), "a secret", passes: false, reason: "not-icontains: found forbidden 'SECRET'"),
        ScorerCase(
            F.spec("contains-any", ["ssn", "password"], negated: true), "your password is", passes: false,
            reason: "not-contains-any: found forbidden 'password'"),
        ScorerCase(F.spec("contains-all", ["a", "b"], negated: true), "only a", passes: true, reason: "not-contains-all: answer is missing 'b'"),
        ScorerCase(F.spec("equals", "yes", negated: true), "yes", passes: false, reason: "not-equals: answer equals forbidden 'yes'"),
        ScorerCase(
            F.spec("starts-with", "Sorry", negated: true), "Sorry, no", passes: false, reason: "not-starts-with: answer starts with forbidden 'Sorry'"
        ),
        ScorerCase(
            F.spec("regex", #"\d{3}-\d{2}-\d{4}"#, negated: true), "SSN 123-45-6789", passes: false,
            reason: #"not-regex: found forbidden match '123-45-6789' for /\d{3}-\d{2}-\d{4}/"#),
        ScorerCase(F.spec("refusal", negated: true), "I cannot help with that.", passes: false, reason: "not-refusal: answer refuses ('I cannot')"),
        ScorerCase(F.spec("refusal", negated: true), "Here is your refund.", passes: true, reason: "not-refusal: answer is not a refusal"),
        ScorerCase(F.spec("is-json", negated: true), "plain text", passes: true, reason: "not-is-json: answer is not valid JSON"),
        ScorerCase(F.spec("is-json", negated: true), "{}", passes: false, reason: "not-is-json: answer is JSON (object), which is forbidden"),
        ScorerCase(F.spec("numeric", 0, negated: true), "0 items", passes: false, reason: "not-numeric: found 0, the forbidden 0"),
        ScorerCase(
            F.spec("json-schema", ["type": "object"], negated: true), "[1]", passes: true,
            reason: "not-json-schema: answer does not match the JSON schema"),
    ]

    @Test(arguments: cases)
    func negated(_ row: ScorerCase) throws { try row.check() }

    @Test(arguments: [
        (JSONValue.string("internal-only"), "This is internal-only data"),
        (JSONValue.string("internal-only"), "Public answer"),
    ])
    func negationInvertsScoreAndOutcome(_ value: JSONValue, _ answer: String) throws {
        let plain = try F.outcome(F.spec("contains", value), answer: answer)
        let negated = try F.outcome(F.spec("contains", value, negated: true), answer: answer)
        #expect(negated.passed == !plain.passed)
        #expect(negated.score == 1 - plain.score)
    }

    @Test func typeWrittenWithNotPrefixIsFoldedIntoNegation() throws {
        let outcome = try F.outcome(ScorerSpec(type: "not-contains", value: "x"), answer: "x marks")
        #expect(!outcome.passed)
        #expect(outcome.reason == "not-contains: found forbidden 'x'")
    }
}
