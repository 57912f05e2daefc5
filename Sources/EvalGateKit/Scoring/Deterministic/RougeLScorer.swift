/// `rouge-l`: F-measure of the longest common subsequence of lowercased words, answer against reference.
struct RougeLScorer: VerdictScorer {
    static let defaultThreshold = 0.5

    let reference: String
    let threshold: Double
    /// Each distinct reference word numbered in order of first appearance.
    let vocabulary: [String: Int]
    let referenceIDs: [Int]

    init(reference: String, threshold: Double) {
        self.reference = reference
        self.threshold = threshold
        var vocabulary: [String: Int] = [:]
        referenceIDs = TextSimilarity.words(reference).map { word in
            if let id = vocabulary[word] { return id }
            vocabulary[word] = vocabulary.count
            return vocabulary.count - 1
        }
        self.vocabulary = vocabulary
    }

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let candidateIDs = TextSimilarity.words(input.answer.text).map { vocabulary[$0] ?? -1 }
        guard let lcs = TextSimilarity.lcsLength(reference: referenceIDs, candidate: candidateIDs, vocabularySize: vocabulary.count) else {
            return .inconclusive("answer of \(candidateIDs.count) words is too long to compare with a \(referenceIDs.count)-word reference")
        }
        var score = 0.0
        if lcs > 0 {
            let precision = Double(lcs) / Double(candidateIDs.count)
            let recall = Double(lcs) / Double(referenceIDs.count)
            score = 2 * precision * recall / (precision + recall)
        }
        return SimilarityVerdict.make(metric: "ROUGE-L", score: score, threshold: threshold, reference: reference)
    }
}
