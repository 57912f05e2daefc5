/// Which agent turns of a conversation a scorer reads (`on:` on an `assert` entry). Without a
/// conversation, or with `last-turn` (the default), the scorer reads the answer as always.
public enum TurnScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// Passes when some agent turn passes.
    case anyTurn = "any-turn"
    /// The agent's last reply (the answer).
    case lastTurn = "last-turn"
    /// Passes when every agent turn passes; the score is the lowest.
    case everyTurn = "every-turn"

    static func evaluate(_ scorer: any DeterministicScorer, _ input: ScoringInput, on scope: TurnScope?) -> ScoreOutcome {
        guard let scope, scope != .lastTurn, let conversation = input.conversation, !conversation.agentTurns.isEmpty else {
            return scorer.evaluate(input)
        }
        let outcomes = conversation.agentTurns.map { turn -> ScoreOutcome in
            var turnInput = input
            turnInput.answer = AgentAnswer(text: turn.text, trajectory: Trajectory(steps: turn.steps))
            return scorer.evaluate(turnInput)
        }
        switch scope {
        case .anyTurn:
            if let index = outcomes.firstIndex(where: \.passed) {
                return ScoreOutcome(score: outcomes[index].score, passed: true, reason: "agent turn \(index + 1): \(outcomes[index].reason)")
            }
            return ScoreOutcome(
                score: outcomes.map(\.score).max() ?? 0, passed: false, reason: "no agent turn passes; the last: \(outcomes.last?.reason ?? "")")
        case .everyTurn, .lastTurn:
            if let index = outcomes.firstIndex(where: { !$0.passed }) {
                return ScoreOutcome(
                    score: outcomes.map(\.score).min() ?? 0, passed: false, reason: "agent turn \(index + 1): \(outcomes[index].reason)")
            }
            return ScoreOutcome(
                score: outcomes.map(\.score).min() ?? 1, passed: true, reason: "all \(outcomes.count) agent turns: \(outcomes.last?.reason ?? "")")
        }
    }
}
