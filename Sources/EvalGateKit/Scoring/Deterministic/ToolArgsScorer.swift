/// `tool-args`: some call of a tool had arguments containing the expected ones (loosely compared:
/// `"42"` equals `42`, strings ignore case and surrounding space).
struct ToolArgsScorer: VerdictScorer {
    let tool: String
    let arguments: [String: JSONValue]

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let calls = input.answer.trajectory.toolCalls.filter { $0.name == tool }
        let name = ReasonText.quote(tool)
        let wanted = ReasonText.quote(.object(arguments), limit: 120)
        guard !calls.isEmpty else {
            return .fail("tool \(name) was never called; expected a call with \(wanted)")
        }
        let matches = JSONValue.looselyEqual(.object(arguments))
        if calls.contains(where: { matches($0.arguments) }) {
            return .pass("tool \(name) was called with \(wanted)", forbidden: "tool \(name) was called with the forbidden arguments \(wanted)")
        }
        let closest = calls.max { matchingKeys($0) < matchingKeys($1) }!
        return .fail(
            "no call of \(name) had arguments \(wanted); closest of \(ReasonText.count(calls.count, "call")): \(ReasonText.quote(closest.arguments, limit: 120))"
        )
    }

    /// How many expected arguments a call gets right: what makes a call the closest.
    private func matchingKeys(_ call: ToolCall) -> Int {
        guard let given = call.arguments.objectValue else { return -1 }
        return arguments.count { key, value in given[key].map(JSONValue.looselyEqual(value)) ?? false }
    }
}
