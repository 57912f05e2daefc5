/// An agent evalgate can talk to: an OpenAI-compatible chat endpoint, a JSON API, a local command.
///
/// Agents speak in turns: `respond(to:)` sends a conversation and returns the agent's next turn.
/// Answering a golden case is built on top of that (`answer(_:)`): chat endpoints run the `ToolLoop`,
/// single-exchange endpoints send the case once. One attempt per call; retries, deadlines across
/// attempts and rate limits belong to the runner.
public protocol AgentClient: Sendable {
    /// Sends the conversation and returns the agent's next turn.
    func respond(to conversation: Conversation) async throws(AgentError) -> AssistantTurn
    /// Answers a golden case, with everything the agent did on the way.
    func answer(_ goldenCase: GoldenCase) async throws(AgentError) -> AgentAnswer
    /// Releases connections and processes; called once when the run ends, on every path.
    func shutdown() async
}

extension AgentClient {
    /// A client that only speaks in turns answers a case through the tool loop, with no tools offered
    /// and the pipeline's default step limit; the built-in clients say how they answer.
    public func answer(_ goldenCase: GoldenCase) async throws(AgentError) -> AgentAnswer {
        try await ToolLoop(client: self, maxSteps: EndpointDefinition(kind: .openAIChat).maxSteps).answer(goldenCase)
    }
}

/// Why the agent could not answer: an infrastructure error, recorded apart from wrong answers.
public struct AgentError: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case connection
        case timeout
        case rateLimited = "rate-limited"
        case serverError = "server-error"
        case clientError = "client-error"
        case malformedResponse = "malformed-response"
        case responseTooLarge = "response-too-large"
        case missingAnswer = "missing-answer"
        case processFailed = "process-failed"
        case cancelled
        case budgetExceeded = "budget-exceeded"
        case judgeFailed = "judge-failed"
        /// The simulated customer of a scenario could not go on (unreachable, unreadable, out of character).
        case simulatorFailed = "simulator-failed"
    }

    public var kind: Kind
    public var message: String
    public var status: Int?
    /// Seconds the server asked us to wait (`Retry-After`).
    public var retryAfter: Double?

    /// The JSON keys: part of the documented format, so spelled out rather than derived.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, message, status, retryAfter
    }

    public init(_ kind: Kind, _ message: String, status: Int? = nil, retryAfter: Double? = nil) {
        self.kind = kind
        self.message = message
        self.status = status
        self.retryAfter = retryAfter
    }

    /// Connection problems, timeouts, 429 and 5xx may succeed on a second try; the rest will not.
    public var isRetryable: Bool {
        switch kind {
        case .connection, .timeout, .rateLimited, .serverError, .malformedResponse, .judgeFailed, .simulatorFailed: return true
        case .clientError, .responseTooLarge, .missingAnswer, .processFailed, .cancelled, .budgetExceeded: return false
        }
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
