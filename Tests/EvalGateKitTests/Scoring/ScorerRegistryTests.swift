import Testing

@testable import EvalGateKit

private typealias F = ScoringFixtures

@Suite("Scorer registry")
struct ScorerRegistryTests {
    @Test func typeListsAreDisjointAndComplete() {
        #expect(Set(ScorerRegistry.deterministicTypes).isDisjoint(with: ScorerRegistry.modelGradedTypes))
        #expect(ScorerRegistry.allTypes.count == Set(ScorerRegistry.allTypes).count)
        #expect(ScorerRegistry.modelGradedTypes == ["llm-rubric", "factuality", "closed-qa", "similar"])
        #expect(ScorerRegistry.allTypes.count == ScorerRegistry.deterministicTypes.count + 4)
    }

    /// A minimal valid spec for every deterministic type, so none is left unbuildable.
    static let validSpecs: [ScorerSpec] = [
        F.spec("equals", "x"), F.spec("contains", "x"), F.spec("icontains", "x"), F.spec("contains-any", ["x"]),
        F.spec("contains-all", ["x"]), F.spec("starts-with", "x"), F.spec("regex", "x"), F.spec("is-json"),
        F.spec("json-schema", ["type": "object"]), F.spec("json-field", "x", options: ["pointer": "/a"]), F.spec("numeric", 1),
        F.spec("levenshtein", "x"), F.spec("rouge-l", "x"), F.spec("token-f1", "x"), F.spec("refusal"), F.spec("latency", 10),
        F.spec("cost", 1), F.spec("tool-called", "x"), F.spec("tool-not-called", "x"),
        F.spec("tool-args", options: ["tool": "x", "args": ["a": 1]]), F.spec("tool-sequence", ["x"]), F.spec("max-steps", 3),
        F.spec("turns", 4), F.spec("tool-called-once", "x"), F.spec("asked-before", "shall i", options: ["tool": "x"]),
        F.spec("state", options: ["pointer": "/refunds", "count": 1]), F.spec("state-unchanged", "refunds"),
    ]

    @Test func everyDeterministicTypeHasAValidSpecInThisTable() {
        #expect(Set(Self.validSpecs.map(\.type)) == Set(ScorerRegistry.deterministicTypes))
    }

    @Test(arguments: validSpecs)
    func validSpecsBuildAndValidate(_ spec: ScorerSpec) throws {
        _ = try ScorerRegistry.makeDeterministic(spec, expected: nil)
        #expect(ScorerRegistry.validate(spec, expected: nil) == nil)
    }

    struct BadSpec: Sendable, CustomTestStringConvertible {
        var spec: ScorerSpec
        var expected: JSONValue?
        var message: String
        var hint: String?
        var testDescription: String { "\(spec.displayName): \(message)" }

        init(_ spec: ScorerSpec, expected: JSONValue? = nil, _ message: String, hint: String? = nil) {
            self.spec = spec
            self.expected = expected
            self.message = message
            self.hint = hint
        }
    }

