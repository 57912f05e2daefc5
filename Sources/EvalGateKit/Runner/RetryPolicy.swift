/// Exponential backoff with full jitter for retryable agent errors, honouring `Retry-After`.
public struct RetryPolicy: Sendable {
    public var maxRetries: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// A server asking for longer than this is not waited for beyond it.
    public var maxRetryAfter: Double

    public init(maxRetries: Int, baseDelay: Double = 0.2, maxDelay: Double = 10, maxRetryAfter: Double = 60) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// Seconds to wait before retry number `attempt` (1-based) after `error`; `nil` means give up.
    public func delay(after error: AgentError, attempt: Int, random: inout some RandomNumberGenerator) -> Double? {
        guard error.isRetryable, attempt <= maxRetries else { return nil }
        if let retryAfter = error.retryAfter { return min(retryAfter, maxRetryAfter) }
        let ceiling = min(maxDelay, baseDelay * pow2(attempt - 1))
        return Double.random(in: 0...ceiling, using: &random)
    }

    func pow2(_ exponent: Int) -> Double {
        Double(1 << min(max(exponent, 0), 20))
    }
}
