/// `json-field`: one value inside the answer's JSON, found by JSON Pointer, equals a value, is one
/// of several, or lies in a numeric range.
struct JSONFieldScorer: VerdictScorer {
    enum Check {
        case equals(JSONValue)
        case oneOf([JSONValue])
        case range(min: Double?, max: Double?)
    }

    let pointer: String
    let check: Check

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let document: JSONValue
        switch AnswerJSON.parse(input.answer) {
        case .success(let parsed): document = parsed.value
        case .failure(let failure): return .inconclusive(failure.message)
        }
        let shown = ReasonText.pointer(pointer)
        guard let value = document.value(at: pointer) else {
            return .fail(missingReason(in: document))
        }
        switch check {
        case .equals(let expected):
            if JSONComparison.equal(value, expected) {
                return .pass("\(shown) is \(ReasonText.quote(value))", forbidden: "\(shown) is the forbidden \(ReasonText.quote(value))")
            }
            return .fail("\(shown): expected \(ReasonText.quote(expected)), got \(ReasonText.quote(value))")
        case .oneOf(let allowed):
            let list = allowed.prefix(10).map { ReasonText.quote($0) }.joined(separator: ", ")
            if allowed.contains(where: { JSONComparison.equal(value, $0) }) {
                return .pass(
                    "\(shown) is \(ReasonText.quote(value)), one of \(list)",
                    forbidden: "\(shown) is \(ReasonText.quote(value)), one of the forbidden \(list)")
            }
            return .fail("\(shown): expected one of \(list), got \(ReasonText.quote(value))")
        case .range(let minimum, let maximum):
            let bounds = Self.describe(min: minimum, max: maximum)
            guard value.boolValue == nil, let number = value.doubleValue, number.isFinite else {
                return .fail("\(shown): expected a number \(bounds), got \(ScorerOptions.describe(value))")
            }
            if let minimum, number < minimum {
                return .fail("\(shown): \(ReasonText.number(number)) is below the minimum \(ReasonText.number(minimum))")
            }
            if let maximum, number > maximum {
                return .fail("\(shown): \(ReasonText.number(number)) is above the maximum \(ReasonText.number(maximum))")
            }
            return .pass(
                "\(shown) is \(ReasonText.number(number)), \(bounds)",
                forbidden: "\(shown) is \(ReasonText.number(number)), inside the forbidden range \(bounds)")
        }
    }

    /// `between 0 and 100`, `at least 0`, `at most 100`.
    static func describe(min: Double?, max: Double?) -> String {
        switch (min, max) {
        case (let low?, let high?): return "between \(ReasonText.number(low)) and \(ReasonText.number(high))"
        case (let low?, nil): return "at least \(ReasonText.number(low))"
        case (nil, let high?): return "at most \(ReasonText.number(high))"
        case (nil, nil): return "of any size"
        }
    }

    /// Says how far the pointer got, and what was there instead: `no value at /refund/status (/refund has keys 'amount', 'state'; did you mean 'state'?)`.
    private func missingReason(in document: JSONValue) -> String {
        let tokens = JSONValue.pointerTokens(pointer) ?? []
        var current = document
        var reached = ""
        for token in tokens {
            let next = reached + "/" + JSONSchemaValidator.Node.escape(token)
            guard let child = document.value(at: next) else {
                var detail: String
                switch current {
                case .object(let members):
                    let keys = members.keys.sorted()
                    detail =
                        keys.isEmpty
                        ? "\(ReasonText.pointer(reached)) is an empty object"
                        : "\(ReasonText.pointer(reached)) has keys \(ReasonText.list(keys, limit: 8))"
                    if let suggestion = Suggestions.closest(to: token, in: keys) {
                        detail += "; did you mean '\(ReasonText.excerpt(suggestion, limit: 40))'?"
                    }
                case .array(let items):
                    detail = "\(ReasonText.pointer(reached)) is an array of \(ReasonText.count(items.count, "item"))"
                default:
                    detail = "\(ReasonText.pointer(reached)) is \(ScorerOptions.describe(current))"
                }
                return "no value at \(ReasonText.pointer(pointer)) in the answer (\(detail))"
            }
            current = child
            reached = next
        }
        return "no value at \(ReasonText.pointer(pointer)) in the answer"
    }
}
