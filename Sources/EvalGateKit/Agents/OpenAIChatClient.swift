import Foundation

/// The Chat Completions wire format as OpenAI, Azure OpenAI, vLLM, Ollama and LiteLLM serve it.
/// Tool-using agents get the case's fixture results back until they answer or run out of steps.
public struct OpenAIChatClient: AgentClient {
    public let endpoint: EndpointDefinition
    let transport: HTTPTransport
    let url: String

    public init(endpoint: EndpointDefinition, transport: HTTPTransport) {
        self.endpoint = endpoint
        self.transport = transport
        self.url = URLBuilder.url(endpoint.url ?? "", query: endpoint.query)
    }

    public func answer(_ goldenCase: GoldenCase) async throws(AgentError) -> AgentAnswer {
        var messages: [JSONValue] = []
        if let system = endpoint.systemPrompt, !system.isEmpty {
            messages.append(["role": "system", "content": .string(system)])
        }
        switch goldenCase.input {
        case .text(let text): messages.append(["role": "user", "content": .string(text)])
        case .messages(let list):
            if list.first?.role == "system" { messages.removeAll() }
            messages += list.map { ["role": .string($0.role), "content": .string($0.content)] }
        }
        var steps: [TrajectoryStep] = []
        var usage: TokenUsage?
        for _ in 0..<endpoint.maxSteps {
            let reply = try await complete(messages)
            if let stepUsage = reply.usage { usage = usage.map { $0 + stepUsage } ?? stepUsage }
            if reply.toolCalls.isEmpty {
                steps.append(TrajectoryStep(content: reply.content))
                return AgentAnswer(text: reply.content ?? "", trajectory: Trajectory(steps: steps, end: .answered), finishReason: reply.finishReason, usage: usage)
            }
            var calls = reply.toolCalls
            var assistant: [String: JSONValue] = ["role": "assistant", "tool_calls": .array(reply.rawToolCalls)]
            assistant["content"] = reply.content.map(JSONValue.string) ?? .null
            messages.append(.object(assistant))
            var missing: String?
            for index in calls.indices {
                guard let fixture = goldenCase.toolFixtures[calls[index].name], let result = fixture.result(for: calls[index].arguments) else {
                    missing = calls[index].name
                    break
                }
                calls[index].result = result
                messages.append(["role": "tool", "tool_call_id": .string(calls[index].id), "content": .string(result.plainText)])
            }
            steps.append(TrajectoryStep(toolCalls: calls, content: reply.content))
            if missing != nil {
                return AgentAnswer(text: reply.content ?? "", trajectory: Trajectory(steps: steps, end: .missingFixture), finishReason: reply.finishReason, usage: usage)
            }
        }
        return AgentAnswer(text: steps.last?.content ?? "", trajectory: Trajectory(steps: steps, end: .maxSteps), finishReason: "max_steps", usage: usage)
    }

    struct Reply {
        var content: String?
        var toolCalls: [ToolCall]
        var rawToolCalls: [JSONValue]
        var finishReason: String?
        var usage: TokenUsage?
    }

    func complete(_ messages: [JSONValue]) async throws(AgentError) -> Reply {
        var body = endpoint.parameters
        body["model"] = .string(endpoint.model ?? "")
        body["messages"] = .array(messages)
        if !endpoint.tools.isEmpty { body["tools"] = .array(endpoint.tools) }
        let response = try await transport.send(url: url, method: "POST", headers: endpoint.headers, body: JSONValue.object(body).jsonData, timeout: endpoint.timeout)
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
        var reply = Reply(content: message["content"]?.stringValue, toolCalls: [], rawToolCalls: [], finishReason: choice["finish_reason"]?.stringValue)
        if let raw = message["tool_calls"]?.arrayValue {
            reply.rawToolCalls = raw
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
                reply.toolCalls.append(ToolCall(id: call["id"]?.stringValue ?? "call_\(index)", name: name, arguments: arguments))
            }
        }
        if let usage = json["usage"], let input = usage["prompt_tokens"]?.doubleValue, let output = usage["completion_tokens"]?.doubleValue {
            reply.usage = TokenUsage(inputTokens: Int(input), outputTokens: Int(output))
        }
        return reply
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
