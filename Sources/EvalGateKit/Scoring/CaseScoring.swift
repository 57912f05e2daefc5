/// Turns the scorers' verdicts on one case into the case's score and pass/fail, the way every
/// report and gate counts them.
public enum CaseScoring {
    /// Slack for floating-point noise when a weighted mean is compared with a threshold.
    static let epsilon = 1e-9

    /// The weighted mean of the scores, and whether the case passed.
    ///
    /// Weights below 0 (or not numbers) count as 0; when every weight is 0 the plain mean is used.
    /// With a threshold the case passes when the score reaches it; without one, when every scorer
    /// passed. No results is a failure with score 0: a case nothing checked does not pass.
    public static func combine(_ results: [ScoreResult], threshold: Double?) -> (score: Double, passed: Bool) {
        guard !results.isEmpty else { return (0, false) }
        let scores = results.map { ScorerVerdict.clamped($0.score) }
        let weights = results.map { $0.weight.isFinite && $0.weight > 0 ? $0.weight : 0 }
        let totalWeight = weights.reduce(0, +)
        let score: Double
        if totalWeight > 0 {
            score = zip(scores, weights).reduce(0) { $0 + $1.0 * $1.1 } / totalWeight
        } else {
            score = scores.reduce(0, +) / Double(scores.count)
        }
        let clamped = ScorerVerdict.clamped(score)
        if let threshold {
            return (clamped, threshold.isFinite && clamped + epsilon >= threshold)
        }
        return (clamped, results.allSatisfy(\.passed))
    }

    /// A scorer's outcome (negation already applied) as a result carrying the spec's name, weight and metric.
    public static func result(for spec: ScorerSpec, outcome: ScoreOutcome) -> ScoreResult {
        ScoreResult(
            scorer: spec.displayName,
            score: ScorerVerdict.clamped(outcome.score),
            passed: outcome.passed,
            reason: outcome.reason,
            weight: spec.weight,
            metric: spec.metric,
            source: spec.kind?.source ?? .deterministic)
    }
}