    static let badSpecs: [BadSpec] = [
        BadSpec(F.spec("contians", "x"), "unknown scorer type", hint: "did you mean 'contains'?"),
        BadSpec(F.spec("contians", "x", negated: true), "unknown scorer type", hint: "did you mean 'not-contains'?"),
        BadSpec(ScorerSpec(type: "not-contians", value: "x"), "unknown scorer type", hint: "did you mean 'not-contains'?"),
        BadSpec(F.spec("frobnicate"), "unknown scorer type", hint: "known types: equals, contains"),
        BadSpec(F.spec("llm-rubric", "be nice"), "model-graded scorers cannot run as deterministic scorers"),
        BadSpec(F.spec("contains"), "missing value", hint: "or give the case an expected answer"),
        BadSpec(F.spec("contains", ["a", "b"]), "value must be text, not a list of 2 items", hint: "use contains-any or contains-all"),
        BadSpec(F.spec("contains", ""), "value is empty, so it would match every answer"),
        BadSpec(F.spec("contains"), expected: ["a": 1], "the case's expected answer is an object, not text"),
        BadSpec(F.spec("contains", "x", options: ["case_sensitive": false]), "unknown option 'case_sensitive'", hint: "contains takes no options"),
        BadSpec(F.spec("equals", "x", options: ["case_sensitve": false]), "unknown option 'case_sensitve'", hint: "did you mean 'case_sensitive'?"),
        BadSpec(F.spec("equals", "x", options: ["treshold": 0.5]), "unknown option 'treshold'", hint: "did you mean 'threshold'?"),
        BadSpec(F.spec("equals", "x", options: ["case_sensitive": "no"]), "option 'case_sensitive' must be true or false, not the string 'no'"),
        BadSpec(F.spec("equals"), "missing value", hint: "write value: <expected answer>"),
        BadSpec(F.spec("equals", "x", threshold: 0.5), "threshold has no effect, equals scores only 0 or 1", hint: "set the case's threshold"),
        BadSpec(F.spec("levenshtein", "x", threshold: 1.5), "threshold 1.5 is outside 0...1"),
        BadSpec(F.spec("rouge-l", "x", threshold: -0.1), "threshold -0.1 is outside 0...1"),
        BadSpec(F.spec("contains", "x", weight: -1), "weight -1 must be a number ≥ 0"),
        BadSpec(F.spec("contains-any", "x"), "value must be a list of texts, not the string 'x'", hint: "write value: [first, second]"),
        BadSpec(F.spec("contains-all", []), "value is an empty list"),
        BadSpec(F.spec("contains-all", ["a", ""]), "item 2 of value must be non-empty text"),
        BadSpec(F.spec("regex", "(abc"), "'(abc' is not a valid regular expression", hint: "escape literal characters"),
        BadSpec(F.spec("regex", "/abc(/i"), "is not a valid regular expression", hint: "without /slashes/"),
        BadSpec(F.spec("regex", "abc", options: ["flags": "iq"]), "unknown flag 'q' in flags 'iq'", hint: "i (ignore case)"),
        BadSpec(F.spec("regex"), "missing value (the pattern)"),
        BadSpec(F.spec("regex", 5), "value must be a pattern string, not the number 5"),
        BadSpec(F.spec("is-json", "x"), "takes no value, but has the string 'x'", hint: "remove value"),
        BadSpec(F.spec("refusal", options: ["phrases": ["no"]]), "unknown option 'phrases'", hint: "refusal takes no options; remove 'phrases'"),
        BadSpec(F.spec("json-schema"), "missing value (the JSON schema)"),
        BadSpec(F.spec("json-schema", "object"), "a JSON schema must be an object, not the string 'object'"),
        BadSpec(F.spec("json-schema", ["type": "strng"]), "schema at /type: 'strng' is not a JSON type", hint: "did you mean 'string'?"),
        BadSpec(
            F.spec("json-schema", ["type": "object", "requried": ["a"]]), "schema: unknown keyword 'requried'", hint: "did you mean 'required'?"),
        BadSpec(F.spec("json-field", "x"), "missing option 'pointer'", hint: "write pointer: /status"),
        BadSpec(F.spec("json-field", "x", options: ["pointer": "status"]), "'status' is not a JSON Pointer", hint: "write '/status'"),
        BadSpec(F.spec("json-field", "x", options: ["pointer": "$.refund.items[0]"]), "is not a JSON Pointer", hint: "write '/refund/items/0'"),
        BadSpec(F.spec("json-field", options: ["pointer": "/a"]), "nothing to check at /a", hint: "use equals: <value>, one_of: [a, b], or min/max"),
        BadSpec(F.spec("json-field", "x", options: ["pointer": "/a", "equals": "y"]), "both value and equals are given"),
        BadSpec(F.spec("json-field", options: ["pointer": "/a", "equals": "y", "min": 1]), "give only one of equals (or value), one_of, min/max"),
        BadSpec(F.spec("json-field", options: ["pointer": "/a", "min": 5, "max": 1]), "min 5 is greater than max 1", hint: "swap min and max"),
        BadSpec(F.spec("json-field", options: ["pointer": "/a", "one_of": []]), "option 'one_of' is an empty list"),
        BadSpec(F.spec("json-field", options: ["pointer": "/a", "min": "low"]), "option 'min' must be a number, not the string 'low'"),
        BadSpec(F.spec("numeric"), "missing value", hint: "write value: 42"),
        BadSpec(F.spec("numeric", "many"), "value must be a number, not the string 'many'"),
        BadSpec(F.spec("numeric"), expected: "no digits", "needs a value; the case's expected answer the string 'no digits' has no number"),
        BadSpec(F.spec("numeric", 1, options: ["tolerance": -1]), "option 'tolerance' must not be negative, got -1"),
        BadSpec(F.spec("numeric", 1, options: ["relative_tolerance": true]), "option 'relative_tolerance' must be a number, not the boolean true"),
        BadSpec(F.spec("rouge-l", "!!!"), "has no words to compare"),
        BadSpec(F.spec("token-f1", "The"), "has no words left after normalisation", hint: "articles a, an, the"),
        BadSpec(F.spec("latency"), "missing value (the maximum milliseconds)", hint: "write value: 2000"),
        BadSpec(F.spec("latency", "fast"), "value must be a number ≥ 0 (the maximum milliseconds), not the string 'fast'"),
        BadSpec(F.spec("cost", -1), "value must be a number ≥ 0 (the maximum cost)"),
        BadSpec(F.spec("tool-called"), "missing value (the tool name)"),
        BadSpec(F.spec("tool-called", ["a"]), "value must be a tool name, not a list of 1 item"),
        BadSpec(F.spec("tool-called", "x", options: ["min_times": 3, "max_times": 1]), "min_times 3 is greater than max_times 1"),
        BadSpec(F.spec("tool-called", "x", options: ["min_times": 1.5]), "option 'min_times' must be a whole number ≥ 0, got 1.5"),
        BadSpec(F.spec("tool-called", "x", options: ["min_times": 0]), "min_times 0 without max_times always passes", hint: "use tool-not-called"),
        BadSpec(F.spec("tool-not-called", "x", options: ["max_times": 1]), "unknown option 'max_times'"),
        BadSpec(F.spec("tool-args", options: ["args": ["a": 1]]), "missing option 'tool'"),
        BadSpec(F.spec("tool-args", options: ["tool": "x"]), "missing option 'args'", hint: "use tool-called"),
        BadSpec(F.spec("tool-args", options: ["tool": "x", "args": [1]]), "option 'args' must be an object, not a list of 1 item"),
        BadSpec(F.spec("tool-args", options: ["tool": "x", "args": [:]]), "option 'args' is empty and would match every call"),
        BadSpec(F.spec("tool-args", "y", options: ["tool": "x", "args": ["a": 1]]), "both value and tool name the tool"),
        BadSpec(F.spec("tool-sequence", ["a"], options: ["mode": "strict"]), "mode 'strict' is not 'ordered' or 'exact'"),
        BadSpec(F.spec("tool-sequence", ["a", 3]), "item 2 of value must be a tool name, not the number 3"),
        BadSpec(F.spec("max-steps", 2.5), "value must be a whole number of steps, not 2.5"),
    ]

