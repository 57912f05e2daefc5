/// `starts-with`: the answer, after leading whitespace, begins with the expected text.
struct StartsWithScorer: VerdictScorer {
    let prefix: String
    let caseSensitive: Bool

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let answer = TextSimilarity.trimmed(input.answer.text)
        let quoted = ReasonText.quote(prefix)
        let opening = answer.prefix(prefix.count)
        if caseSensitive ? answer.hasPrefix(prefix) : opening.lowercased() == prefix.lowercased() {
            return .pass("answer starts with \(quoted)", forbidden: "answer starts with forbidden \(quoted)")
        }
        if answer.isEmpty { return .fail("answer is empty; expected it to start with \(quoted)") }
        return .fail("answer starts with \(ReasonText.quote(opening)), not \(quoted)")
    }
}
