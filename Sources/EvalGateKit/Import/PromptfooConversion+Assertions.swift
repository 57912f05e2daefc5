import Foundation

extension PromptfooConversion {
    /// Every assertion type promptfoo documents (without `not-`), so an unknown one is told apart
    /// from a known one evalgate lacks.
    static let assertionTypes: Set<String> = [
        "equals", "contains", "icontains", "contains-any", "contains-all", "icontains-any", "icontains-all", "starts-with", "regex",
        "is-json", "contains-json", "is-xml", "contains-xml", "is-sql", "contains-sql", "is-html", "contains-html", "javascript", "python",
        "ruby", "webhook", "similar", "llm-rubric", "search-rubric", "g-eval", "factuality", "model-graded-closedqa", "model-graded-factuality",
        "answer-relevance", "context-faithfulness", "context-recall", "context-relevance", "conversation-relevance", "latency", "cost",
        "levenshtein", "rouge-n", "bleu", "gleu", "meteor", "f-score", "perplexity", "perplexity-score", "classifier", "moderation", "pi",
        "select-best", "max-score", "human", "is-refusal", "is-valid-function-call", "is-valid-openai-function-call",
        "is-valid-openai-tools-call", "tool-call-f1", "finish-reason", "assert-set", "trace-span-count", "trace-span-duration",
        "trace-error-spans", "word-count",
    ]

    /// Why a promptfoo assertion type has no evalgate scorer.
    static func unsupportedReason(_ type: String) -> String {
        switch type {
        case "javascript", "python", "ruby", "webhook":
            return "custom code is not run by evalgate; port the check to a built-in scorer (regex, json-field, ...) or an llm-rubric"
        case "answer-relevance", "context-faithfulness", "context-recall", "context-relevance", "conversation-relevance":
            return "needs retrieval context or embeddings of the query, which evalgate does not record"
        case "select-best", "max-score":
            return "compares the outputs of several prompts or providers; evalgate scores each answer on its own"
        case "human":
            return "a person's rating; use `review: always` on the case for human review"
        case "moderation", "classifier", "pi", "perplexity", "perplexity-score", "search-rubric":
            return "needs a service or model output evalgate does not call (moderation API, classifier, logprobs, web search)"
        case "bleu", "gleu", "meteor", "f-score":
            return "evalgate has no \(type) scorer; token-f1 or rouge-l are the nearest, add one by hand if it fits"
        case "is-valid-function-call", "is-valid-openai-function-call", "is-valid-openai-tools-call", "tool-call-f1":
            return "checks tool calls against their schemas; evalgate's tool-called and tool-args scorers check calls by name and arguments"
        default:
            return "evalgate has no scorer for it"
        }
    }

