/// The parts of an OpenAI Chat Completions request the reference agents read.
struct ChatCompletionRequest: Sendable {
    var model: String?
    var conversation: Conversation

    /// Reads `model` and `messages`: roles, text content (a string, null, or text parts), `tool_calls`
    /// with their JSON-in-a-string arguments, and `tool_call_id`.
    init(json: JSON) throws(WireFormatError) {
        guard let messages = json["messages"]?.arrayValue, !messages.isEmpty else {
            throw WireFormatError("the body needs a non-empty 'messages' list")
        }
        model = json["model"]?.stringValue
        var parsed: [Conversation.Message] = []
        parsed.reserveCapacity(messages.count)
        for message in messages {
            guard case .string(let role)? = message["role"] else { throw WireFormatError("every message needs a 'role'") }
            let text: String
            switch message["content"] {
            case .string(let content)?: text = content
            case .array(let parts)?: text = parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
            default: text = ""
            }
            var calls: [Conversation.ToolCall] = []
            for call in message["tool_calls"]?.arrayValue ?? [] {
                guard let id = call["id"]?.stringValue, let function = call["function"],
                    let name = function["name"]?.stringValue
                else { throw WireFormatError("every tool call needs an 'id' and a 'function.name'") }
                let arguments = function["arguments"]?.stringValue ?? "{}"
                calls.append(Conversation.ToolCall(id: id, name: name, arguments: (try? JSON.parse(arguments)) ?? .string(arguments)))
            }
            parsed.append(
                Conversation.Message(role: role, text: text, toolCalls: calls, toolCallID: message["tool_call_id"]?.stringValue))
        }
        conversation = Conversation(messages: parsed)
    }
}

/// An OpenAI Chat Completions response for one agent turn.
enum ChatCompletionResponse {
    static func body(model: String, turn: AgentTurn, conversation: Conversation, created: Int) -> JSON {
        var message: [String: JSON] = ["role": "assistant"]
        let finishReason: String
        var completionCharacters = 0
        switch turn {
        case .answer(let text):
            message["content"] = .string(text)
            completionCharacters = text.count
            finishReason = "stop"
        case .toolCalls(let calls):
            // OpenAI sends `"content": null` next to tool calls; clients must cope with it.
            message["content"] = .null
            let step = conversation.messages.count
            message["tool_calls"] = .array(
                calls.enumerated().map { offset, call in
                    let arguments = JSON.object(call.arguments).serialized
                    completionCharacters += call.name.count + arguments.count
                    return [
                        "id": .string("call_" + StableHash.hex(of: "\(step)|\(offset)|\(call.name)|\(arguments)", length: 24)),
                        "type": "function",
                        "function": ["name": .string(call.name), "arguments": .string(arguments)],
                    ]
                })
            finishReason = "tool_calls"
        }
        let promptTokens = conversation.estimatedTokens
        let completionTokens = max(1, completionCharacters / 4)
        return [
            "id": .string("chatcmpl-" + StableHash.hex(of: conversation.lastUserText + "|\(conversation.messages.count)", length: 20)),
            "object": "chat.completion",
            "created": .number(Double(created)),
            "model": .string(model),
            "choices": [["index": 0, "message": .object(message), "finish_reason": .string(finishReason)]],
            "usage": [
                "prompt_tokens": .number(Double(promptTokens)),
                "completion_tokens": .number(Double(completionTokens)),
                "total_tokens": .number(Double(promptTokens + completionTokens)),
            ],
        ]
    }
}
