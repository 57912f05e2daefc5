import Foundation

/// A generic JSON API: the request body is the pipeline's template filled with the case, the answer
/// is found in the response by JSON Pointer.
///
/// Such an API answers in one exchange and never calls tools. A conversation is rendered into the
/// template as a case whose input is the conversation: while it is the case's opening, `{{input}}` is
/// the case's input as before (a string, or the message list); once it has more turns, `{{input}}` is
/// the whole transcript as `{role, content}` messages, sent again on every turn, and `{{input.text}}`
/// the last user message. `{{id}}`, `{{expected}}` and `{{metadata.KEY}}` come from the conversation's case.
public struct HTTPJSONClient: AgentClient {
    public let endpoint: EndpointDefinition
    let transport: HTTPTransport

    public init(endpoint: EndpointDefinition, transport: HTTPTransport) {
        self.endpoint = endpoint
        self.transport = transport
    }

    public func answer(_ goldenCase: GoldenCase) async throws(AgentError) -> AgentAnswer {
        AgentAnswer(singleExchange: try await respond(to: Conversation(goldenCase)))
    }

    public func respond(to conversation: Conversation) async throws(AgentError) -> AssistantTurn {
        let goldenCase = conversation.requestCase
        var url = URLBuilder.url(endpoint.url ?? "", query: endpoint.query)
        if url.contains("{{") {
            let encoded = RequestTemplate.substitute(url, goldenCase)
            url = encoded == url ? url : (encoded.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed) ?? encoded)
        }
        let template = endpoint.body ?? ["input": "{{input}}"]
        let body = endpoint.method == "GET" ? nil : RequestTemplate.render(template, with: goldenCase).jsonData
        let response = try await transport.send(url: url, method: endpoint.method, headers: endpoint.headers, body: body, timeout: endpoint.timeout)
        if let error = response.statusError() { throw error }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: response.body)
        } catch {
            throw AgentError(.malformedResponse, "response is not JSON: \(response.bodySnippet)", status: response.status)
        }
        let answer = try RequestTemplate.extractAnswer(from: json, endpoint: endpoint, snippet: response.bodySnippet)
        return AssistantTurn(text: answer.text, json: answer.json, usage: answer.usage)
    }

    public func shutdown() async {}
}
