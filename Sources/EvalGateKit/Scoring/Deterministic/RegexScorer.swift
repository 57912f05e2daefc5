/// `regex`: the answer matches a regular expression, searched within the first 1 MiB and a time limit.
/// A miss in a longer answer is undecided, so `not-regex` never passes on text it did not read.
struct RegexScorer: VerdictScorer {
    let regex: BoundedRegex
    let flags: String

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let shown = "/\(ReasonText.excerpt(regex.pattern, limit: 60))/\(flags)"
        switch regex.firstMatch(in: input.answer.text) {
        case .found(let match):
            return .pass(
                "answer matches \(shown) at \(ReasonText.quote(match))",
                forbidden: "found forbidden match \(ReasonText.quote(match)) for \(shown)")
        case .notFound:
            let size = input.answer.text.utf8.count
            if size > BoundedRegex.inputLimit {
                // The rest was never searched: a forbidden match could hide there, so neither form may pass.
                return .inconclusive(
                    "answer does not match \(shown) in its first 1 MiB; the other \(size - BoundedRegex.inputLimit) bytes were not searched")
            }
            return .fail("answer does not match \(shown)")
        case .timedOut:
            return .inconclusive(
                "matching \(shown) took longer than \(ReasonText.number(regex.timeLimit)) s; simplify the pattern (nested repetition backtracks)")
        }
    }
}
