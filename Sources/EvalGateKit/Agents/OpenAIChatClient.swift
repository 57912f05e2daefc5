import Foundation

/// The Chat Completions wire format as OpenAI, Azure OpenAI, vLLM, Ollama and LiteLLM serve it.
public struct OpenAIChatClient: AgentClient {
    public let endpoint: EndpointDefinition
    let transport: HTTPTransport
    let url: String

    public init(endpoint: EndpointDefinition, transport: HTTPTransport) {
        self.endpoint = endpoint
        self.transport = transport
        self.url = URLBuilder.url(endpoint.url ?? "", query: endpoint.query)
    }

    /// Tool-using agents get the case's fixture results back until they answer or run out of steps.
    public func answer(_ goldenCase: GoldenCase) async throws(AgentError) -> AgentAnswer {
        try await ToolLoop(client: self, maxSteps: endpoint.maxSteps).answer(goldenCase, tools: endpoint.tools)
    }

    /// One chat completion. The endpoint's system prompt opens the conversation unless the
    /// conversation brings its own system message; the conversation's tools are offered.
    public func respond(to conversation: Conversation) async throws(AgentError) -> AssistantTurn {
        var messages: [JSONValue] = []
        if let system = endpoint.systemPrompt, !system.isEmpty, conversation.messages.first?.role != .system {
            messages.append(["role": "system", "content": .string(system)])
        }
        messages += conversation.messages.map(Self.wire)
        var body = endpoint.parameters
        body["model"] = .string(endpoint.model ?? "")
        body["messages"] = .array(messages)
        if !conversation.tools.isEmpty { body["tools"] = .array(conversation.tools) }
        let response = try await transport.send(
            url: url, method: "POST", headers: endpoint.headers, body: JSONValue.object(body).jsonData, timeout: endpoint.timeout)
        if let error = response.statusError() { throw error }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: response.body)
        } catch {
            throw AgentError(.malformedResponse, "response is not JSON: \(response.bodySnippet)", status: response.status)
        }
        if let message = json["error"]?["message"]?.stringValue {
            throw AgentError(.serverError, "endpoint returned an error: \(message)", status: response.status)
        }
        guard let choice = json["choices"]?.arrayValue?.first, let message = choice["message"] else {
            throw AgentError(.malformedResponse, "response has no choices[0].message: \(response.bodySnippet)", status: response.status)
        }
        var turn = AssistantTurn(text: message["content"]?.stringValue, finishReason: choice["finish_reason"]?.stringValue)
        if let raw = message["tool_calls"]?.arrayValue {
            for (index, call) in raw.enumerated() {
                guard let name = call["function"]?["name"]?.stringValue else {
                    throw AgentError(.malformedResponse, "tool call \(index + 1) has no function name")
                }
                let argumentsText = call["function"]?["arguments"]
                var arguments: JSONValue = .object([:])
                switch argumentsText {
                case .string(let text)?: arguments = (try? JSONValue(parsing: text)) ?? .string(text)
                case .object(let object)?: arguments = .object(object)
                default: break
                }
                turn.toolCalls.append(ToolCall(id: call["id"]?.stringValue ?? "call_\(index)", name: name, arguments: arguments))
            }
        }
        if let usage = json["usage"], let input = usage["prompt_tokens"]?.doubleValue, let output = usage["completion_tokens"]?.doubleValue {
            turn.usage = TokenUsage(inputTokens: Int(input), outputTokens: Int(output))
        }
        return turn
    }

    /// A message in the Chat Completions format. Tool calls go back as the model sent them, with
    /// arguments as a JSON string (or the model's own text when it was not JSON).
    static func wire(_ message: ConversationMessage) -> JSONValue {
        var wire: [String: JSONValue] = ["role": .string(message.role.rawValue)]
        if message.toolCalls.isEmpty {
            wire["content"] = .string(message.content ?? "")
        } else {
            wire["content"] = message.content.map(JSONValue.string) ?? .null
            wire["tool_calls"] = .array(
                message.toolCalls.map { call -> JSONValue in
                    let arguments: String
                    if case .string(let text) = call.arguments { arguments = text } else { arguments = call.arguments.compactJSON }
                    return ["id": .string(call.id), "type": "function", "function": ["name": .string(call.name), "arguments": .string(arguments)]]
                })
        }
        if let id = message.toolCallID { wire["tool_call_id"] = .string(id) }
        return .object(wire)
    }

    public func shutdown() async {}
}

enum URLBuilder {
    /// Appends query items, percent-encoded, to a URL that may already have a query.
    static func url(_ base: String, query: [String: String]) -> String {
        guard !query.isEmpty else { return base }
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        let items = query.sorted { $0.key < $1.key }.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }
        return base + (base.contains("?") ? "&" : "?") + items.joined(separator: "&")
    }
}
