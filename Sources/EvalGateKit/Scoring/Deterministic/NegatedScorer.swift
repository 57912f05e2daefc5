/// Runs a scorer written as `not-TYPE`: inverts its score and outcome, phrases the reason as a
/// forbidden finding, and keeps undecided checks failing (fail closed).
struct NegatedScorer: DeterministicScorer {
    let base: any VerdictScorer
    /// The name that prefixes reasons, as written: `not-contains`, `tool-not-called`.
    let name: String

    func evaluate(_ input: ScoringInput) -> ScoreOutcome {
        let verdict = base.verdict(for: input)
        if verdict.inconclusive {
            return ScoreOutcome(score: 0, passed: false, reason: "\(name): \(verdict.reason)")
        }
        let reason = verdict.passed ? verdict.forbiddenReason ?? verdict.reason : verdict.reason
        return ScoreOutcome(score: 1 - ScorerVerdict.clamped(verdict.score), passed: !verdict.passed, reason: "\(name): \(reason)")
    }
}
