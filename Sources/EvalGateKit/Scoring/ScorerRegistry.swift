import Foundation

/// The one place scorer specs become scorers: it knows every scorer type, checks a spec's value and
/// options before a run starts (this is what `evalgate validate` reports), and applies `not-` negation.
public enum ScorerRegistry {
    /// Scorer types run locally, without a model or network.
    public static let deterministicTypes = ScorerKind.allCases.filter { !$0.isModelGraded }.map(\.rawValue)

    /// Scorer types that ask a judge model; they are executed elsewhere and only validated here.
    public static let modelGradedTypes = ScorerKind.allCases.filter(\.isModelGraded).map(\.rawValue)

    /// Every scorer type an `assert` entry may name (without its `not-` prefix).
    public static var allTypes: [String] { ScorerKind.allCases.map(\.rawValue) }

    /// Builds the scorer for `spec`, negated when written `not-TYPE`.
    ///
    /// - Parameter expected: the case's reference answer, used as the value of `equals`, `contains`,
    ///   `icontains`, `starts-with`, `levenshtein`, `rouge-l`, `token-f1` and `numeric` when the spec has none.
    /// - Throws: `ScorerConfigurationError` with a hint when the spec cannot be run as written.
    public static func makeDeterministic(_ spec: ScorerSpec, expected: JSONValue?) throws -> any DeterministicScorer {
        let spec = normalized(spec)
        guard let kind = spec.kind else { throw unknownType(spec) }
        if kind.isModelGraded {
            throw ScorerConfigurationError(
                "model-graded scorers cannot run as deterministic scorers",
                hint: "model-graded scorers need a judge model; they are run by the model-graded scoring stage")
        }
        try checkCommonFields(spec)
        let base = try makeBase(spec, kind: kind, expected: expected)
        if kind == .toolNotCalled {
            return spec.negated ? base : NegatedScorer(base: base, name: spec.displayName)
        }
        return spec.negated ? NegatedScorer(base: base, name: spec.displayName) : base
    }

    /// The problem with `spec`, or `nil` when it can run. Model-graded specs are checked for the
    /// shape of their configuration only (a rubric for `llm-rubric`, a reference for `factuality`...).
    public static func validate(_ spec: ScorerSpec, expected: JSONValue?) -> ScorerConfigurationError? {
        let spec = normalized(spec)
        do {
            if let kind = spec.kind, kind.isModelGraded {
                try checkCommonFields(spec)
                try checkModelGraded(spec, kind: kind, expected: expected)
            } else {
                _ = try makeDeterministic(spec, expected: expected)
            }
            return nil
        } catch let error as ScorerConfigurationError {
            return error
        } catch {
            return ScorerConfigurationError("\(error)")
        }
    }

    // MARK: - Common checks

    /// Folds a `not-` left in the type (`type: not-contains` built by hand) into `negated`.
    static func normalized(_ spec: ScorerSpec) -> ScorerSpec {
        var spec = spec
        while spec.type.hasPrefix("not-"), allTypes.contains(String(spec.type.dropFirst(4))) {
            spec.type = String(spec.type.dropFirst(4))
            spec.negated.toggle()
        }
        return spec
    }

    static func unknownType(_ spec: ScorerSpec) -> ScorerConfigurationError {
        let writtenNegated = spec.negated != spec.type.hasPrefix("not-")
        let written = spec.type.hasPrefix("not-") ? String(spec.type.dropFirst(4)) : spec.type
        let hint =
            Suggestions.closest(to: written, in: allTypes).map { "did you mean '\(writtenNegated ? "not-" : "")\($0)'?" }
            ?? "known types: \(allTypes.joined(separator: ", "))"
        return ScorerConfigurationError("unknown scorer type", hint: hint)
    }

