/// `equals`: the answer is exactly the expected text (ignoring surrounding whitespace), or, for a
/// non-string expected value (a number, an object), the answer read as JSON equals it.
struct EqualsScorer: VerdictScorer {
    let expected: JSONValue
    let caseSensitive: Bool

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        if case .string(let text) = expected {
            return compare(text: TextSimilarity.trimmed(input.answer.text), with: TextSimilarity.trimmed(text))
        }
        let quoted = ReasonText.quote(expected)
        switch AnswerJSON.parse(input.answer) {
        case .success(let parsed):
            if JSONComparison.equal(parsed.value, expected) {
                return .pass("answer equals \(quoted)", forbidden: "answer equals forbidden \(quoted)")
            }
            return .fail("expected \(quoted), got \(ReasonText.quote(parsed.value))")
        case .failure:
            return .fail("expected \(quoted), got \(ReasonText.quote(TextSimilarity.trimmed(input.answer.text)))")
        }
    }

    private func compare(text answer: Substring, with expected: Substring) -> ScorerVerdict {
        let quoted = ReasonText.quote(expected)
        if answer == expected || (!caseSensitive && answer.lowercased() == expected.lowercased()) {
            return .pass("answer equals \(quoted)", forbidden: "answer equals forbidden \(quoted)")
        }
        var reason = "expected \(quoted), got \(ReasonText.quote(answer))"
        if caseSensitive, answer.utf8.count == expected.utf8.count, answer.lowercased() == expected.lowercased() {
            reason += " (differs only in letter case; set case_sensitive: false to ignore case)"
        } else if let position = Self.firstDifference(answer, expected), position >= ReasonText.quoteLimit {
            reason += " (first difference at character \(position + 1))"
        }
        return .fail(reason)
    }

    /// Offset of the first differing character, or `nil` when one text is a prefix of the other and equally long.
    static func firstDifference(_ a: Substring, _ b: Substring) -> Int? {
        var offset = 0
        var i = a.startIndex
        var j = b.startIndex
        while i < a.endIndex, j < b.endIndex {
            if a[i] != b[j] { return offset }
            offset += 1
            i = a.index(after: i)
            j = b.index(after: j)
        }
        return i == a.endIndex && j == b.endIndex ? nil : offset
    }
}
