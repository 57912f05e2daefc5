/// The messages of one chat request, reduced to what the rule-based agents look at.
struct Conversation: Sendable, Equatable {
    struct ToolCall: Sendable, Equatable {
        var id: String
        var name: String
        var arguments: JSON
    }

    struct Message: Sendable, Equatable {
        var role: String
        var text: String
        var toolCalls: [ToolCall] = []
        var toolCallID: String? = nil
    }

    /// A tool call answered by a `tool` message since the customer last wrote.
    struct ToolOutcome: Sendable, Equatable {
        var name: String
        var arguments: JSON
        /// The tool message's content parsed as JSON, or the raw text as a string.
        var result: JSON
    }

    var messages: [Message]

    init(messages: [Message]) {
        self.messages = messages
    }

    init(userText: String) {
        self.messages = [Message(role: "user", text: userText)]
    }

    private var lastUserIndex: Int? { messages.lastIndex { $0.role == "user" } }

    /// The customer's latest message.
    var lastUserText: String { lastUserIndex.map { messages[$0].text } ?? "" }

    /// Every customer message, oldest first.
    var userTexts: [String] { messages.filter { $0.role == "user" }.map(\.text) }

    /// Tool calls and their results since the customer last wrote, oldest first.
    ///
    /// A `tool` message is matched to its call by `tool_call_id`; when a client loses the id, the tool
    /// is recognised from the shape of its result.
    var toolOutcomes: [ToolOutcome] {
        let start = (lastUserIndex ?? -1) + 1
        guard start < messages.count else { return [] }
        var calls: [String: ToolCall] = [:]
        var outcomes: [ToolOutcome] = []
        for message in messages[start...] {
            for call in message.toolCalls { calls[call.id] = call }
            guard message.role == "tool" else { continue }
            let result = (try? JSON.parse(message.text)) ?? .string(message.text)
            if let id = message.toolCallID, let call = calls[id] {
                outcomes.append(ToolOutcome(name: call.name, arguments: call.arguments, result: result))
            } else {
                outcomes.append(ToolOutcome(name: Self.guessTool(from: result), arguments: .object([:]), result: result))
            }
        }
        return outcomes
    }

    private static func guessTool(from result: JSON) -> String {
        if result["refund_id"] != nil { return "issue_refund" }
        if result["ticket"] != nil { return "escalate_to_human" }
        return "lookup_order"
    }

    /// A rough token count for `usage`: about four characters a token, as for English text.
    var estimatedTokens: Int {
        let characters = messages.reduce(0) { total, message in
            total + message.text.count + message.toolCalls.reduce(0) { $0 + $1.name.count + 20 }
        }
        return max(1, characters / 4)
    }
}
