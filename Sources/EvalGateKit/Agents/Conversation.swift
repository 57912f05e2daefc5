/// What an agent is sent on each turn: the messages so far and the tools it may call.
///
/// A conversation is the unit agents speak in. A single-exchange case is a conversation of its input
/// messages; the tool loop grows it by the agent's tool calls and their results; multi-turn scenarios
/// grow it by further user messages. Clients render it into their own wire format.
public struct Conversation: Sendable, Equatable {
    public var messages: [ConversationMessage]
    /// Tool definitions offered to the agent, in the OpenAI `tools` format.
    public var tools: [JSONValue]
    /// The case the conversation evaluates, when there is one. Single-exchange endpoints fill their
    /// requests from it: `{{id}}`, `{{expected}}`, `{{metadata.KEY}}`, and the command's request object.
    public var goldenCase: GoldenCase?

    public init(messages: [ConversationMessage], tools: [JSONValue] = [], goldenCase: GoldenCase? = nil) {
        self.messages = messages
        self.tools = tools
        self.goldenCase = goldenCase
    }

    /// The opening of a case: its input as messages (a text input is one user message).
    public init(_ goldenCase: GoldenCase, tools: [JSONValue] = []) {
        self.init(messages: Self.messages(of: goldenCase.input), tools: tools, goldenCase: goldenCase)
    }

    static func messages(of input: CaseInput) -> [ConversationMessage] {
        switch input {
        case .text(let text): return [.user(text)]
        case .messages(let list): return list.map { ConversationMessage(role: .init(rawValue: $0.role), content: $0.content) }
        }
    }

    /// The conversation as a case input, for endpoints that take one question or one message list.
    ///
    /// While the conversation is still the case's opening, this is the case's own input, so that a
    /// text input stays a string and a message list stays a list. Once turns were added, it is the
    /// whole transcript as `{role, content}` messages (tool calls and tool-call ids do not fit that
    /// shape and are left out; a tool message keeps its content).
    public var caseInput: CaseInput {
        if let goldenCase, messages == Self.messages(of: goldenCase.input) { return goldenCase.input }
        if goldenCase == nil, messages.count == 1, messages[0].role == .user, messages[0].toolCalls.isEmpty {
            return .text(messages[0].content ?? "")
        }
        return .messages(messages.map { ChatMessage(role: $0.role.rawValue, content: $0.content ?? "") })
    }

    /// The case single-exchange endpoints render: the conversation's case (or a blank one) with the
    /// conversation as its input.
    var requestCase: GoldenCase {
        var subject = goldenCase ?? GoldenCase(id: "", input: .text(""))
        subject.input = caseInput
        return subject
    }
}

/// One message of a conversation.
public struct ConversationMessage: Sendable, Equatable {
    /// Who speaks. A struct rather than an enum so that roles a dataset names and evalgate does not
    /// know (`developer`) pass through to the endpoint unchanged.
    public struct Role: RawRepresentable, Sendable, Hashable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let system = Role(rawValue: "system")
        public static let user = Role(rawValue: "user")
        public static let assistant = Role(rawValue: "assistant")
        public static let tool = Role(rawValue: "tool")
    }

    public var role: Role
    /// The text; `nil` for an assistant message that only calls tools.
    public var content: String?
    /// The tools an assistant message calls (their `result` is not part of the message).
    public var toolCalls: [ToolCall]
    /// Which call a `tool` message answers.
    public var toolCallID: String?
    /// For an assistant message of an endpoint that keeps the conversation itself (A2A): where the
    /// next user message continues it.
    public var session: EndpointSession?

    public init(role: Role, content: String?, toolCalls: [ToolCall] = [], toolCallID: String? = nil, session: EndpointSession? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.session = session
    }

    public static func system(_ text: String) -> ConversationMessage { ConversationMessage(role: .system, content: text) }
    public static func user(_ text: String) -> ConversationMessage { ConversationMessage(role: .user, content: text) }

    /// The agent's turn as it goes back into the conversation.
    public static func assistant(_ turn: AssistantTurn) -> ConversationMessage {
        ConversationMessage(
            role: .assistant, content: turn.text, toolCalls: turn.toolCalls.map { ToolCall(id: $0.id, name: $0.name, arguments: $0.arguments) },
            session: turn.session)
    }

    /// A tool's result, as text, answering the call with this id.
    public static func toolResult(_ result: JSONValue, callID: String) -> ConversationMessage {
        ConversationMessage(role: .tool, content: result.plainText, toolCallID: callID)
    }
}

/// What the agent said on one turn: text, tool calls, or both.
public struct AssistantTurn: Sendable, Equatable {
    /// The text of the turn; `nil` when the agent only called tools.
    public var text: String?
    /// The answer as JSON, for endpoints whose answer pointer finds a value that is not a string.
    public var json: JSONValue?
    /// Tools the agent wants called before it goes on; empty when the turn is an answer.
    public var toolCalls: [ToolCall]
    public var usage: TokenUsage?
    /// As the endpoint reported it (`stop`, `tool_calls`, `length`); `nil` when it does not say.
    public var finishReason: String?
    /// Where an endpoint that keeps the conversation itself continues it (A2A's `contextId`).
    public var session: EndpointSession?

    public init(
        text: String?, json: JSONValue? = nil, toolCalls: [ToolCall] = [], usage: TokenUsage? = nil, finishReason: String? = nil,
        session: EndpointSession? = nil
    ) {
        self.session = session
        self.text = text
        self.json = json
        self.toolCalls = toolCalls
        self.usage = usage
        self.finishReason = finishReason
    }
}

extension AgentAnswer {
    /// The answer of an endpoint that answers a case in one exchange and never calls tools: no
    /// trajectory steps, as such endpoints have always been recorded.
    init(singleExchange turn: AssistantTurn) {
        self.init(text: turn.text ?? "", json: turn.json, finishReason: turn.finishReason, usage: turn.usage)
    }
}

/// The handle of a conversation an endpoint keeps on its side (A2A's `contextId`, and the task
/// that waits for the user's input): the next user message goes there instead of the whole history.
public struct EndpointSession: Sendable, Equatable {
    public var contextID: String
    /// The task that asked for more input (`input-required`), continued by the next message.
    public var taskID: String?

    public init(contextID: String, taskID: String? = nil) {
        self.contextID = contextID
        self.taskID = taskID
    }
}
