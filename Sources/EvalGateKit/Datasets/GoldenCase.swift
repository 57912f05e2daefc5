import Foundation

/// One case of a golden dataset: what the agent is asked, and how its answer is judged.
public struct GoldenCase: Sendable, Equatable, Codable {
    public var id: String
    public var input: CaseInput
    /// The reference answer, when the case has one (`expected`, or the aliases `ideal` and `target`).
    public var expected: JSONValue?
    /// The case's own scorers, applied after the pipeline's default `assert` list.
    public var scorers: [ScorerSpec]
    public var tags: [String]
    public var metadata: [String: JSONValue]
    /// Every critical case must pass, whatever the overall pass rate.
    public var critical: Bool
    /// Results the evaluation returns when the agent calls a tool, keyed by tool name.
    public var toolFixtures: [String: ToolFixture]
    /// Score a case must reach to pass; without one, every scorer must pass.
    public var threshold: Double?
    /// How many times to run this case (overrides the pipeline's `repeat`).
    public var repeatCount: Int?
    /// `always` sends the case to human review whatever the machine decides.
    public var review: ReviewPolicy?
    /// Accepts (or, with `false`, refuses) a trajectory cut off at `max_steps`; `nil` leaves it to the
    /// pipeline's `allow_unfinished`.
    public var allowUnfinished: Bool?
    /// A multi-turn conversation instead of a single input (the input is then its opening).
    public var scenario: Scenario?
    /// The case's own world (tables and stateful tools), laid over its dataset's and pipeline's.
    public var world: World?
    /// Independent conversations of a scenario (`trials`); overrides the scenario's and the pipeline's.
    public var trials: Int?
    /// Where the case was read from: dataset file and line.
    public var location: SourceLocation
    /// Which dataset of the pipeline this case came from (its index and name).
    public var dataset: String

    public init(
        id: String, input: CaseInput, expected: JSONValue? = nil, scorers: [ScorerSpec] = [],
        tags: [String] = [], metadata: [String: JSONValue] = [:], critical: Bool = false,
        toolFixtures: [String: ToolFixture] = [:], threshold: Double? = nil, repeatCount: Int? = nil,
        review: ReviewPolicy? = nil, allowUnfinished: Bool? = nil, scenario: Scenario? = nil,
        location: SourceLocation = SourceLocation(file: "<memory>"), dataset: String = ""
    ) {
        self.id = id
        self.input = input
        self.expected = expected
        self.scorers = scorers
        self.tags = tags
        self.metadata = metadata
        self.critical = critical
        self.toolFixtures = toolFixtures
        self.threshold = threshold
        self.repeatCount = repeatCount
        self.review = review
        self.allowUnfinished = allowUnfinished
        self.scenario = scenario
        self.location = location
        self.dataset = dataset
    }

    /// The metadata key whose equal values mark cases that are resampled together.
    public var cluster: String? { metadata["cluster"]?.plainText }
}

public enum ReviewPolicy: String, Sendable, Codable, Equatable {
    case always, auto, never
}

/// What the agent is asked: a single user message, or a whole conversation.
/// What a case sends the agent. In JSON it is what the dataset wrote: a string, or a list of
/// `{role, content}` messages.
public enum CaseInput: Sendable, Equatable, Codable {
    case text(String)
    case messages([ChatMessage])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let messages = try? container.decode([ChatMessage].self) {
            self = .messages(messages)
        } else if let legacy = try? container.decode(LegacyShape.self), let input = legacy.input {
            // Journals, result files and histories written before evalgate 0.3 used Swift's
            // synthesised enum coding; they stay readable.
            self = input
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "an input is a string or a list of {role, content} messages")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .messages(let messages): try container.encode(messages)
        }
    }

    /// `{"text": {"_0": "..."}}` / `{"messages": {"_0": [...]}}`.
    private struct LegacyShape: Decodable {
        struct Text: Decodable { var _0: String }
        struct Messages: Decodable { var _0: [ChatMessage] }
        var text: Text?
        var messages: Messages?
        var input: CaseInput? { text.map { .text($0._0) } ?? messages.map { .messages($0._0) } }
    }

    /// The last user message, or the text itself: what string templates and reports show.
    public var text: String {
        switch self {
        case .text(let text): return text
        case .messages(let messages):
            return messages.last(where: { $0.role == "user" })?.content ?? messages.last?.content ?? ""
        }
    }

    public var jsonValue: JSONValue {
        switch self {
        case .text(let text): return .string(text)
        case .messages(let messages):
            return .array(messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) })
        }
    }
}

public struct ChatMessage: Sendable, Equatable, Codable {
    public var role: String
    public var content: String

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case role, content
    }

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// The canned result of one tool: a fixed result, or results chosen by the call's arguments.
public struct ToolFixture: Sendable, Equatable, Codable {
    public struct Rule: Sendable, Equatable, Codable {
        /// Argument values the call must contain (a subset match); empty matches every call.
        public var match: [String: JSONValue]
        public var result: JSONValue

        public init(match: [String: JSONValue], result: JSONValue) {
            self.match = match
            self.result = result
        }
    }

    public var rules: [Rule]

    public init(result: JSONValue) {
        self.rules = [Rule(match: [:], result: result)]
    }

    public init(rules: [Rule]) {
        self.rules = rules
    }

    /// The result for a call with these arguments, or `nil` when no rule matches.
    public func result(for arguments: JSONValue) -> JSONValue? {
        let given = arguments.objectValue ?? [:]
        for rule in rules where rule.match.allSatisfy({ given[$0.key].map(JSONValue.looselyEqual($0.value)) ?? false }) {
            return rule.result
        }
        return nil
    }
}

extension JSONValue {
    /// Equality that treats `"42"` and `42` alike and ignores case and surrounding space in strings:
    /// how tool arguments written by a model are compared with what a fixture expects.
    public static func looselyEqual(_ expected: JSONValue) -> (JSONValue) -> Bool {
        { actual in
            switch (expected, actual) {
            case (.string(let a), .string(let b)):
                return a.trimmingCharacters(in: .whitespaces).lowercased() == b.trimmingCharacters(in: .whitespaces).lowercased()
            case (.number(let a), _):
                guard let b = actual.doubleValue else { return false }
                return abs(a - b) < 1e-9
            case (.string, .number):
                guard let a = expected.doubleValue, let b = actual.doubleValue else { return false }
                return abs(a - b) < 1e-9
            case (.object(let a), .object(let b)):
                return a.allSatisfy { key, value in b[key].map(looselyEqual(value)) ?? false }
            case (.array(let a), .array(let b)):
                return a.count == b.count && zip(a, b).allSatisfy { looselyEqual($0)($1) }
            default:
                return expected == actual
            }
        }
    }
}
