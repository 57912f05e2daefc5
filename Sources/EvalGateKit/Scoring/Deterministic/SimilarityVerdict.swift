/// The shared verdict of the similarity scorers: a score against a threshold, phrased the same way.
enum SimilarityVerdict {
    /// Slack for floating-point noise when a score is compared with its threshold.
    static let epsilon = 1e-9

    static func make(metric: String, score: Double, threshold: Double, reference: String, bound: Bool = false) -> ScorerVerdict {
        let quoted = ReasonText.quote(reference)
        let value = (bound ? "at most " : "") + ReasonText.score(score)
        let limit = ReasonText.score(threshold)
        if score + epsilon >= threshold {
            return ScorerVerdict(
                score: score, passed: true,
                reason: "\(metric) \(value) to \(quoted) reaches the threshold \(limit)",
                forbiddenReason: "\(metric) \(value) to \(quoted) reaches the threshold \(limit), too close to the forbidden text")
        }
        return ScorerVerdict(score: score, passed: false, reason: "\(metric) \(value) to \(quoted) is below the threshold \(limit)")
    }
}
