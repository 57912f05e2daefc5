import Foundation

extension GoldenCase {
    static let knownKeys: Set<String> = [
        "id", "input", "expected", "ideal", "target", "assert", "tags", "metadata", "critical", "tools", "threshold", "repeat", "review",
        "allow_unfinished", "choices", "sandbox", "files", "setup", "scenario", "world", "trials",
    ]

    /// Everything a dataset file contributes to each of its cases.
    public struct Defaults: Sendable {
        public var dataset: String
        public var tags: [String]
        public var critical: Bool
        public var fallbackIDPrefix: String

        public init(dataset: String, tags: [String] = [], critical: Bool = false, fallbackIDPrefix: String) {
            self.dataset = dataset
            self.tags = tags
            self.critical = critical
            self.fallbackIDPrefix = fallbackIDPrefix
        }
    }

    /// Reads a case from its JSON form, accepting OpenAI-evals (`input` messages, `ideal`) and
    /// Inspect (`input`, `target`, `metadata`) samples unchanged. Problems go to `diagnostics`.
    public static func parse(_ json: JSONValue, location: SourceLocation, defaults: Defaults, diagnostics: inout DiagnosticsEngine) -> GoldenCase? {
        guard case .object(let fields) = json else {
            diagnostics.error(location, "a case must be an object, found \(json.typeName)")
            return nil
        }
        var ok = true
        func fail(_ message: String, hint: String? = nil) {
            diagnostics.error(location, message, hint: hint)
            ok = false
        }
        // Sorted only when there is something to report: this runs for every case of every pass.
        if fields.keys.contains(where: { !knownKeys.contains($0) }) {
            for key in fields.keys.sorted() where !knownKeys.contains(key) {
                if let suggestion = Suggestions.closest(to: key, in: knownKeys) {
                    fail("unknown case key '\(key)' (did you mean '\(suggestion)'?)")
                }
            }
        }
        let id: String
        switch fields["id"] {
        case .string(let text) where !isBlank(text): id = text
        case .number(let number): id = JSONValue.format(number: number)
        case nil, .null?: id = "\(defaults.fallbackIDPrefix)-\(location.line)"
        case let other?:
            fail("case 'id' must be a non-empty string, found \(other.compactJSON.prefix(40))")
            id = ""
        }
        var input = CaseInput.text("")
        switch fields["input"] {
        case .string(let text)?: input = .text(text)
        case .array(let messages)?:
            var parsed: [ChatMessage] = []
            for message in messages {
                guard let role = message["role"]?.stringValue, let content = message["content"] else {
                    fail("case '\(id)': each input message needs 'role' and 'content'")
                    break
                }
                parsed.append(ChatMessage(role: role, content: content.plainText))
            }
            if parsed.isEmpty { fail("case '\(id)': 'input' has no messages") }
            input = .messages(parsed)
        case nil where fields["scenario"] != nil && fields["scenario"] != .null: break
        case nil: fail("case '\(id)' has no 'input'", hint: "every case needs the question or conversation the agent is given")
        case let other?: input = .text(other.plainText)
        }
        var result = GoldenCase(id: id, input: input, location: location, dataset: defaults.dataset)
        if let value = fields["trials"], value != .null {
            if let number = value.doubleValue, number.rounded() == number, number >= 1, number <= 100 {
                result.trials = Int(number)
            } else {
                fail("case '\(id)': 'trials' must be a whole number from 1 to 100", hint: "trials: 3 holds three independent conversations")
            }
        }
        if let worldJSON = fields["world"], worldJSON != .null {
            if let world = World.parse(worldJSON, place: "case '\(id)'", location: location, diagnostics: &diagnostics) {
                result.world = world
            } else {
                ok = false
            }
        }
        if let scenarioJSON = fields["scenario"], scenarioJSON != .null {
            if fields["input"] != nil {
                fail("case '\(id)' has both 'input' and 'scenario'", hint: "a scenario's first message is its 'opening'; drop 'input'")
            }
            if let scenario = Scenario.parse(scenarioJSON, caseID: id, location: location, diagnostics: &diagnostics) {
                result.scenario = scenario
                result.input = .text(scenario.opening)
            } else {
                ok = false
            }
        }
        result.expected = fields["expected"] ?? fields["ideal"] ?? fields["target"]
        if case .array(let list)? = result.expected, list.count == 1 { result.expected = list[0] }
        if result.expected == .null { result.expected = nil }
        var tags = defaults.tags
        switch fields["tags"] {
        case .array(let list)?:
            for tag in list {
                if let text = tag.stringValue, !text.isEmpty { tags.append(text) } else { fail("case '\(id)': tags must be strings") }
            }
        case .string(let text)?:
            tags.append(contentsOf: text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        case nil, .null?: break
        default: fail("case '\(id)': 'tags' must be a list of strings")
        }
        if tags.count > 1 {
            var seen = Set<String>()
            result.tags = tags.filter { seen.insert($0).inserted }
        } else {
            result.tags = tags
        }
        switch fields["metadata"] {
        case .object(let metadata)?: result.metadata = metadata
        case nil, .null?: break
        default: fail("case '\(id)': 'metadata' must be an object")
        }
        switch fields["critical"] {
        case .bool(let value)?: result.critical = value || defaults.critical
        case nil, .null?: result.critical = defaults.critical
        default: fail("case '\(id)': 'critical' must be true or false")
        }
        if let threshold = fields["threshold"], threshold != .null {
            if let value = threshold.doubleValue, (0...1).contains(value) {
                result.threshold = value
            } else {
                fail("case '\(id)': 'threshold' must be between 0 and 1")
            }
        }
        if let count = fields["repeat"], count != .null {
            if let value = count.doubleValue, value >= 1, value <= 100, value.rounded() == value {
                result.repeatCount = Int(value)
            } else {
                fail("case '\(id)': 'repeat' must be a whole number from 1 to 100")
            }
        }
        if let review = fields["review"], review != .null {
            if let text = review.stringValue, let policy = ReviewPolicy(rawValue: text) {
                result.review = policy
            } else {
                fail("case '\(id)': 'review' must be always, auto or never")
            }
        }
        switch fields["allow_unfinished"] {
        case .bool(let value)?: result.allowUnfinished = value
        case nil, .null?: break
        default: fail("case '\(id)': 'allow_unfinished' must be true or false")
        }
        switch fields["tools"] {
        case .object(let tools)?:
            for (name, fixture) in tools {
                if case .array(let rules) = fixture, rules.allSatisfy({ $0["result"] != nil }), !rules.isEmpty {
                    result.toolFixtures[name] = ToolFixture(
                        rules: rules.map { ToolFixture.Rule(match: $0["match"]?.objectValue ?? [:], result: $0["result"]!) })
                } else {
                    result.toolFixtures[name] = ToolFixture(result: fixture)
                }
            }
        case nil, .null?: break
        default: fail("case '\(id)': 'tools' must map tool names to fixture results")
        }
        switch fields["assert"] {
        case .array(let entries)?:
            for entry in entries {
                switch ScorerSpec.parse(entry, location: location) {
                case .success(let spec): result.scorers.append(spec)
                case .failure(let failure): fail("case '\(id)': \(failure.message)", hint: failure.hint)
                }
            }
        case nil, .null?: break
        default: fail("case '\(id)': 'assert' must be a list of scorers")
        }
        return ok ? result : nil
    }

    /// `text.trimmingCharacters(in: .whitespaces).isEmpty`, without the trip through `NSString`:
    /// an id's first character settles it.
    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { CharacterSet.whitespaces.contains($0) }
    }
}
