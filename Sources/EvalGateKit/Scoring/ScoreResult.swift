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
    /// Who gave the score: a deterministic scorer, a judge model, or a person.
    public var source: ScoreSource

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case scorer, score, passed, reason, weight, metric, source
    }

    public init(
        scorer: String, score: Double, passed: Bool, reason: String, weight: Double = 1, metric: String? = nil,
        source: ScoreSource = .deterministic
    ) {
        self.scorer = scorer
        self.score = score
        self.passed = passed
        self.reason = reason
        self.weight = weight
        self.metric = metric
        self.source = source
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scorer = try container.decode(String.self, forKey: .scorer)
        score = try container.decode(Double.self, forKey: .score)
        passed = try container.decode(Bool.self, forKey: .passed)
        reason = try container.decode(String.self, forKey: .reason)
        weight = try container.decode(Double.self, forKey: .weight)
        metric = try container.decodeIfPresent(String.self, forKey: .metric)
        // Records from before `source` existed marked judge scores in the reason only.
        source = try container.decodeIfPresent(ScoreSource.self, forKey: .source) ?? (reason.hasPrefix("[judge]") ? .judge : .deterministic)
    }
}

/// Where a score came from.
public enum ScoreSource: String, Sendable, Codable, CaseIterable {
    /// A scorer that runs locally on the answer (`contains`, `json-schema`, `tool-called`, ...).
    case deterministic
    /// A judge model (`llm-rubric`, `factuality`, `closed-qa`) or an embedding model (`similar`).
    case judge
    /// A person's label in review.
    case human
}
