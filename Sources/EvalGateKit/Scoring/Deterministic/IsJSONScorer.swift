/// `is-json`: the answer is JSON, on its own or in a ```json fenced block.
struct IsJSONScorer: VerdictScorer {
    func verdict(for input: ScoringInput) -> ScorerVerdict {
        switch AnswerJSON.parse(input.answer) {
        case .success(let parsed):
            let kind = parsed.value.typeName
            switch parsed.source {
            case .structured, .text:
                return .pass(
                    "\(parsed.description) is valid JSON (\(kind))", forbidden: "\(parsed.description) is JSON (\(kind)), which is forbidden")
            case .fencedBlock:
                return .pass(
                    "answer has valid JSON (\(kind)) in a ```json block", forbidden: "answer has forbidden JSON (\(kind)) in a ```json block")
            }
        case .failure(let failure):
            return .fail(failure.message)
        }
    }
}
