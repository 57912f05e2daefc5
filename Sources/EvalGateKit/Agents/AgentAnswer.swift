/// What an agent answered to one case, with everything it did on the way.
public struct AgentAnswer: Sendable, Equatable, Codable {
    /// The final answer text (for `http` endpoints: the value at the answer pointer, as text).
    public var text: String
    /// The value at the answer pointer for `http`/`command` endpoints when it is not a string.
    public var json: JSONValue?
    public var trajectory: Trajectory
    public var finishReason: String?
    public var usage: TokenUsage?

    /// The JSON keys: part of the documented format, so spelled out rather than derived.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case text, json, trajectory, finishReason, usage
    }

    public init(text: String, json: JSONValue? = nil, trajectory: Trajectory = Trajectory(), finishReason: String? = nil, usage: TokenUsage? = nil) {
        self.text = text
        self.json = json
        self.trajectory = trajectory
        self.finishReason = finishReason
        self.usage = usage
    }
}

public struct TokenUsage: Sendable, Equatable, Codable {
    public var inputTokens: Int
    public var outputTokens: Int

    /// The JSON keys: part of the documented format, so spelled out rather than derived.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case inputTokens, outputTokens
    }

    public init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(inputTokens: lhs.inputTokens + rhs.inputTokens, outputTokens: lhs.outputTokens + rhs.outputTokens)
    }
}

/// The steps of a tool-using agent: each model turn and the tool calls it made.
public struct Trajectory: Sendable, Equatable, Codable {
    public enum End: String, Sendable, Codable, Equatable {
        /// The agent gave a final answer.
        case answered
        /// The agent called a tool the case has no fixture for; the trajectory stops there.
        case missingFixture = "missing-fixture"
        /// The agent was still calling tools at the pipeline's `max_steps`.
        case maxSteps = "max-steps"
    }

    public var steps: [TrajectoryStep]
    public var end: End

    /// The JSON keys: part of the documented format, so spelled out rather than derived.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case steps, end
    }

    public init(steps: [TrajectoryStep] = [], end: End = .answered) {
        self.steps = steps
        self.end = end
    }

    /// Every tool call in order, across all steps.
    public var toolCalls: [ToolCall] { steps.flatMap(\.toolCalls) }
}

public struct TrajectoryStep: Sendable, Equatable, Codable {
    public var toolCalls: [ToolCall]
    /// Text the model produced in this step, if any.
    public var content: String?

    /// The JSON keys: part of the documented format, so spelled out rather than derived.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case toolCalls, content
    }

    public init(toolCalls: [ToolCall] = [], content: String? = nil) {
        self.toolCalls = toolCalls
        self.content = content
    }
}

public struct ToolCall: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    /// The arguments parsed as JSON; `.string(raw)` when the model sent arguments that are not JSON.
    public var arguments: JSONValue
    /// The fixture result sent back, or `nil` when there was no fixture for the call.
    public var result: JSONValue?

    /// The JSON keys: part of the documented format, so spelled out rather than derived.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, arguments, result
    }

    public init(id: String, name: String, arguments: JSONValue, result: JSONValue? = nil) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.result = result
    }
}
