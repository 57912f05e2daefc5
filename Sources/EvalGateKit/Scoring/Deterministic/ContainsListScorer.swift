/// `contains-any` and `contains-all`: the answer includes at least one, or every one, of several texts.
struct ContainsListScorer: VerdictScorer {
    enum Mode { case any, all }

    let needles: [String]
    let mode: Mode
    let caseSensitive: Bool

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let text = input.answer.text
        switch mode {
        case .any:
            if let found = needles.first(where: { ContainsScorer.find($0, in: text, caseInsensitive: !caseSensitive) }) {
                return .pass("answer contains \(ReasonText.quote(found))", forbidden: "found forbidden \(ReasonText.quote(found))")
            }
            return .fail("answer contains none of \(ReasonText.list(needles))")
        case .all:
            let missing = needles.filter { !ContainsScorer.find($0, in: text, caseInsensitive: !caseSensitive) }
            if missing.isEmpty {
                return .pass(
                    "answer contains all of \(ReasonText.list(needles))",
                    forbidden: "found all of the forbidden \(ReasonText.list(needles))")
            }
            return .fail("answer is missing \(ReasonText.list(missing)) (found \(needles.count - missing.count) of \(needles.count))")
        }
    }
}
