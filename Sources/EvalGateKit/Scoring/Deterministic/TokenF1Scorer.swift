/// `token-f1`: SQuAD-style F1 of the answer's normalised tokens against the reference's.
struct TokenF1Scorer: VerdictScorer {
    static let defaultThreshold = 0.5

    let reference: String
    let referenceCounts: [String: Int]
    let referenceTokenCount: Int
    let threshold: Double

    init(reference: String, threshold: Double) {
        self.init(reference: reference, tokens: TextSimilarity.squadTokens(reference), threshold: threshold)
    }

    /// With the reference's `TextSimilarity.squadTokens`, when the caller has them already.
    init(reference: String, tokens: [String], threshold: Double) {
        self.reference = reference
        self.referenceCounts = tokens.reduce(into: [:]) { $0[$1, default: 0] += 1 }
        self.referenceTokenCount = tokens.count
        self.threshold = threshold
    }

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let candidate = TextSimilarity.squadTokens(input.answer.text)
        var candidateCounts: [String: Int] = [:]
        for token in candidate where referenceCounts[token] != nil {
            candidateCounts[token, default: 0] += 1
        }
        let common = candidateCounts.reduce(0) { $0 + min($1.value, referenceCounts[$1.key]!) }
        var score = 0.0
        if candidate.isEmpty || referenceTokenCount == 0 {
            score = candidate.isEmpty && referenceTokenCount == 0 ? 1 : 0
        } else if common > 0 {
            let precision = Double(common) / Double(candidate.count)
            let recall = Double(common) / Double(referenceTokenCount)
            score = 2 * precision * recall / (precision + recall)
        }
        return SimilarityVerdict.make(metric: "token F1", score: score, threshold: threshold, reference: reference)
    }
}
