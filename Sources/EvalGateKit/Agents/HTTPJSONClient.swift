import Foundation

/// A generic JSON API: the request body is the pipeline's template filled with the case, the answer
/// is found in the response by JSON Pointer.
public struct HTTPJSONClient: AgentClient {
    public let endpoint: EndpointDefinition
    let transport: HTTPTransport

    public init(endpoint: EndpointDefinition, transport: HTTPTransport) {
        self.endpoint = endpoint
        self.transport = transport
    }

    public func answer(_ goldenCase: GoldenCase) async throws(AgentError) -> AgentAnswer {
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
        return try RequestTemplate.extractAnswer(from: json, endpoint: endpoint, snippet: response.bodySnippet)
    }

    public func shutdown() async {}
}