    /// The evalgate scorers for one promptfoo assertion (none when it has no equivalent; then a
    /// located warning says why). `vars` renders `{{var}}` in values; nil for pipeline-wide ones.
    func convertAssertion(_ raw: JSONValue, at location: SourceLocation, vars: [String: JSONValue]?) -> [JSONValue] {
        guard case .object(var fields) = raw else {
            diagnostics.warning(location, "assertion skipped: expected a mapping with a 'type'")
            return []
        }
        if let vars {
            var unrendered: [String] = []
            fields = PromptTemplate.render(.object(fields), vars, unrendered: &unrendered).objectValue ?? fields
            if !unrendered.isEmpty {
                diagnostics.warning(location, "assertion value: \(Set(unrendered).sorted().joined(separator: ", ")) left as written")
            }
        }
        guard var type = fields["type"]?.stringValue else {
            diagnostics.warning(location, "assertion skipped: it has no 'type'")
            return []
        }
        let written = type
        let negated = type.hasPrefix("not-")
        if negated { type.removeFirst(4) }

        if type == "assert-set" {
            var scorers: [JSONValue] = []
            for child in fields["assert"]?.arrayValue ?? [] { scorers += convertAssertion(child, at: location, vars: vars) }
            if fields["threshold"] != nil || negated || fields["weight"] != nil {
                diagnostics.note(
                    location, "assert-set flattened: its own threshold, weight and negation are not kept",
                    hint: "each assertion of the set is a scorer of the case; use the case's threshold to pass on a weighted score")
            } else {
                diagnostics.note(location, "assert-set flattened into the case's scorers")
            }
            return scorers
        }
        guard Self.assertionTypes.contains(type) else {
            let suggestion = Suggestions.closest(to: type, in: Self.assertionTypes).map { " (did you mean '\($0)'?)" } ?? ""
            diagnostics.warning(location, "assertion '\(written)' skipped: not a promptfoo assertion type evalgate knows\(suggestion)")
            return []
        }

        for key in fields.keys.sorted() where !["type", "value", "threshold", "weight", "metric"].contains(key) {
            switch key {
            case "provider", "rubricPrompt":
                diagnostics.note(location, "'\(written)': '\(key)' not converted; evalgate grades with the pipeline's judge")
            case "transform":
                diagnostics.warning(location, "'\(written)': 'transform' not converted; the scorer sees the answer untransformed")
            default:
                diagnostics.note(location, "'\(written)': '\(key)' not converted")
            }
        }

        var value = fields["value"].map { loadValueFile($0, at: location) }
        if case .null? = value { value = nil }
        let threshold = fields["threshold"]?.doubleValue
        var common: [String: JSONValue] = [:]
        if let weight = fields["weight"]?.doubleValue, weight != 1 {
            if weight >= 0 {
                common["weight"] = .number(weight)
            } else {
                diagnostics.warning(
                    location, "'\(written)': negative weight \(JSONValue.format(number: weight)) not converted; evalgate weights are ≥ 0")
            }
        }
        if let metric = fields["metric"]?.stringValue, !metric.isEmpty { common["metric"] = .string(metric) }

        func scorer(_ evalgateType: String, value: JSONValue? = nil, threshold: Double? = nil, options: [String: JSONValue] = [:]) -> [JSONValue] {
            var object = common.merging(options) { $1 }
            object["type"] = .string((negated ? "not-" : "") + evalgateType)
            if let value { object["value"] = value }
            if let threshold { object["threshold"] = .number(threshold) }
            return [.object(object)]
        }
        func dropThreshold() {
            if let threshold {
                diagnostics.note(
                    location,
                    "'\(written)': threshold \(JSONValue.format(number: threshold)) dropped; \(type) passes or fails, it has no score to compare")
            }
        }
        func text(_ what: String = "a text value") -> JSONValue? {
            switch value {
            case .string(let text)? where !text.isEmpty: return .string(text)
            case .number?, .bool?: return .string(ImportText.text(of: value!))
            default:
                diagnostics.warning(location, "assertion '\(written)' skipped: it needs \(what), found \(value.map { $0.typeName } ?? "none")")
                return nil
            }
        }

        switch type {
        case "equals":
            dropThreshold()
            guard let value else {
                diagnostics.warning(location, "assertion '\(written)' skipped: it needs a value")
                return []
            }
            return scorer("equals", value: value.numberAsText)
        case "contains", "icontains", "starts-with", "regex":
            dropThreshold()
            guard let needle = text() else { return [] }
            return scorer(type, value: needle)
        case "contains-any", "contains-all", "icontains-any", "icontains-all":
            dropThreshold()
            let list: [JSONValue]
            switch value {
            case .array(let items)?: list = items.map(\.numberAsText)
            case .string(let text)?: list = text.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) }
            default:
                diagnostics.warning(location, "assertion '\(written)' skipped: it needs a list of texts")
                return []
            }
            let base = type.hasPrefix("i") ? String(type.dropFirst()) : type
            return scorer(base, value: .array(list), options: type.hasPrefix("i") ? ["case_sensitive": false] : [:])
        case "is-json":
            dropThreshold()
            if let value { return scorer("json-schema", value: value) }
            return scorer("is-json")
        case "contains-json":
            dropThreshold()
            diagnostics.note(
                location, "'\(written)' mapped to \(value == nil ? "is-json" : "json-schema"), the nearest scorer",
                hint: "promptfoo finds JSON anywhere in the output; evalgate needs the whole answer (or a fenced ```json block) to be JSON")
            if let value { return scorer("json-schema", value: value) }
            return scorer("is-json")
        case "similar":
            if case .array(let items)? = value {
                value = items.first
                diagnostics.note(location, "'\(written)': only the first of \(items.count) reference texts kept; evalgate compares with one")
            }
            guard let reference = text("a reference text") else { return [] }
            return scorer("similar", value: reference, threshold: threshold ?? 0.75)
        case "llm-rubric":
            if case .object? = value { value = .string(value!.compactJSON) }
            guard let rubric = text("a rubric") else { return [] }
            return scorer("llm-rubric", value: rubric, threshold: threshold)
        case "g-eval":
            if case .array(let criteria)? = value { value = .string(criteria.map(ImportText.text).joined(separator: "\n")) }
            guard let rubric = text("the criteria") else { return [] }
            diagnostics.note(
                location, "'\(written)' mapped to llm-rubric, the nearest scorer",
                hint: "evalgate's judge grades against the criteria in one step, without G-Eval's generated evaluation steps")
            return scorer("llm-rubric", value: rubric, threshold: threshold ?? 0.7)
        case "factuality", "model-graded-factuality":
            guard let reference = text("the reference answer") else { return [] }
            return scorer("factuality", value: reference, threshold: threshold)
        case "model-graded-closedqa":
            dropThreshold()
            guard let criterion = text("the criterion") else { return [] }
            return scorer("closed-qa", value: criterion)
        case "latency":
            guard let milliseconds = threshold ?? value?.doubleValue else {
                diagnostics.warning(location, "assertion '\(written)' skipped: it needs a threshold in milliseconds")
                return []
            }
            return scorer("latency", value: .number(milliseconds))
        case "cost":
            guard let limit = threshold ?? value?.doubleValue else {
                diagnostics.warning(location, "assertion '\(written)' skipped: it needs a threshold (the maximum cost)")
                return []
            }
            if !warnedAboutCost {
                warnedAboutCost = true
                diagnostics.warning(
                    location, "'\(written)' needs the agent's prices: promptfoo knew them per model, evalgate reads agent.endpoint.pricing",
                    hint: "add pricing: {input_per_1k: ..., output_per_1k: ...} to the endpoint, or the cost scorer fails (unknown cost)")
            }
            return scorer("cost", value: .number(limit))
        case "levenshtein":
            guard let reference = text("a reference text"), let referenceText = reference.stringValue else { return [] }
            let distance = threshold ?? 5
            let length = max(referenceText.unicodeScalars.count, 1)
            let similarity = (max(0, 1 - distance / Double(length)) * 100).rounded(.down) / 100
            diagnostics.note(
                location,
                "'\(written)': edit distance ≤ \(JSONValue.format(number: distance)) mapped to levenshtein similarity ≥ \(JSONValue.format(number: similarity)), the nearest threshold",
                hint:
                    "promptfoo limits the edit distance; evalgate's levenshtein is 1 − distance / longer length, computed here with the reference's length"
            )
            return scorer("levenshtein", value: reference, threshold: similarity)
        case "rouge-n":
            guard let reference = text("a reference text") else { return [] }
            diagnostics.note(
                location, "'\(written)' mapped to rouge-l, the nearest scorer",
                hint: "ROUGE-L scores the longest common subsequence of words rather than n-gram overlap; review the threshold")
            return scorer("rouge-l", value: reference, threshold: threshold ?? 0.75)
        case "is-refusal":
            dropThreshold()
            diagnostics.note(location, "'\(written)' mapped to refusal; evalgate recognises refusals by its own phrases")
            return scorer("refusal")
        default:
            diagnostics.warning(location, "assertion '\(written)' skipped: \(Self.unsupportedReason(type))")
            return []
        }
    }

    /// A value written `file://schema.json` is that file's content (parsed for JSON and YAML).
    func loadValueFile(_ value: JSONValue, at location: SourceLocation) -> JSONValue {
        guard case .string(let text) = value, text.hasPrefix("file://") else { return value }
        let file = source.relative(String(text.dropFirst("file://".count)))
        do {
            switch file.extensionName {
            case "json": return try JSONValue(parsing: try file.readText())
            case "yaml", "yml": return try file.readYAML().map(file.json) ?? .null
            case "py", "js", "ts", "mjs", "cjs": return value
            default: return .string(try file.readText())
            }
        } catch {
            diagnostics.warning(location, "value '\(text)' left as written: cannot read it")
            return value
        }
    }
}

extension JSONValue {
    /// promptfoo compares numbers in `equals` and lists as text.
    fileprivate var numberAsText: JSONValue {
        if case .number = self { return .string(compactJSON) }
        return self
    }
}