    @Test(arguments: badSpecs)
    func configurationErrors(_ bad: BadSpec) throws {
        let error = try #require(ScoringFixtures.configurationError(bad.spec, expected: bad.expected))
        #expect(error.message.contains(bad.message), "message was: \(error.message)")
        if let hint = bad.hint {
            #expect(error.hint?.contains(hint) == true, "hint was: \(error.hint ?? "none")")
        }
        if !ScorerRegistry.modelGradedTypes.contains(bad.spec.type) {
            #expect(ScorerRegistry.validate(bad.spec, expected: bad.expected) == error)
        }
        #expect(!error.message.hasPrefix(bad.spec.displayName + ":"), "the pipeline validator already names the scorer")
    }

    @Test func valueFallsBackToTheCaseExpectedAnswer() throws {
        for type in ["equals", "contains", "icontains", "starts-with", "levenshtein", "rouge-l", "token-f1"] {
            let outcome = try F.outcome(F.spec(type), answer: "Paris", expected: "Paris")
            #expect(outcome.passed, "\(type): \(outcome.reason)")
        }
        #expect(try F.outcome(F.spec("numeric"), answer: "It is 12", expected: 12).passed)
    }

    @Test func specValueWinsOverTheExpectedAnswer() throws {
        let outcome = try F.outcome(F.spec("contains", "Lyon"), answer: "Paris", expected: "Paris")
        #expect(!outcome.passed)
        #expect(outcome.reason.contains("'Lyon'"))
    }

