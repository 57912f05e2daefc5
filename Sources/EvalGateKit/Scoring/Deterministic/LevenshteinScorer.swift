/// `levenshtein`: normalised edit similarity, 1 − distance / longer length, of the trimmed answer
/// to the expected text.
struct LevenshteinScorer: VerdictScorer {
    static let defaultThreshold = 0.8

    let reference: String
    let threshold: Double
    let caseSensitive: Bool

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let answer = TextSimilarity.trimmed(input.answer.text)
        let expected = TextSimilarity.trimmed(reference)
        let a = Array((caseSensitive ? String(answer) : answer.lowercased()).unicodeScalars)
        let b = Array((caseSensitive ? String(expected) : expected.lowercased()).unicodeScalars)
        let longer = max(a.count, b.count)
        if longer == 0 {
            return SimilarityVerdict.make(metric: "similarity", score: 1, threshold: threshold, reference: reference)
        }
        if let distance = TextSimilarity.editDistance(a, b) {
            return SimilarityVerdict.make(
                metric: "similarity", score: 1 - Double(distance) / Double(longer), threshold: threshold, reference: reference)
        }
        // Too large for a full table: the length difference alone bounds the distance from below.
        let bound = 1 - Double(abs(a.count - b.count)) / Double(longer)
        if bound < threshold {
            return SimilarityVerdict.make(metric: "similarity", score: bound, threshold: threshold, reference: reference, bound: true)
        }
        return .inconclusive(
            "texts of \(a.count) and \(b.count) characters are too long to compare by edit distance; use rouge-l or token-f1 for long texts")
    }
}