    static func checkCommonFields(_ spec: ScorerSpec) throws {
        if let threshold = spec.threshold {
            guard spec.kind?.acceptsThreshold == true else {
                throw ScorerConfigurationError(
                    "threshold has no effect, \(spec.type) scores only 0 or 1",
                    hint: "remove threshold; to pass a case on a weighted score, set the case's threshold")
            }
            guard threshold.isFinite, (0...1).contains(threshold) else {
                throw ScorerConfigurationError(
                    "threshold \(ReasonText.number(threshold)) is outside 0...1",
                    hint: "scores run from 0 to 1; write e.g. threshold: 0.8")
            }
        }
        guard spec.weight.isFinite, spec.weight >= 0 else {
            throw ScorerConfigurationError(
                "weight \(ReasonText.number(spec.weight)) must be a number ≥ 0",
                hint: "weights are relative importance; 0 reports the scorer without counting it")
        }
    }

    // MARK: - Values

    /// The spec's text value, or the case's expected answer where that makes sense.
    private static func text(_ spec: ScorerSpec, expected: JSONValue?, fallback: Bool, example: String = "value: <text>") throws -> String {
        if let value = spec.value {
            guard let text = scalarText(value) else {
                throw ScorerConfigurationError(
                    "value must be text, not \(ScorerOptions.describe(value))",
                    hint: value.arrayValue != nil && [.contains, .icontains].contains(spec.kind)
                        ? "to look for several texts use contains-any or contains-all" : "write \(example)")
            }
            return text
        }
        if fallback, let expected {
            guard let text = scalarText(expected) else {
                throw ScorerConfigurationError(
                    "needs a value; the case's expected answer is \(ScorerOptions.describe(expected)), not text",
                    hint: "write \(example)")
            }
            return text
        }
        throw ScorerConfigurationError(
            "missing value",
            hint: fallback ? "write \(example), or give the case an expected answer" : "write \(example)")
    }

