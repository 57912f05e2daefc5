/// Everything a scorer may look at for one case.
public struct ScoringInput: Sendable {
    public var goldenCase: GoldenCase
    public var answer: AgentAnswer
    /// Wall time of the agent call, all steps included.
    public var latencyMilliseconds: Double
    /// Cost of the agent call from the pipeline's pricing, when it could be computed.
    public var cost: Double?
    /// A scenario's conversation; `nil` for a single-exchange case.
    public var conversation: ConversationRecord?
    /// The world's tables before the first turn, for `state-unchanged`; `nil` without a world.
    public var initialWorld: JSONValue?

    public init(goldenCase: GoldenCase, answer: AgentAnswer, latencyMilliseconds: Double = 0, cost: Double? = nil) {
        self.goldenCase = goldenCase
        self.answer = answer
        self.latencyMilliseconds = latencyMilliseconds
        self.cost = cost
    }
}

/// What a scorer found, before negation and weighting are applied.
public struct ScoreOutcome: Sendable, Equatable {
    public var score: Double
    public var passed: Bool
    public var reason: String

    public init(score: Double, passed: Bool, reason: String) {
        self.score = score
        self.passed = passed
        self.reason = reason
    }

    public static func pass(_ reason: String) -> ScoreOutcome { ScoreOutcome(score: 1, passed: true, reason: reason) }
    public static func fail(_ reason: String) -> ScoreOutcome { ScoreOutcome(score: 0, passed: false, reason: reason) }
}

/// A scorer that needs nothing but the answer: no network, no model. Must be fast and total.
public protocol DeterministicScorer: Sendable {
    func evaluate(_ input: ScoringInput) -> ScoreOutcome
}

/// A scorer that asks another service (a judge model, an embeddings endpoint).
public protocol ModelGradedScorer: Sendable {
    func evaluate(_ input: ScoringInput) async throws -> ScoreOutcome
}

/// A scorer spec that cannot be used as written; reported at validation with the spec's location.
public struct ScorerConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String { message }
}
