/// `json-schema`: the answer's JSON matches a schema; the reason names the failing pointers.
struct JSONSchemaScorer: VerdictScorer {
    /// Violations quoted in a reason before "and N more".
    static let shownViolations = 3

    let validator: JSONSchemaValidator

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let parsed: AnswerJSON.Parsed
        switch AnswerJSON.parse(input.answer) {
        case .success(let value): parsed = value
        case .failure(let failure): return .inconclusive(failure.message)
        }
        let violations = validator.validate(parsed.value, limit: 20)
        if let undecided = violations.first(where: \.isUndecided) {
            return .inconclusive("\(parsed.description) could not be checked against the JSON schema: \(undecided)")
        }
        if violations.isEmpty {
            return .pass("\(parsed.description) matches the JSON schema", forbidden: "\(parsed.description) matches the forbidden JSON schema")
        }
        var reason = "\(parsed.description) does not match the JSON schema: "
        reason += violations.prefix(Self.shownViolations).map(\.description).joined(separator: "; ")
        if violations.count > Self.shownViolations {
            reason += violations.count >= 20 ? " (and more)" : " (and \(violations.count - Self.shownViolations) more)"
        }
        return .fail(reason)
    }
}
