import Foundation

/// The parts of an OpenAI Chat Completions request the reference agents read.
struct ChatCompletionRequest: Decodable, Sendable {
    struct Message: Decodable, Sendable {
        var role: String
        var content: String?
        var toolCalls: [WireToolCall]?
        var toolCallID: String?

        enum CodingKeys: String, CodingKey {
            case role, content
            case toolCalls = "tool_calls"
            case toolCallID = "tool_call_id"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            role = try container.decode(String.self, forKey: .role)
            toolCalls = try container.decodeIfPresent([WireToolCall].self, forKey: .toolCalls)
            toolCallID = try container.decodeIfPresent(String.self, forKey: .toolCallID)
            // `content` is a string, null, or a list of parts of which only the text parts matter here.
            if let text = try? container.decodeIfPresent(String.self, forKey: .content) {
                content = text
            } else if let parts = try? container.decodeIfPresent([ContentPart].self, forKey: .content) {
                content = parts.compactMap(\.text).joined(separator: "\n")
            } else {
                content = nil
            }
        }
    }

    struct ContentPart: Decodable, Sendable {
        var type: String?
        var text: String?
    }

    var model: String?
    var messages: [Message]

    var conversation: Conversation {
        Conversation(
            messages: messages.map { message in
                Conversation.Message(
                    role: message.role,
                    text: message.content ?? "",
                    toolCalls: (message.toolCalls ?? []).map {
                        Conversation.ToolCall(
                            id: $0.id, name: $0.function.name,
                            arguments: JSONCoding.decode($0.function.arguments) ?? .string($0.function.arguments))
                    },
                    toolCallID: message.toolCallID)
            })
    }
}

struct WireToolCall: Codable, Sendable {
    struct Function: Codable, Sendable {
        var name: String
        /// The arguments as a JSON document in a string, as OpenAI sends them.
        var arguments: String
    }

    var id: String
    var type: String
    var function: Function
}

/// An OpenAI Chat Completions response.
struct ChatCompletionResponse: Encodable, Sendable {
    struct Choice: Encodable, Sendable {
        var index: Int
        var message: ResponseMessage
        var finishReason: String

        enum CodingKeys: String, CodingKey {
            case index, message
            case finishReason = "finish_reason"
        }
    }

    struct ResponseMessage: Encodable, Sendable {
        var role = "assistant"
        var content: String?
        var toolCalls: [WireToolCall]?

        enum CodingKeys: String, CodingKey {
            case role, content
            case toolCalls = "tool_calls"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(role, forKey: .role)
            // OpenAI sends `"content": null` next to tool calls; clients must cope with it.
            try container.encode(content, forKey: .content)
            try container.encodeIfPresent(toolCalls, forKey: .toolCalls)
        }
    }

    struct Usage: Encodable, Sendable {
        var promptTokens: Int
        var completionTokens: Int
        var totalTokens: Int { promptTokens + completionTokens }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case totalTokens = "total_tokens"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(promptTokens, forKey: .promptTokens)
            try container.encode(completionTokens, forKey: .completionTokens)
            try container.encode(totalTokens, forKey: .totalTokens)
        }
    }

    var id: String
    var object = "chat.completion"
    var created: Int
    var model: String
    var choices: [Choice]
    var usage: Usage

    init(model: String, turn: AgentTurn, conversation: Conversation, created: Int) {
        let message: ResponseMessage
        let finishReason: String
        switch turn {
        case .answer(let text):
            message = ResponseMessage(content: text)
            finishReason = "stop"
        case .toolCalls(let calls):
            let step = conversation.messages.count
            message = ResponseMessage(
                content: nil,
                toolCalls: calls.enumerated().map { offset, call in
                    let arguments = JSONCoding.encodeToString(call.arguments)
                    let id = "call_" + StableHash.hex(of: "\(step)|\(offset)|\(call.name)|\(arguments)", length: 24)
                    return WireToolCall(id: id, type: "function", function: .init(name: call.name, arguments: arguments))
                })
            finishReason = "tool_calls"
        }
        let completionCharacters =
            (message.content?.count ?? 0)
            + (message.toolCalls ?? []).reduce(0) { $0 + $1.function.name.count + $1.function.arguments.count }
        self.id = "chatcmpl-" + StableHash.hex(of: conversation.lastUserText + "|\(conversation.messages.count)", length: 20)
        self.created = created
        self.model = model
        self.choices = [Choice(index: 0, message: message, finishReason: finishReason)]
        self.usage = Usage(promptTokens: conversation.estimatedTokens, completionTokens: max(1, completionCharacters / 4))
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage
    }
}

/// An error body in OpenAI's shape: `{"error": {"message", "type", "code"}}`.
struct WireError: Encodable, Sendable {
    struct Detail: Encodable, Sendable {
        var message: String
        var type: String
        var code: String?
    }

    var error: Detail

    init(message: String, type: String, code: String? = nil) {
        self.error = Detail(message: message, type: type, code: code)
    }
}

/// FNV-1a: a stable, cheap hash for deterministic ids (Swift's `Hasher` is seeded per process).
enum StableHash {
    static func hex(of text: String, length: Int) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in text.utf8 {
            first = (first ^ UInt64(byte)) &* 0x100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x100_0000_01b3 &+ 0x9e37_79b9
        }
        func padded(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return String((padded(first) + padded(second)).prefix(length))
    }
}
