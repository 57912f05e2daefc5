/// The verdict of one scorer on one answer.
public struct ScoreResult: Sendable, Equatable, Codable {
    /// The scorer as written (`not-contains`).
    public var scorer: String
    /// Between 0 and 1.
    public var score: Double
    public var passed: Bool
    /// A sentence a person can read: "expected 'refund_denied', got 'refund_issued'".
    public var reason: String
    public var weight: Double
    public var metric: String?

    public init(scorer: String, score: Double, passed: Bool, reason: String, weight: Double = 1, metric: String? = nil) {
        self.scorer = scorer
        self.score = score
        self.passed = passed
        self.reason = reason
        self.weight = weight
        self.metric = metric
    }
}
