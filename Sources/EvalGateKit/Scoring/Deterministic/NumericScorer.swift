/// `numeric`: the first number in the answer is the expected number, within an absolute or relative tolerance.
struct NumericScorer: VerdictScorer {
    let expected: Double
    let tolerance: Double
    let relativeTolerance: Double

    /// The largest accepted difference.
    var allowedDifference: Double { max(tolerance, relativeTolerance * abs(expected)) }

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let target = ReasonText.number(expected) + (allowedDifference > 0 ? " ± \(ReasonText.number(allowedDifference))" : "")
        let found: NumberScanner.Found
        if case .number(let value)? = input.answer.json {
            found = NumberScanner.Found(value: value, text: ReasonText.number(value))
        } else if let first = NumberScanner.firstNumber(in: input.answer.text) {
            found = first
        } else {
            return .fail("answer contains no number; expected \(target)")
        }
        let shown = ReasonText.excerpt(found.text, limit: 40)
        if abs(found.value - expected) <= allowedDifference {
            return .pass("found \(shown), expected \(target)", forbidden: "found \(shown), the forbidden \(target)")
        }
        return .fail("expected \(target), got \(shown) (the first number in the answer)")
    }
}