    private static func nonEmptyText(_ spec: ScorerSpec, expected: JSONValue?, fallback: Bool, example: String = "value: <text>") throws -> String {
        let text = try text(spec, expected: expected, fallback: fallback, example: example)
        guard !TextSimilarity.trimmed(text).isEmpty else {
            throw ScorerConfigurationError(
                "value is empty, so it would match every answer", hint: "write \(example)")
        }
        return text
    }

    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .number, .bool: return value.compactJSON
        case .null, .array, .object: return nil
        }
    }

    /// A non-empty list of non-empty texts; numbers count as text unless `namesOnly`.
    private static func stringList(_ value: JSONValue?, what: String, example: String, namesOnly: Bool = false) throws -> [String] {
        guard let value else {
            throw ScorerConfigurationError("missing value", hint: "write \(example)")
        }
        guard case .array(let items) = value else {
            throw ScorerConfigurationError("value must be a list of \(what), not \(ScorerOptions.describe(value))", hint: "write \(example)")
        }
        guard !items.isEmpty else {
            throw ScorerConfigurationError("value is an empty list", hint: "write \(example)")
        }
        return try items.enumerated().map { index, item in
            guard let text = namesOnly ? item.stringValue : scalarText(item), !TextSimilarity.trimmed(text).isEmpty else {
                throw ScorerConfigurationError(
                    "item \(index + 1) of value must be \(namesOnly ? "a tool name" : "non-empty text"), not \(ScorerOptions.describe(item))",
                    hint: "write \(example)")
            }
            return text
        }
    }

    private static func limit(_ spec: ScorerSpec, unit: String, example: String) throws -> Double {
        guard let value = spec.value else {
            throw ScorerConfigurationError("missing value (the maximum \(unit))", hint: "write \(example)")
        }
        guard value.boolValue == nil, let number = value.doubleValue, number.isFinite, number >= 0 else {
            throw ScorerConfigurationError(
                "value must be a number ≥ 0 (the maximum \(unit)), not \(ScorerOptions.describe(value))", hint: "write \(example)")
        }
        return number
    }

    private static func toolName(_ value: JSONValue?) throws -> String {
        guard let value else {
            throw ScorerConfigurationError("missing value (the tool name)", hint: "write value: <tool name>")
        }
        guard let tool = value.stringValue, !tool.isEmpty else {
            throw ScorerConfigurationError("value must be a tool name, not \(ScorerOptions.describe(value))", hint: "write value: <tool name>")
        }
        return tool
    }

    private static func rejectValue(_ spec: ScorerSpec) throws {
        if let value = spec.value {
            throw ScorerConfigurationError(
                "takes no value, but has \(ScorerOptions.describe(value))", hint: "remove value")
        }
    }

    // MARK: - Scorers

    private static func makeBase(_ spec: ScorerSpec, kind: ScorerKind, expected: JSONValue?) throws -> any VerdictScorer {
        switch kind {
        case .equals:
            let options = try ScorerOptions(spec, allowed: ["case_sensitive"])
            guard let value = spec.value ?? expected, value != .null else {
                throw ScorerConfigurationError("missing value", hint: "write value: <expected answer>, or give the case an expected answer")
            }
            return EqualsScorer(expected: value, caseSensitive: try options.bool("case_sensitive", default: true))

        case .contains, .icontains:
            _ = try ScorerOptions(spec, allowed: [])
            return ContainsScorer(needle: try nonEmptyText(spec, expected: expected, fallback: true), caseInsensitive: kind == .icontains)

        case .containsAny, .containsAll:
            let options = try ScorerOptions(spec, allowed: ["case_sensitive"])
            return ContainsListScorer(
                needles: try stringList(spec.value, what: "texts", example: "value: [first, second]"),
                mode: kind == .containsAny ? .any : .all,
                caseSensitive: try options.bool("case_sensitive", default: true))

        case .startsWith:
            let options = try ScorerOptions(spec, allowed: ["case_sensitive"])
            return StartsWithScorer(
                prefix: String(TextSimilarity.trimmed(try nonEmptyText(spec, expected: expected, fallback: true))),
                caseSensitive: try options.bool("case_sensitive", default: true))

        case .regex:
            return try makeRegex(spec)

        case .isJSON:
            _ = try ScorerOptions(spec, allowed: [])
            try rejectValue(spec)
            return IsJSONScorer()

        case .jsonSchema:
            _ = try ScorerOptions(spec, allowed: [])
            guard let schema = spec.value else {
                throw ScorerConfigurationError("missing value (the JSON schema)", hint: "write value: {type: object, required: [status]}")
            }
            return JSONSchemaScorer(validator: try JSONSchemaValidator(schema: schema))

        case .jsonField:
            return try makeJSONField(spec)

        case .numeric:
            return try makeNumeric(spec, expected: expected)

        case .levenshtein:
            let options = try ScorerOptions(spec, allowed: ["case_sensitive"])
            return LevenshteinScorer(
                reference: try nonEmptyText(spec, expected: expected, fallback: true),
                threshold: spec.threshold ?? LevenshteinScorer.defaultThreshold,
                caseSensitive: try options.bool("case_sensitive", default: true))

        case .rougeL:
            _ = try ScorerOptions(spec, allowed: [])
            let reference = try nonEmptyText(spec, expected: expected, fallback: true)
            guard !TextSimilarity.words(reference).isEmpty else {
                throw ScorerConfigurationError("the reference \(ReasonText.quote(reference)) has no words to compare")
            }
            return RougeLScorer(reference: reference, threshold: spec.threshold ?? RougeLScorer.defaultThreshold)

        case .tokenF1:
            _ = try ScorerOptions(spec, allowed: [])
            let reference = try nonEmptyText(spec, expected: expected, fallback: true)
            let tokens = TextSimilarity.squadTokens(reference)
            guard !tokens.isEmpty else {
                throw ScorerConfigurationError(
                    "the reference \(ReasonText.quote(reference)) has no words left after normalisation",
                    hint: "token-f1 drops punctuation and the articles a, an, the")
            }
            return TokenF1Scorer(reference: reference, tokens: tokens, threshold: spec.threshold ?? TokenF1Scorer.defaultThreshold)

        case .refusal:
            _ = try ScorerOptions(spec, allowed: [])
            try rejectValue(spec)
            return RefusalScorer()

        case .latency:
            _ = try ScorerOptions(spec, allowed: [])
            return LatencyScorer(maxMilliseconds: try limit(spec, unit: "milliseconds", example: "value: 2000"))

        case .cost:
            _ = try ScorerOptions(spec, allowed: [])
            return CostScorer(maxCost: try limit(spec, unit: "cost", example: "value: 0.05"))

        case .toolCalled:
            let options = try ScorerOptions(spec, allowed: ["min_times", "max_times"])
            let tool = try toolName(spec.value)
            let minTimes = try options.count("min_times") ?? 1
            let maxTimes = try options.count("max_times")
            if let maxTimes, minTimes > maxTimes {
                throw ScorerConfigurationError("min_times \(minTimes) is greater than max_times \(maxTimes)")
            }
            if minTimes == 0, maxTimes == nil {
                throw ScorerConfigurationError(
                    "min_times 0 without max_times always passes", hint: "set max_times, or use tool-not-called to forbid the tool")
            }
            return ToolCalledScorer(tool: tool, minTimes: minTimes, maxTimes: maxTimes)

        case .toolNotCalled:
            _ = try ScorerOptions(spec, allowed: [])
            return ToolCalledScorer(tool: try toolName(spec.value), minTimes: 1, maxTimes: nil)

        case .toolArgs:
            return try makeToolArgs(spec)

        case .toolSequence:
            let options = try ScorerOptions(spec, allowed: ["mode"])
            let names = try stringList(spec.value, what: "tool names", example: "value: [lookup_order, issue_refund]", namesOnly: true)
            var mode = ToolSequenceScorer.Mode.ordered
            if let written = try options.string("mode") {
                guard let parsed = ToolSequenceScorer.Mode(rawValue: written) else {
                    throw ScorerConfigurationError(
                        "mode \(ReasonText.quote(written)) is not 'ordered' or 'exact'",
                        hint: "ordered: the tools appear in this order among other calls; exact: the calls are exactly these")
                }
                mode = parsed
            }
            return ToolSequenceScorer(expected: names, mode: mode)

        case .maxSteps:
            _ = try ScorerOptions(spec, allowed: [])
            let steps = try limit(spec, unit: "steps", example: "value: 5")
            guard steps.rounded() == steps, steps < Double(Int32.max) else {
                throw ScorerConfigurationError("value must be a whole number of steps, not \(ReasonText.number(steps))", hint: "write value: 5")
            }
            return MaxStepsScorer(maxSteps: Int(steps))

        case .turns:
            _ = try ScorerOptions(spec, allowed: [])
            let turns = try limit(spec, unit: "turns", example: "value: 4")
            guard turns.rounded() == turns, turns >= 1, turns < Double(Int32.max) else {
                throw ScorerConfigurationError("value must be a whole number of agent turns, not \(ReasonText.number(turns))", hint: "write value: 4")
            }
            return TurnsScorer(maxTurns: Int(turns))

        case .toolCalledOnce:
            _ = try ScorerOptions(spec, allowed: [])
            return ToolCalledOnceScorer(tool: try toolName(spec.value))

        case .askedBefore:
            let options = try ScorerOptions(spec, allowed: ["tool"])
            guard let phrase = spec.value?.stringValue, !phrase.isEmpty else {
                throw ScorerConfigurationError(
                    "missing value (what the agent must say first)", hint: "write value: \"shall i refund\" and tool: issue_refund")
            }
            guard let tool = try options.string("tool"), !tool.isEmpty else {
                throw ScorerConfigurationError("missing option 'tool'", hint: "write tool: <the tool the agent must ask before calling>")
            }
            return AskedBeforeScorer(phrase: phrase, tool: tool)

        case .state:
            return try makeState(spec)

        case .stateUnchanged:
            _ = try ScorerOptions(spec, allowed: [])
            guard let table = spec.value?.stringValue, !table.isEmpty else {
                throw ScorerConfigurationError("missing value (the table that must not change)", hint: "write value: refunds")
            }
            return StateUnchangedScorer(table: table)

        case .llmRubric, .factuality, .closedQA, .similar:
            throw ScorerConfigurationError("model-graded scorers cannot run as deterministic scorers")
        }
    }

    private static func makeRegex(_ spec: ScorerSpec) throws -> any VerdictScorer {
        let options = try ScorerOptions(spec, allowed: ["flags"])
        guard let value = spec.value else {
            throw ScorerConfigurationError("missing value (the pattern)", hint: "write value: '^ORD-[0-9]+$'")
        }
        guard let pattern = value.stringValue, !pattern.isEmpty else {
            throw ScorerConfigurationError(
                "value must be a pattern string, not \(ScorerOptions.describe(value))", hint: "write value: '^ORD-[0-9]+$'")
        }
        let flags = try options.string("flags") ?? ""
        let (regexOptions, invalid) = BoundedRegex.options(fromFlags: flags)
        if let invalid {
            throw ScorerConfigurationError(
                "unknown flag '\(invalid)' in flags \(ReasonText.quote(flags))",
                hint: "flags: i (ignore case), m (^ and $ match at lines), s (. matches newlines), x (allow spaces and comments)")
        }
        do {
            return RegexScorer(regex: try BoundedRegex(pattern: pattern, options: regexOptions), flags: flags)
        } catch {
            var hint = "escape literal characters such as ( [ { . + * ? with a backslash"
            if pattern.hasPrefix("/"), pattern.count > 1 {
                hint = "write the pattern without /slashes/; put flags such as i in the flags option"
            }
            throw ScorerConfigurationError("\(ReasonText.quote(pattern)) is not a valid regular expression", hint: hint)
        }
    }

    private static func makeState(_ spec: ScorerSpec) throws -> any VerdictScorer {
        let options = try ScorerOptions(spec, allowed: ["pointer", "equals", "matches", "contains", "count"])
        guard let pointer = options.raw("pointer")?.stringValue, JSONValue.pointerTokens(pointer) != nil, pointer.hasPrefix("/") else {
            throw ScorerConfigurationError(
                "missing or invalid option 'pointer'", hint: "write pointer: /refunds/0/amount (a JSON Pointer into the final world)")
        }
        var checks: [StateScorer.Check] = []
        if let equals = spec.value ?? options.raw("equals") { checks.append(.equals(equals)) }
        if let pattern = try options.string("matches") {
            guard (try? Regex(pattern)) != nil else { throw ScorerConfigurationError("'matches' is not a valid regular expression") }
            checks.append(.matches(pattern))
        }
        if let needle = options.raw("contains") { checks.append(.contains(needle)) }
        if let count = try options.count("count") { checks.append(.count(count)) }
        guard checks.count == 1, let check = checks.first else {
            throw ScorerConfigurationError(
                "state needs exactly one of equals (or value), matches, contains or count", hint: "e.g. pointer: /refunds, count: 1")
        }
        return StateScorer(pointer: pointer, check: check)
    }

    private static func makeJSONField(_ spec: ScorerSpec) throws -> any VerdictScorer {
        let options = try ScorerOptions(spec, allowed: ["pointer", "equals", "one_of", "min", "max"])
        guard let pointerValue = options.raw("pointer") else {
            throw ScorerConfigurationError("missing option 'pointer'", hint: "write pointer: /status (a JSON Pointer into the answer)")
        }
        guard let pointer = pointerValue.stringValue else {
            throw ScorerConfigurationError(
                "option 'pointer' must be a string, not \(ScorerOptions.describe(pointerValue))", hint: "write pointer: /status")
        }
        guard JSONValue.pointerTokens(pointer) != nil else {
            throw ScorerConfigurationError(
                "\(ReasonText.quote(pointer)) is not a JSON Pointer",
                hint: "JSON Pointers start with '/': write \(ReasonText.quote(suggestedPointer(pointer)))")
        }

        if spec.value != nil, options.has("equals") {
            throw ScorerConfigurationError("both value and equals are given", hint: "keep one: value is short for equals")
        }
        var checks: [JSONFieldScorer.Check] = []
        if let equals = spec.value ?? options.raw("equals") {
            checks.append(.equals(equals))
        }
        if let allowed = try options.list("one_of") {
            checks.append(.oneOf(allowed))
        }
        let minimum = try options.number("min")
        let maximum = try options.number("max")
        if minimum != nil || maximum != nil {
            if let minimum, let maximum, minimum > maximum {
                throw ScorerConfigurationError(
                    "min \(ReasonText.number(minimum)) is greater than max \(ReasonText.number(maximum))", hint: "swap min and max")
            }
            checks.append(.range(min: minimum, max: maximum))
        }
        guard checks.count == 1 else {
            throw ScorerConfigurationError(
                checks.isEmpty ? "nothing to check at \(ReasonText.pointer(pointer))" : "give only one of equals (or value), one_of, min/max",
                hint: "use equals: <value>, one_of: [a, b], or min/max: <number>; use several json-field scorers for several checks")
        }
        return JSONFieldScorer(pointer: pointer, check: checks[0])
    }

    /// `status` → `/status`, `$.a.b` and `a.b` → `/a/b`: the pointer the author most likely meant.
    static func suggestedPointer(_ written: String) -> String {
        if !written.hasPrefix("$"), written.contains("/") { return "/" + written }
        let path = written.hasPrefix("$") ? written.dropFirst() : Substring(written)
        let tokens = path.split(whereSeparator: { $0 == "." || $0 == "[" || $0 == "]" })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }
            .filter { !$0.isEmpty }
        return "/" + tokens.map(JSONSchemaValidator.Node.escape).joined(separator: "/")
    }

    private static func makeNumeric(_ spec: ScorerSpec, expected: JSONValue?) throws -> any VerdictScorer {
        let options = try ScorerOptions(spec, allowed: ["tolerance", "relative_tolerance"])
        let target: Double
        switch spec.value ?? expected {
        case .number(let number)? where number.isFinite:
            target = number
        case .string(let text)? where NumberScanner.firstNumber(in: text) != nil:
            target = NumberScanner.firstNumber(in: text)!.value
        case let other?:
            throw ScorerConfigurationError(
                spec.value == nil
                    ? "needs a value; the case's expected answer \(ScorerOptions.describe(other)) has no number"
                    : "value must be a number, not \(ScorerOptions.describe(other))",
                hint: "write value: 42")
        case nil:
            throw ScorerConfigurationError("missing value", hint: "write value: 42, or give the case an expected answer")
        }
        return NumericScorer(
            expected: target,
            tolerance: try options.nonNegativeNumber("tolerance") ?? 0,
            relativeTolerance: try options.nonNegativeNumber("relative_tolerance") ?? 0)
    }

    private static func makeToolArgs(_ spec: ScorerSpec) throws -> any VerdictScorer {
        let options = try ScorerOptions(spec, allowed: ["tool", "args"])
        let tool: String
        switch (try options.string("tool"), spec.value) {
        case (let written?, nil):
            tool = written
        case (nil, let value?):
            tool = try toolName(value)
        case (.some, .some):
            throw ScorerConfigurationError("both value and tool name the tool", hint: "keep tool: <tool name>")
        case (nil, nil):
            throw ScorerConfigurationError("missing option 'tool'", hint: "write tool: <tool name> and args: {<argument>: <value>}")
        }
        guard let argsValue = options.raw("args") else {
            throw ScorerConfigurationError(
                "missing option 'args'", hint: "write args: {order_id: A-10023}; to check only that the tool was called use tool-called")
        }
        guard case .object(let arguments) = argsValue else {
            throw ScorerConfigurationError(
                "option 'args' must be an object, not \(ScorerOptions.describe(argsValue))", hint: "write args: {order_id: A-10023}")
        }
        guard !arguments.isEmpty else {
            throw ScorerConfigurationError(
                "option 'args' is empty and would match every call", hint: "to check only that the tool was called use tool-called")
        }
        return ToolArgsScorer(tool: tool, arguments: arguments)
    }

    // MARK: - Model-graded

    private static func checkModelGraded(_ spec: ScorerSpec, kind: ScorerKind, expected: JSONValue?) throws {
        switch kind {
        case .llmRubric:
            if let rubric = spec.options["rubric"] {
                guard let text = rubric.stringValue, !TextSimilarity.trimmed(text).isEmpty else {
                    throw ScorerConfigurationError("option 'rubric' must be non-empty text, not \(ScorerOptions.describe(rubric))")
                }
                if spec.value != nil {
                    throw ScorerConfigurationError("both value and rubric are given", hint: "keep one: value is short for rubric")
                }
            } else {
                _ = try nonEmptyText(spec, expected: nil, fallback: false, example: "value: <what a good answer does>")
            }
        case .factuality, .similar:
            _ = try nonEmptyText(spec, expected: expected, fallback: true, example: "value: <reference answer>")
        case .closedQA:
            _ = try nonEmptyText(spec, expected: nil, fallback: false, example: "value: <the criterion the answer must meet>")
        default:
            throw unknownType(spec)
        }
    }
}
