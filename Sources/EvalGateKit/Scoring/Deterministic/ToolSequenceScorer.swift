/// `tool-sequence`: the agent called tools in an expected order, as a subsequence (`ordered`) or exactly.
struct ToolSequenceScorer: VerdictScorer {
    enum Mode: String, CaseIterable {
        case ordered, exact
    }

    let expected: [String]
    let mode: Mode

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let actual = input.answer.trajectory.toolCalls.map(\.name)
        let expectedText = ReasonText.sequence(expected)
        let actualText = ReasonText.sequence(actual)
        switch mode {
        case .exact:
            if actual == expected {
                return .pass("tool calls were exactly \(expectedText)", forbidden: "tool calls were exactly the forbidden \(expectedText)")
            }
            return .fail("expected exactly \(expectedText), got \(actualText)")
        case .ordered:
            var position = actual.startIndex
            for (index, name) in expected.enumerated() {
                guard let found = actual[position...].firstIndex(of: name) else {
                    let quoted = ReasonText.quote(name)
                    let missing =
                        index == 0 || !actual.contains(name)
                        ? "\(quoted) was never called"
                        : "\(quoted) was not called after \(ReasonText.quote(expected[index - 1]))"
                    return .fail("expected tools in order \(expectedText); \(missing) (calls: \(actualText))")
                }
                position = actual.index(after: found)
            }
            return .pass("tools were called in order \(expectedText)", forbidden: "tools were called in the forbidden order \(expectedText)")
        }
    }
}
