extension MarkdownReport {
    /// Conversations shown, and turns per conversation: a pull-request comment has a size limit.
    static let conversationLimit = 5
    static let turnLimit = 30

    /// pass^k and pass@k over the conversation cases, with their intervals.
    static func trialLines(_ trials: TrialsSummary) -> [String] {
        let hat = trials.passHatK
        let at = trials.passAtK
        let unmeasured = trials.unmeasured > 0 ? " · \(trials.unmeasured) not measured (fewer than \(trials.k) trials, or an errored trial)" : ""
        return [
            "",
            "Conversations: pass^\(trials.k) **\(Format.percent(hat.estimate))** (CI \(Format.percent(hat.lower))–\(Format.percent(hat.upper))) · "
                + "pass@\(trials.k) \(Format.percent(at.estimate)) (CI \(Format.percent(at.lower))–\(Format.percent(at.upper))) over \(trials.cases) scenarios\(unmeasured)",
        ]
    }

    /// The scenario cases that did not pass, turn by turn (customer, agent, tool calls), in a
    /// collapsed section; nothing when every scenario passed.
    static func conversationLines(_ cases: [CaseResult]) -> [String] {
        let shown = cases.filter { !$0.passed && $0.conversation != nil }.prefix(conversationLimit)
        guard !shown.isEmpty else { return [] }
        var lines = ["", "<details><summary>Conversations not passing (\(shown.count) shown)</summary>"]
        for result in shown {
            guard let conversation = result.conversation else { continue }
            lines.append("")
            lines.append("**\(cell(result.id))** · \(result.status.rawValue) · ended: \(conversation.end.rawValue) · \(cell(result.headline))")
            lines.append("")
            for (index, turn) in conversation.turns.prefix(turnLimit).enumerated() {
                let who = turn.speaker == .user ? "Customer" : "Agent"
                lines.append("- \(index + 1) · **\(who):** \(cell(turn.text, limit: 400))")
                for call in turn.toolCalls {
                    let result = call.result.map { " → \(cell($0.compactJSON, limit: 120))" } ?? " → no result"
                    lines.append("  - 🔧 \(cell(call.name, limit: 60)) \(cell(call.arguments.compactJSON, limit: 120))\(result)")
                }
            }
            if conversation.turns.count > turnLimit { lines += ["", "… \(conversation.turns.count - turnLimit) more turns"] }
        }
        lines.append("")
        lines.append("</details>")
        return lines
    }
}
