/// A deterministic scorer that explains itself well enough to be negated: every built-in scorer is one.
protocol VerdictScorer: DeterministicScorer {
    func verdict(for input: ScoringInput) -> ScorerVerdict
}

extension VerdictScorer {
    func evaluate(_ input: ScoringInput) -> ScoreOutcome {
        verdict(for: input).outcome
    }
}
