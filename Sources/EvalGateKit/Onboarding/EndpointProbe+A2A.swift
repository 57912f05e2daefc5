import Foundation

extension EndpointProbe {
    /// An A2A agent: reads its card (as `evalgate validate` does) and sends it one `message/send`.
    public func probeA2A(endpoint: String, apiKeyVariable: String) async throws(OnboardingError) -> Finding {
        var definition = EndpointDefinition(kind: .a2a, url: endpoint, headers: keyHeaders(apiKeyVariable), timeout: timeout, retries: 0)
        definition.maxConcurrency = 1
        let card = await AgentCardCheck.diagnostics(for: definition, at: SourceLocation(file: endpoint), timeout: timeout)
        if let error = card.first(where: { $0.severity == .error }) {
            throw .noAnswer(url: endpoint, reason: error.message)
        }
        let transport = HTTPTransport(maxConcurrency: 1, maxResponseBytes: 1 << 20)
        let turn: AssistantTurn
        do {
            turn = try await A2AClient(endpoint: definition, transport: transport).respond(to: Conversation(messages: [.user(Self.question)]))
            await transport.shutdown()
        } catch {
            await transport.shutdown()
            switch error.kind {
            case .connection, .timeout: throw .unreachable(url: endpoint, reason: error.message)
            default: throw .noAnswer(url: endpoint, reason: error.message)
            }
        }
        return Finding(
            url: endpoint, models: [], model: nil, answer: Self.shortened(turn.text ?? ""), usesKey: !keyHeaders(apiKeyVariable).isEmpty,
            answerPointer: nil, usagePointers: nil, notes: card.map(\.message))
    }
}