    @Test func typesWithoutFallbackIgnoreTheExpectedAnswer() {
        let error = ScoringFixtures.configurationError(F.spec("contains-any"), expected: "Paris")
        #expect(error?.message == "missing value")
    }

    struct ModelGraded: Sendable, CustomTestStringConvertible {
        var spec: ScorerSpec
        var expected: JSONValue?
        var problem: String?
        var testDescription: String { "\(spec.displayName) → \(problem ?? "valid")" }
    }

    static let modelGraded: [ModelGraded] = [
        ModelGraded(spec: F.spec("llm-rubric", "Politely declines"), problem: nil),
        ModelGraded(spec: F.spec("llm-rubric", options: ["rubric": "Politely declines"]), problem: nil),
        ModelGraded(spec: F.spec("llm-rubric", threshold: 0.7, options: ["rubric": "x", "provider": "judge"]), problem: nil),
        ModelGraded(spec: F.spec("llm-rubric"), problem: "missing value"),
        ModelGraded(spec: F.spec("llm-rubric", options: ["rubric": 3]), problem: "option 'rubric' must be non-empty text"),
        ModelGraded(spec: F.spec("llm-rubric", "a", options: ["rubric": "b"]), problem: "both value and rubric are given"),
        ModelGraded(spec: F.spec("llm-rubric", "a", threshold: 2), problem: "threshold 2 is outside 0...1"),
        ModelGraded(spec: F.spec("factuality"), expected: "Paris is the capital", problem: nil),
        ModelGraded(spec: F.spec("factuality"), problem: "missing value"),
        ModelGraded(spec: F.spec("similar", "reference text", threshold: 0.8), problem: nil),
        ModelGraded(spec: F.spec("similar"), expected: ["a": 1], problem: "the case's expected answer is an object, not text"),
        ModelGraded(spec: F.spec("closed-qa", "Mentions the refund window"), problem: nil),
        ModelGraded(spec: F.spec("closed-qa"), expected: "x", problem: "missing value"),
        ModelGraded(spec: F.spec("llm-rubric", "x", weight: .nan), problem: "weight NaN must be a number ≥ 0"),
    ]

    @Test(arguments: modelGraded)
    func modelGradedSpecsAreCheckedForShapeOnly(_ row: ModelGraded) {
        let problem = ScorerRegistry.validate(row.spec, expected: row.expected)
        if let expected = row.problem {
            #expect(problem?.message.contains(expected) == true, "got \(problem?.message ?? "no problem")")
        } else {
            #expect(problem == nil, "got \(problem?.message ?? "")")
        }
    }

    @Test(arguments: [("status", "/status"), ("$.a.b", "/a/b"), ("a.b[2]", "/a/b/2"), ("$['x']", "/x"), ("a/b", "/a/b")])
    func pointerSuggestions(_ written: String, _ suggested: String) {
        #expect(ScorerRegistry.suggestedPointer(written) == suggested)
    }
}
