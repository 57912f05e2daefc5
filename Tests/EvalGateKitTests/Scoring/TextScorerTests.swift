import Testing

@testable import EvalGateKit

private typealias F = ScoringFixtures

@Suite("Text scorers")
struct TextScorerTests {
    static let equalsCases: [ScorerCase] = [
        ScorerCase(F.spec("equals", "refund_denied"), "refund_denied", passes: true, reason: "answer equals 'refund_denied'"),
        ScorerCase(F.spec("equals", "refund_denied"), "  refund_denied \n", passes: true, reason: "equals"),
        ScorerCase(F.spec("equals", "refund_denied"), "refund_issued", passes: false, reason: "expected 'refund_denied', got 'refund_issued'"),
        ScorerCase(F.spec("equals", "Refund_Denied"), "refund_denied", passes: false, reason: "differs only in letter case"),
        ScorerCase(F.spec("equals", "Refund_Denied", options: ["case_sensitive": false]), "refund_denied", passes: true, reason: "equals"),
        ScorerCase(F.spec("equals"), "Paris", passes: true, reason: "'Paris'", expected: "Paris"),
        ScorerCase(F.spec("equals", 42), "42", passes: true, reason: "answer equals 42"),
        ScorerCase(F.spec("equals", 42), "42.0", passes: true, reason: "equals 42"),
        ScorerCase(F.spec("equals", 42), "forty-two", passes: false, reason: "expected 42, got 'forty-two'"),
        ScorerCase(F.spec("equals", ["status": "ok", "n": 1]), #"{"n": 1, "status": "ok"}"#, passes: true, reason: "equals"),
        ScorerCase(F.spec("equals", ["status": "ok"]), "```json\n{\"status\": \"ok\"}\n```", passes: true, reason: "equals"),
        ScorerCase(F.spec("equals", ["status": "ok"]), #"{"status": "no"}"#, passes: false, reason: #"got {"status":"no"}"#),
        ScorerCase(
            F.spec("equals", .string(String(repeating: "a", count: 100) + "b")), String(repeating: "a", count: 100) + "c",
            passes: false, reason: "first difference at character 101"),
    ]

    @Test(arguments: equalsCases)
    func equals(_ row: ScorerCase) throws { try row.check() }

    static let containsCases: [ScorerCase] = [
        ScorerCase(F.spec("contains", "order A-10023"), "Your order A-10023 ships today.", passes: true, reason: "answer contains 'order A-10023'"),
        ScorerCase(
            F.spec("contains", "order A-10023"), "Your order a-10023 ships.", passes: false, reason: "answer does not contain 'order A-10023'"),
        ScorerCase(F.spec("contains"), "It is Paris.", passes: true, reason: "'Paris'", expected: "Paris"),
        ScorerCase(F.spec("contains", 42), "The answer is 42.", passes: true, reason: "contains '42'"),
        ScorerCase(F.spec("icontains", "ORDER a-10023"), "Your order A-10023 ships.", passes: true, reason: "contains 'ORDER a-10023'"),
        ScorerCase(F.spec("icontains", "refund"), "No money back.", passes: false, reason: "does not contain 'refund' (ignoring case)"),
        ScorerCase(F.spec("contains-any", ["refund", "credit"]), "We will credit you.", passes: true, reason: "contains 'credit'"),
        ScorerCase(F.spec("contains-any", ["refund", "credit"]), "Nothing to do.", passes: false, reason: "contains none of 'refund', 'credit'"),
        ScorerCase(F.spec("contains-any", ["REFUND"], options: ["case_sensitive": false]), "refund issued", passes: true, reason: "'REFUND'"),
        ScorerCase(F.spec("contains-all", ["order", "refund"]), "order refund", passes: true, reason: "contains all of 'order', 'refund'"),
        ScorerCase(
            F.spec("contains-all", ["order", "refund", "date"]), "order only", passes: false, reason: "missing 'refund', 'date' (found 1 of 3)"),
        ScorerCase(F.spec("starts-with", "Hello"), "  Hello there", passes: true, reason: "starts with 'Hello'"),
        ScorerCase(F.spec("starts-with", "Hello"), "Hi there", passes: false, reason: "answer starts with 'Hi th', not 'Hello'"),
        ScorerCase(F.spec("starts-with", "hello", options: ["case_sensitive": false]), "HELLO world", passes: true, reason: "starts with"),
        ScorerCase(F.spec("starts-with", "Hello"), "   ", passes: false, reason: "answer is empty"),
        ScorerCase(F.spec("starts-with"), "Dear customer, ...", passes: true, reason: "'Dear customer'", expected: "Dear customer"),
    ]

    @Test(arguments: containsCases)
    func contains(_ row: ScorerCase) throws { try row.check() }

    static let regexCases: [ScorerCase] = [
        ScorerCase(F.spec("regex", #"ORD-\d{5}"#), "Ref ORD-12345 ok", passes: true, reason: #"matches /ORD-\d{5}/ at 'ORD-12345'"#),
        ScorerCase(F.spec("regex", #"^ORD-\d{5}$"#), "Ref ORD-12345 ok", passes: false, reason: #"does not match /^ORD-\d{5}$/"#),
        ScorerCase(F.spec("regex", "refund", options: ["flags": "i"]), "REFUND", passes: true, reason: "/refund/i"),
        ScorerCase(F.spec("regex", "^b$", options: ["flags": "m"]), "a\nb\nc", passes: true, reason: "at 'b'"),
        ScorerCase(F.spec("regex", "a.b", options: ["flags": "s"]), "a\nb", passes: true, reason: #"at 'a\nb'"#),
    ]

    @Test(arguments: regexCases)
    func regex(_ row: ScorerCase) throws { try row.check() }

    @Test func regexStopsBacktrackingPatternsWithinTheTimeLimit() throws {
        let scorer = RegexScorer(regex: try BoundedRegex(pattern: "((a+)+)+b", timeLimit: 0.2), flags: "")
        let start = ContinuousClock.now
        let verdict = scorer.verdict(for: F.input(String(repeating: "a", count: 5_000) + "c"))
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(verdict.inconclusive)
        #expect(!verdict.passed)
        #expect(verdict.reason.contains("took longer than 0.2 s"))
    }

    @Test func negatedRegexTimeoutStillFails() throws {
        let negated = NegatedScorer(base: RegexScorer(regex: try BoundedRegex(pattern: "((a+)+)+b", timeLimit: 0.1), flags: ""), name: "not-regex")
        let outcome = negated.evaluate(F.input(String(repeating: "a", count: 5_000) + "c"))
        #expect(!outcome.passed)
        #expect(outcome.score == 0)
        #expect(outcome.reason.hasPrefix("not-regex: matching"))
    }

    @Test func regexSearchesOnlyTheFirstMebibyte() throws {
        let answer = String(repeating: "x", count: BoundedRegex.inputLimit) + "NEEDLE"
        let outcome = try F.outcome(F.spec("regex", "NEEDLE"), answer: answer)
        #expect(!outcome.passed)
        #expect(outcome.reason.contains("in its first 1 MiB; the other 6 bytes were not searched"))
        let forbidden = try F.outcome(F.spec("regex", "NEEDLE", negated: true), answer: answer)
        #expect(!forbidden.passed, "a forbidden pattern beyond the searched part must not pass")
        #expect(forbidden.score == 0)
    }

    static let refusalCases: [ScorerCase] = [
        ScorerCase(F.spec("refusal"), "I can't help with that request.", passes: true, reason: "answer is a refusal ('I can't')"),
        ScorerCase(F.spec("refusal"), "I’m not able to share account details.", passes: true, reason: "'I’m not able to'"),
        ScorerCase(F.spec("refusal"), "Sorry, I cannot do that.", passes: true, reason: "'I cannot'"),
        ScorerCase(F.spec("refusal"), "I WON'T process this.", passes: true, reason: "'I WON'T'"),
        ScorerCase(F.spec("refusal"), "We are unable to help with refunds.", passes: true, reason: "'unable to help'"),
        ScorerCase(F.spec("refusal"), "That is against policy.", passes: true, reason: "'against policy'"),
        ScorerCase(F.spec("refusal"), "I'm not allowed to share that.", passes: true, reason: "refusal"),
        ScorerCase(F.spec("refusal"), "Your refund of $40 was issued.", passes: false, reason: "answer is not a refusal"),
        ScorerCase(F.spec("refusal"), "The wifi can't reach the router.", passes: false, reason: "no refusal phrasing"),
        ScorerCase(F.spec("refusal"), "You are not allowed to return opened items.", passes: false, reason: "not a refusal"),
        ScorerCase(F.spec("refusal"), "", passes: false, reason: "not a refusal"),
    ]

    @Test(arguments: refusalCases)
    func refusal(_ row: ScorerCase) throws { try row.check() }

    static let numericCases: [ScorerCase] = [
        ScorerCase(F.spec("numeric", 42), "The total is 42 items.", passes: true, reason: "found 42, expected 42"),
        ScorerCase(F.spec("numeric", 42), "The total is 41.", passes: false, reason: "expected 42, got 41"),
        ScorerCase(F.spec("numeric", 42, options: ["tolerance": 1]), "about 41", passes: true, reason: "expected 42 ± 1"),
        ScorerCase(F.spec("numeric", 100, options: ["relative_tolerance": 0.05]), "104.9", passes: true, reason: "± 5"),
        ScorerCase(F.spec("numeric", 100, options: ["relative_tolerance": 0.05]), "106", passes: false, reason: "got 106"),
        ScorerCase(F.spec("numeric", 1234.5), "That costs $1,234.50 in total", passes: true, reason: "found 1,234.50"),
        ScorerCase(F.spec("numeric", -3), "Temperature: -3 degrees", passes: true, reason: "found -3"),
        ScorerCase(F.spec("numeric", 10023), "Order A-10023 is late", passes: true, reason: "found 10023"),
        ScorerCase(F.spec("numeric", 0.5), "ratio .5", passes: true, reason: "found .5"),
        ScorerCase(F.spec("numeric", 42), "no digits here", passes: false, reason: "answer contains no number; expected 42"),
        ScorerCase(F.spec("numeric"), "It's 7.", passes: true, reason: "found 7", expected: "7"),
        ScorerCase(F.spec("numeric", "12"), "12", passes: true, reason: "expected 12"),
    ]

    @Test(arguments: numericCases)
    func numeric(_ row: ScorerCase) throws { try row.check() }

    @Test func numericReadsAStructuredNumberAnswer() throws {
        let outcome = try F.outcome(F.spec("numeric", 3), F.input("3.0", json: 3))
        #expect(outcome.passed)
    }
}
