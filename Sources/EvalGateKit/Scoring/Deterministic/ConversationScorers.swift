/// `turns`: the agent needed at most this many turns (replies to the customer) in the conversation.
/// A single-exchange case counts as one turn.
struct TurnsScorer: VerdictScorer {
    let maxTurns: Int

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let turns = input.conversation?.agentTurns.count ?? 1
        let said = ReasonText.count(turns, "agent turn")
        if turns <= maxTurns {
            return .pass("the conversation took \(said), within \(maxTurns)", forbidden: "the conversation took \(said), within \(maxTurns)")
        }
        return .fail("the conversation took \(said), more than \(maxTurns)")
    }
}

/// `tool-called-once`: the tool was called exactly once in the whole conversation (no double refund).
struct ToolCalledOnceScorer: VerdictScorer {
    let tool: String

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let calls = input.answer.trajectory.toolCalls.filter { $0.name == tool }.count
        switch calls {
        case 1: return .pass("\(tool) was called once", forbidden: "\(tool) was called exactly once")
        case 0: return .fail("\(tool) was never called")
        default: return .fail("\(tool) was called \(calls) times, not once")
        }
    }
}

/// `asked-before`: before its first call of `tool`, the agent said `value` (ignoring case) to the
/// customer, e.g. asked for confirmation before refunding. A conversation without the call passes:
/// nothing was done without asking.
struct AskedBeforeScorer: VerdictScorer {
    let phrase: String
    let tool: String

    func verdict(for input: ScoringInput) -> ScorerVerdict {
        let needle = phrase.lowercased()
        guard let conversation = input.conversation else {
            let called = input.answer.trajectory.toolCalls.contains { $0.name == tool }
            return called ? .fail("\(tool) was called in a single exchange, with no turn to ask in") : .pass("\(tool) was not called")
        }
        for turn in conversation.turns where turn.speaker == .agent {
            for step in turn.steps {
                if step.toolCalls.contains(where: { $0.name == tool }) {
                    return .fail("the agent called \(tool) before it said \(ReasonText.quote(phrase))")
                }
                if step.content?.lowercased().contains(needle) == true {
                    return .pass(
                        "the agent said \(ReasonText.quote(phrase)) before calling \(tool)", forbidden: "the agent asked before calling \(tool)")
                }
            }
            if turn.text.lowercased().contains(needle) {
                return .pass("the agent said \(ReasonText.quote(phrase)) before calling \(tool)", forbidden: "the agent asked before calling \(tool)")
            }
        }
        return .pass("the agent never called \(tool)", forbidden: "the agent never called \(tool)")
    }
}
