import Foundation

/// `contains` and `icontains`: the answer includes a piece of text, with or without letter case.
struct ContainsScorer: VerdictScorer {
    let needle: String
    let caseInsensitive: Bool

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let quoted = ReasonText.quote(needle)
        if Self.find(needle, in: input.answer.text, caseInsensitive: caseInsensitive) {
            return .pass("answer contains \(quoted)", forbidden: "found forbidden \(quoted)")
        }
        return .fail("answer does not contain \(quoted)" + (caseInsensitive ? " (ignoring case)" : ""))
    }

    static func find(_ needle: String, in text: String, caseInsensitive: Bool) -> Bool {
        caseInsensitive ? text.range(of: needle, options: .caseInsensitive) != nil : text.contains(needle)
    }
}
