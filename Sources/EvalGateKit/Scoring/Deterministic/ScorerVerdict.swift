/// What a scorer found, with what negation needs: how the finding reads when it is forbidden,
/// and whether the scorer could decide at all (an undecided check must not pass when negated).
struct ScorerVerdict: Sendable, Equatable {
    var score: Double
    var passed: Bool
    var reason: String
    /// The reason when the scorer is negated and its check held: "found forbidden 'internal-only'".
    var forbiddenReason: String?
    /// The scorer could not judge (cost unknown, regex timed out, answer not JSON); fails either way.
    var inconclusive: Bool

    init(score: Double, passed: Bool, reason: String, forbiddenReason: String? = nil, inconclusive: Bool = false) {
        self.score = score
        self.passed = passed
        self.reason = reason
        self.forbiddenReason = forbiddenReason
        self.inconclusive = inconclusive
    }

    static func pass(_ reason: String, forbidden: String? = nil) -> ScorerVerdict {
        ScorerVerdict(score: 1, passed: true, reason: reason, forbiddenReason: forbidden)
    }

    static func fail(_ reason: String) -> ScorerVerdict {
        ScorerVerdict(score: 0, passed: false, reason: reason)
    }

    static func inconclusive(_ reason: String) -> ScorerVerdict {
        ScorerVerdict(score: 0, passed: false, reason: reason, inconclusive: true)
    }

    var outcome: ScoreOutcome {
        ScoreOutcome(score: Self.clamped(score), passed: passed, reason: reason)
    }

    /// Scores are kept in 0...1 whatever arithmetic produced them; NaN counts as 0.
    static func clamped(_ score: Double) -> Double {
        score.isNaN ? 0 : min(1, max(0, score))
    }
}
