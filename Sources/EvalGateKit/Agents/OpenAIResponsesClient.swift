import Foundation

/// The OpenAI Responses API (`POST /v1/responses`): the conversation goes out as `input` items
/// (messages, `function_call` and `function_call_output` items), the turn comes back as `output`
/// items (`message` with `output_text`, `function_call`), with `usage`.
///
/// The full item list is sent on every turn (`store: false`, no `previous_response_id`): the
/// server keeps nothing between turns, so a retried or repeated conversation is exactly the same
/// request, and endpoints that do not store responses (Azure, proxies, zero-retention accounts)
/// work the same way.
public struct OpenAIResponsesClient: AgentClient {
    public let endpoint: EndpointDefinition
    let transport: HTTPTransport
    let url: String

    public init(endpoint: EndpointDefinition, transport: HTTPTransport) {
        self.endpoint = endpoint
        self.transport = transport
        self.url = URLBuilder.url(endpoint.url ?? "", query: endpoint.query)
    }

    public func answer(_ goldenCase: GoldenCase) async throws(AgentError) -> AgentAnswer {
        try await ToolLoop(client: self, maxSteps: endpoint.maxSteps).answer(goldenCase, tools: endpoint.tools)
    }

    public func respond(to conversation: Conversation) async throws(AgentError) -> AssistantTurn {
        var body = endpoint.parameters
        body["model"] = .string(endpoint.model ?? "")
        body["input"] = .array(Self.items(conversation.messages))
        body["store"] = false
        if let system = endpoint.systemPrompt, !system.isEmpty, conversation.messages.first?.role != .system {
            body["instructions"] = .string(system)
        }
        if !conversation.tools.isEmpty { body["tools"] = .array(conversation.tools.map(Self.tool)) }
        let response = try await transport.send(
            url: url, method: "POST", headers: endpoint.headers, body: JSONValue.object(body).jsonData, timeout: endpoint.timeout)
        if let error = response.statusError() { throw error }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: response.body)
        } catch {
            throw AgentError(.malformedResponse, "response is not JSON: \(response.bodySnippet)", status: response.status)
        }
        return try Self.turn(from: json, snippet: response.bodySnippet, status: response.status)
    }

    /// The conversation as Responses `input` items.
    static func items(_ messages: [ConversationMessage]) -> [JSONValue] {
        var items: [JSONValue] = []
        for message in messages {
            switch message.role {
            case .tool:
                items.append(["type": "function_call_output", "call_id": .string(message.toolCallID ?? ""), "output": .string(message.content ?? "")])
            case .assistant where !message.toolCalls.isEmpty:
                if let text = message.content, !text.isEmpty { items.append(["role": "assistant", "content": .string(text)]) }
                for call in message.toolCalls {
                    let arguments: String
                    if case .string(let text) = call.arguments { arguments = text } else { arguments = call.arguments.compactJSON }
                    items.append(["type": "function_call", "call_id": .string(call.id), "name": .string(call.name), "arguments": .string(arguments)])
                }
            default:
                items.append(["role": .string(message.role.rawValue), "content": .string(message.content ?? "")])
            }
        }
        return items
    }

    /// A Chat Completions tool definition (`{type: function, function: {name, ...}}`, as pipelines
    /// declare tools) in the Responses shape (`{type: function, name, description, parameters}`).
    static func tool(_ definition: JSONValue) -> JSONValue {
        guard case .object(var fields) = definition, case .object(let function)? = fields["function"] else { return definition }
        fields["function"] = nil
        for (key, value) in function { fields[key] = value }
        return .object(fields)
    }

    static func turn(from json: JSONValue, snippet: String, status: Int) throws(AgentError) -> AssistantTurn {
        if let message = json["error"]?["message"]?.stringValue {
            throw AgentError(.serverError, "endpoint returned an error: \(message)", status: status)
        }
        guard let output = json["output"]?.arrayValue else {
            throw AgentError(.malformedResponse, "response has no output items: \(snippet)", status: status)
        }
        var texts: [String] = []
        var turn = AssistantTurn(text: nil, finishReason: json["status"]?.stringValue)
        for (index, item) in output.enumerated() {
            switch item["type"]?.stringValue {
            case "message"?:
                for part in item["content"]?.arrayValue ?? [] where part["type"]?.stringValue == "output_text" {
                    if let text = part["text"]?.stringValue { texts.append(text) }
                }
            case "function_call"?:
                guard let name = item["name"]?.stringValue else {
                    throw AgentError(.malformedResponse, "function_call item \(index + 1) has no name")
                }
                var arguments: JSONValue = .object([:])
                if let text = item["arguments"]?.stringValue { arguments = (try? JSONValue(parsing: text)) ?? .string(text) }
                let id = item["call_id"]?.stringValue ?? item["id"]?.stringValue ?? "call_\(index)"
                turn.toolCalls.append(ToolCall(id: id, name: name, arguments: arguments))
            default:
                continue  // reasoning, web search and other items carry nothing evalgate scores
            }
        }
        if !texts.isEmpty { turn.text = texts.joined(separator: "\n") }
        if turn.text == nil && turn.toolCalls.isEmpty {
            throw AgentError(.missingAnswer, "the response has neither output text nor function calls: \(snippet)", status: status)
        }
        if let usage = json["usage"], let input = usage["input_tokens"]?.doubleValue, let outputTokens = usage["output_tokens"]?.doubleValue {
            turn.usage = TokenUsage(inputTokens: Int(input), outputTokens: Int(outputTokens))
        }
        return turn
    }

    public func shutdown() async {}
}
