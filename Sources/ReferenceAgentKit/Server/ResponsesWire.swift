import Foundation

/// The parts of an OpenAI Responses API request (`POST /v1/responses`) the reference agents read:
/// `model`, `instructions`, and `input` as a string or as items (messages with text content,
/// `function_call` and `function_call_output`), turned into the same conversation chat requests give.
struct ResponsesRequest: Sendable {
    var model: String?
    var conversation: Conversation

    init(json: JSON) throws(WireFormatError) {
        model = json["model"]?.stringValue
        var messages: [Conversation.Message] = []
        if let instructions = json["instructions"]?.stringValue, !instructions.isEmpty {
            messages.append(Conversation.Message(role: "system", text: instructions))
        }
        switch json["input"] {
        case .string(let text)?:
            messages.append(Conversation.Message(role: "user", text: text))
        case .array(let items)?:
            for item in items {
                switch item["type"]?.stringValue {
                case "function_call"?:
                    guard let id = item["call_id"]?.stringValue, let name = item["name"]?.stringValue else {
                        throw WireFormatError("every function_call item needs a 'call_id' and a 'name'")
                    }
                    let arguments = item["arguments"]?.stringValue ?? "{}"
                    let call = Conversation.ToolCall(id: id, name: name, arguments: (try? JSON.parse(arguments)) ?? .string(arguments))
                    // Consecutive calls are one assistant turn, as in a chat request.
                    if let last = messages.last, last.role == "assistant", !last.toolCalls.isEmpty {
                        messages[messages.count - 1].toolCalls.append(call)
                    } else {
                        messages.append(Conversation.Message(role: "assistant", text: "", toolCalls: [call]))
                    }
                case "function_call_output"?:
                    guard let id = item["call_id"]?.stringValue else { throw WireFormatError("every function_call_output item needs a 'call_id'") }
                    messages.append(Conversation.Message(role: "tool", text: item["output"]?.stringValue ?? "", toolCallID: id))
                case nil, "message"?:
                    guard let role = item["role"]?.stringValue else { throw WireFormatError("every message item needs a 'role'") }
                    let text: String
                    switch item["content"] {
                    case .string(let content)?: text = content
                    case .array(let parts)?: text = parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
                    default: text = ""
                    }
                    messages.append(Conversation.Message(role: role, text: text))
                default:
                    continue
                }
            }
        default:
            throw WireFormatError("the body needs an 'input' string or list of items")
        }
        guard messages.contains(where: { $0.role == "user" }) else { throw WireFormatError("the input has no user message") }
        conversation = Conversation(messages: messages)
    }
}

/// A Responses API response for one agent turn: a `message` item with `output_text`, or
/// `function_call` items, and `usage`.
enum ResponsesResponse {
    static func body(model: String, turn: AgentTurn, conversation: Conversation, created: Int) -> JSON {
        var output: [JSON] = []
        var completionCharacters = 0
        let step = conversation.messages.count
        switch turn {
        case .answer(let text):
            completionCharacters = text.count
            output.append([
                "type": "message", "id": .string("msg_" + StableHash.hex(of: "\(step)|\(text)", length: 24)), "role": "assistant",
                "status": "completed", "content": [["type": "output_text", "text": .string(text), "annotations": []]],
            ])
        case .toolCalls(let calls):
            for (offset, call) in calls.enumerated() {
                let arguments = JSON.object(call.arguments).serialized
                completionCharacters += call.name.count + arguments.count
                let key = "\(step)|\(offset)|\(call.name)|\(arguments)"
                output.append([
                    "type": "function_call", "id": .string("fc_" + StableHash.hex(of: key, length: 24)),
                    "call_id": .string("call_" + StableHash.hex(of: key, length: 24)), "name": .string(call.name), "arguments": .string(arguments),
                    "status": "completed",
                ])
            }
        }
        let inputTokens = conversation.estimatedTokens
        let outputTokens = max(1, completionCharacters / 4)
        return [
            "id": .string("resp_" + StableHash.hex(of: conversation.lastUserText + "|\(step)", length: 24)),
            "object": "response", "created_at": .number(Double(created)), "status": "completed", "model": .string(model),
            "output": .array(output),
            "usage": [
                "input_tokens": .number(Double(inputTokens)), "output_tokens": .number(Double(outputTokens)),
                "total_tokens": .number(Double(inputTokens + outputTokens)),
            ],
        ]
    }
}
