/// Something that can answer a golden case: an OpenAI-compatible chat endpoint, a JSON API, a local command.
/// One attempt per call; retries, deadlines across attempts and rate limits belong to the runner.
public protocol AgentClient: Sendable {
    func answer(_ goldenCase: GoldenCase) async throws(AgentError) -> AgentAnswer
    /// Releases connections and processes; called once when the run ends, on every path.
    func shutdown() async
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
    }

    public var kind: Kind
    public var message: String
    public var status: Int?
    /// Seconds the server asked us to wait (`Retry-After`).
    public var retryAfter: Double?

    public init(_ kind: Kind, _ message: String, status: Int? = nil, retryAfter: Double? = nil) {
        self.kind = kind
        self.message = message
        self.status = status
        self.retryAfter = retryAfter
    }

    /// Connection problems, timeouts, 429 and 5xx may succeed on a second try; the rest will not.
    public var isRetryable: Bool {
        switch kind {
        case .connection, .timeout, .rateLimited, .serverError, .malformedResponse, .judgeFailed: return true
        case .clientError, .responseTooLarge, .missingAnswer, .processFailed, .cancelled, .budgetExceeded: return false
        }
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
