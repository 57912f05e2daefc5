import Foundation

/// Reads an A2A endpoint's agent card at validation time (`evalgate validate`): a card that says
/// the agent does not speak JSON-RPC, or is not a card, is an error; an agent that cannot be reached
/// or publishes no card is a warning (the run may happen elsewhere), as for the simulator.
public enum AgentCardCheck {
    /// Where the card of `endpoint` is: its `card`, or `/.well-known/agent-card.json` on its host.
    public static func cardURL(for endpoint: EndpointDefinition) -> String? {
        if let card = endpoint.card { return card }
        guard let url = endpoint.url, var parts = URLComponents(string: url), parts.host != nil else { return nil }
        parts.path = "/.well-known/agent-card.json"
        parts.query = nil
        parts.fragment = nil
        return parts.string
    }

    public static func diagnostics(for definition: PipelineDefinition, timeout: Double = 3) async -> [Diagnostic] {
        await diagnostics(for: definition.agent.endpoint, at: definition.location, timeout: timeout)
    }

    public static func diagnostics(for endpoint: EndpointDefinition, at location: SourceLocation, timeout: Double = 3) async -> [Diagnostic] {
        guard endpoint.kind == .a2a, let cardURL = cardURL(for: endpoint) else { return [] }
        let shown = Redactor.redactURLCredentials(cardURL)
        let transport = HTTPTransport(maxConcurrency: 1, maxResponseBytes: 1 << 20)
        let response: HTTPTransport.Response
        do {
            response = try await transport.send(url: cardURL, method: "GET", headers: endpoint.headers, body: nil, timeout: timeout)
            await transport.shutdown()
        } catch {
            await transport.shutdown()
            return [
                Diagnostic(
                    .warning, location, "the A2A agent card at \(shown) is unreachable (\(error.kind.rawValue): \(error.message))",
                    hint: "the run fails with connection errors (inconclusive) until the agent answers")
            ]
        }
        if let error = response.statusError() {
            return [
                Diagnostic(
                    .warning, location, "no A2A agent card at \(shown) (\(error.message))",
                    hint: "A2A agents publish their card at /.well-known/agent-card.json; give its address as 'endpoint.card'")
            ]
        }
        guard let card = try? JSONValue(parsing: response.body), case .object = card else {
            return [Diagnostic(.error, location, "the A2A agent card at \(shown) is not a JSON object: \(response.bodySnippet)")]
        }
        return check(card, shown: shown, endpointURL: endpoint.url ?? "", location: location)
    }

    /// What a card says about the endpoint the pipeline sends to. Reads v0.3 cards (`url` with
    /// `preferredTransport`, `additionalInterfaces[].transport`) and v1.0 cards
    /// (`supportedInterfaces[].protocolBinding`).
    static func check(_ card: JSONValue, shown: String, endpointURL: String, location: SourceLocation) -> [Diagnostic] {
        let name = card["name"]?.stringValue ?? ""
        let url = card["url"]?.stringValue
        let interfaces = (card["additionalInterfaces"]?.arrayValue ?? []) + (card["supportedInterfaces"]?.arrayValue ?? [])
        guard !name.isEmpty, !(url ?? "").isEmpty || !interfaces.isEmpty else {
            return [
                Diagnostic(
                    .error, location, "the A2A agent card at \(shown) has no 'name', or no 'url' or 'supportedInterfaces'",
                    hint: "an agent card names the agent and the URLs of its interfaces (A2A specification, AgentCard)")
            ]
        }
        var jsonRPC: [String] = []
        if let url, !url.isEmpty, (card["preferredTransport"]?.stringValue ?? "JSONRPC").uppercased() == "JSONRPC" { jsonRPC.append(url) }
        for interface in interfaces {
            let binding = interface["transport"]?.stringValue ?? interface["protocolBinding"]?.stringValue
            if binding?.uppercased() == "JSONRPC", let address = interface["url"]?.stringValue { jsonRPC.append(address) }
        }
        if jsonRPC.isEmpty {
            return [
                Diagnostic(
                    .error, location, "the A2A agent '\(name)' does not offer JSON-RPC (its card at \(shown) lists no JSONRPC interface)",
                    hint: "evalgate speaks A2A over JSON-RPC 2.0; point 'endpoint.url' at an agent that offers it")
            ]
        }
        guard jsonRPC.contains(where: { sameAddress($0, endpointURL) }) else {
            return [
                Diagnostic(
                    .warning, location,
                    "the A2A agent card at \(shown) names \(jsonRPC.map(Redactor.redactURLCredentials).joined(separator: ", ")) as its JSON-RPC endpoint, not \(Redactor.redactURLCredentials(endpointURL))",
                    hint: "check 'endpoint.url', or give the card of this agent as 'endpoint.card'")
            ]
        }
        return []
    }

    static func sameAddress(_ a: String, _ b: String) -> Bool {
        func normal(_ text: String) -> String {
            var text = text.lowercased()
            while text.hasSuffix("/") { text.removeLast() }
            return text
        }
        return normal(a) == normal(b)
    }
}
