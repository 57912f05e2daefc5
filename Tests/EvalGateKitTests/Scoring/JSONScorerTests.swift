import Testing

@testable import EvalGateKit

private typealias F = ScoringFixtures

@Suite("JSON scorers")
struct JSONScorerTests {
    static let isJSONCases: [ScorerCase] = [
        ScorerCase(F.spec("is-json"), #"{"status": "ok"}"#, passes: true, reason: "answer is valid JSON (object)"),
        ScorerCase(F.spec("is-json"), " [1, 2, 3] ", passes: true, reason: "valid JSON (array)"),
        ScorerCase(
            F.spec("is-json"), "Here you go:\n```json\n{\"a\": 1}\n```\nThanks", passes: true, reason: "valid JSON (object) in a ```json block"),
        ScorerCase(F.spec("is-json"), "```\n[true]\n```", passes: true, reason: "in a ```json block"),
        ScorerCase(F.spec("is-json"), "```python\nprint(1)\n```", passes: false, reason: "answer is not valid JSON"),
        ScorerCase(F.spec("is-json"), "```json\n{oops}\n```", passes: false, reason: "the ```json block in the answer is not valid JSON"),
        ScorerCase(F.spec("is-json"), #"{"status": "ok""#, passes: false, reason: "answer is not valid JSON ("),
        ScorerCase(F.spec("is-json"), "", passes: false, reason: "answer is empty, not JSON"),
        ScorerCase(F.spec("is-json"), String(repeating: "[", count: 100_000), passes: false, reason: "not valid JSON"),
    ]

    @Test(arguments: isJSONCases)
    func isJSON(_ row: ScorerCase) throws { try row.check() }

    @Test func isJSONAcceptsAStructuredAnswer() throws {
        let outcome = try F.outcome(F.spec("is-json"), F.input("", json: ["a": 1]))
        #expect(outcome.passed)
        #expect(outcome.reason.contains("structured answer is valid JSON"))
    }

    static let refundSchema: JSONValue = [
        "type": "object",
        "required": ["status", "amount"],
        "properties": [
            "status": ["enum": ["refund_issued", "refund_denied"]],
            "amount": ["type": "number", "minimum": 0],
        ],
        "additionalProperties": false,
    ]

    static let schemaCases: [ScorerCase] = [
        ScorerCase(
            F.spec("json-schema", refundSchema), #"{"status": "refund_denied", "amount": 0}"#, passes: true, reason: "answer matches the JSON schema"),
        ScorerCase(
            F.spec("json-schema", refundSchema), #"{"status": "maybe", "amount": 5}"#, passes: false,
            reason: "/status: expected one of 'refund_issued', 'refund_denied', got 'maybe'"),
        ScorerCase(
            F.spec("json-schema", refundSchema), #"{"status": "refund_denied"}"#, passes: false, reason: "/amount: required property is missing"),
        ScorerCase(
            F.spec("json-schema", refundSchema), #"{"status": "refund_denied", "amount": -1, "note": "x"}"#, passes: false,
            reason: "/amount: -1 is below the minimum 0; /note: property is not allowed"),
        ScorerCase(F.spec("json-schema", refundSchema), "[]", passes: false, reason: "(root): expected object, got array"),
        ScorerCase(F.spec("json-schema", refundSchema), "not json", passes: false, reason: "answer is not valid JSON"),
        ScorerCase(
            F.spec("json-schema", refundSchema), "```json\n{\"status\": \"refund_issued\", \"amount\": 3}\n```", passes: true,
            reason: "```json block in the answer matches"),
    ]

    @Test(arguments: schemaCases)
    func jsonSchema(_ row: ScorerCase) throws { try row.check() }

    @Test func jsonSchemaReasonCountsTheViolationsItDoesNotShow() throws {
        let schema: JSONValue = ["type": "object", "required": ["a", "b", "c", "d", "e"]]
        let outcome = try F.outcome(F.spec("json-schema", schema), answer: "{}")
        #expect(outcome.reason.contains("/a: required property is missing; /b"))
        #expect(outcome.reason.hasSuffix("(and 2 more)"))
    }

    @Test func aSchemaPatternThatTimesOutIsUndecidedEvenWhenNegated() throws {
        let schema: JSONValue = ["properties": ["code": ["pattern": "((a+)+)+b"]]]
        let answer = #"{"code": ""# + String(repeating: "a", count: 5_000) + #"c"}"#
        let plain = try F.outcome(F.spec("json-schema", schema), answer: answer)
        #expect(!plain.passed)
        #expect(plain.reason.contains("could not be checked against the JSON schema: /code: matching the pattern /((a+)+)+b/ took too long"))
        let negated = try F.outcome(F.spec("json-schema", schema, negated: true), answer: answer)
        #expect(!negated.passed)
    }

    static let answer = #"{"status": "refund_denied", "amount": 12.5, "refund": {"state": "closed"}, "items": [{"sku": "A"}], "code": "12"}"#

    static let fieldCases: [ScorerCase] = [
        ScorerCase(
            F.spec("json-field", "refund_denied", options: ["pointer": "/status"]), answer, passes: true, reason: "/status is 'refund_denied'"),
        ScorerCase(
            F.spec("json-field", options: ["pointer": "/status", "equals": "refund_issued"]), answer, passes: false,
            reason: "/status: expected 'refund_issued', got 'refund_denied'"),
        ScorerCase(F.spec("json-field", options: ["pointer": "/items/0/sku", "equals": "A"]), answer, passes: true, reason: "/items/0/sku is 'A'"),
        ScorerCase(
            F.spec("json-field", options: ["pointer": "/status", "one_of": ["refund_denied", "escalated"]]), answer, passes: true,
            reason: "one of 'refund_denied', 'escalated'"),
        ScorerCase(
            F.spec("json-field", options: ["pointer": "/status", "one_of": ["escalated"]]), answer, passes: false,
            reason: "/status: expected one of 'escalated', got 'refund_denied'"),
        ScorerCase(
            F.spec("json-field", options: ["pointer": "/amount", "min": 0, "max": 20]), answer, passes: true,
            reason: "/amount is 12.5, between 0 and 20"),
        ScorerCase(
            F.spec("json-field", options: ["pointer": "/amount", "max": 10]), answer, passes: false, reason: "/amount: 12.5 is above the maximum 10"),
        ScorerCase(
            F.spec("json-field", options: ["pointer": "/amount", "min": 20]), answer, passes: false, reason: "/amount: 12.5 is below the minimum 20"),
        ScorerCase(F.spec("json-field", options: ["pointer": "/code", "min": 10]), answer, passes: true, reason: "/code is 12, at least 10"),
        ScorerCase(
            F.spec("json-field", options: ["pointer": "/status", "min": 0]), answer, passes: false,
            reason: "/status: expected a number at least 0, got the string 'refund_denied'"),
        ScorerCase(F.spec("json-field", 12, options: ["pointer": "/code"]), answer, passes: false, reason: "/code: expected 12, got '12'"),
        ScorerCase(
            F.spec("json-field", "closed", options: ["pointer": "/refund/stat"]), answer, passes: false,
            reason: "no value at /refund/stat in the answer (/refund has keys 'state'; did you mean 'state'?)"),
        ScorerCase(F.spec("json-field", "x", options: ["pointer": "/items/3/sku"]), answer, passes: false, reason: "(/items is an array of 1 item)"),
        ScorerCase(
            F.spec("json-field", "x", options: ["pointer": "/status/deeper"]), answer, passes: false,
            reason: "(/status is the string 'refund_denied')"),
        ScorerCase(F.spec("json-field", "x", options: ["pointer": "/status"]), "{oops", passes: false, reason: "answer is not valid JSON"),
    ]

    @Test(arguments: fieldCases)
    func jsonField(_ row: ScorerCase) throws { try row.check() }

    @Test func jsonFieldPrefersTheStructuredAnswer() throws {
        let input = F.input("ignored text", json: ["status": "ok"])
        let outcome = try F.outcome(F.spec("json-field", "ok", options: ["pointer": "/status"]), input)
        #expect(outcome.passed)
        #expect(outcome.reason == "/status is 'ok'")
    }

    @Test func negatedJSONFieldDoesNotPassOnAnAnswerThatIsNotJSON() throws {
        let outcome = try F.outcome(F.spec("json-field", "refund_issued", negated: true, options: ["pointer": "/status"]), answer: "I refunded it")
        #expect(!outcome.passed)
        #expect(outcome.score == 0)
        #expect(outcome.reason.hasPrefix("not-json-field: answer is not valid JSON"))
    }

    @Test func negatedJSONFieldPhrasesTheForbiddenValue() throws {
        let outcome = try F.outcome(F.spec("json-field", "refund_denied", negated: true, options: ["pointer": "/status"]), answer: Self.answer)
        #expect(!outcome.passed)
        #expect(outcome.reason == "not-json-field: /status is the forbidden 'refund_denied'")
    }
}
