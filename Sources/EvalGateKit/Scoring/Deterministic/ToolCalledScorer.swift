/// `tool-called`: the agent called a tool, optionally between `min_times` and `max_times` times.
/// `tool-not-called` is this scorer negated: the tool is a forbidden action.
struct ToolCalledScorer: VerdictScorer {
    let tool: String
    let minTimes: Int
    let maxTimes: Int?

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let calls = input.answer.trajectory.toolCalls
        let times = calls.count { $0.name == tool }
        let name = ReasonText.quote(tool)
        let called = "tool \(name) was called \(ReasonText.count(times, "time"))"
        if times == 0 {
            let others = Array(Set(calls.map(\.name))).sorted()
            var reason = "tool \(name) was never called"
            if others.isEmpty {
                reason += " (no tools were called)"
            } else {
                reason += " (called: \(ReasonText.list(others, limit: 8)))"
                if let suggestion = Suggestions.closest(to: tool, in: others) {
                    reason += "; did you mean \(ReasonText.quote(suggestion))?"
                }
            }
            return times >= minTimes ? .pass(reason, forbidden: reason) : .fail(reason)
        }
        if times < minTimes {
            return .fail("\(called), fewer than min_times \(minTimes)")
        }
        if let maxTimes, times > maxTimes {
            return .fail("\(called), more than max_times \(maxTimes)")
        }
        return .pass(called, forbidden: "\(called) (forbidden)")
    }
}
