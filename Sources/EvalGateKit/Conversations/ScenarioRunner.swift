import Foundation

/// Holds a scenario's conversation with the agent: the opening, then, turn by turn, the agent's
/// reply (with its tool steps, through the `ToolLoop`) and the customer's next message, until the
/// customer is done, `max_turns` is reached, or an agent turn ends unfinished.
///
/// Every client carries the conversation through `respond(to:)`; see docs/conversations.md for how
/// `http` and `command` endpoints receive it.
public struct ScenarioRunner: Sendable {
    public let client: any AgentClient
    /// Tool definitions offered to the agent on every turn (the endpoint's `tools`).
    public let tools: [JSONValue]
    /// Agent steps allowed per agent turn (the endpoint's `max_steps`).
    public let maxSteps: Int

    public init(client: any AgentClient, tools: [JSONValue], maxSteps: Int) {
        self.client = client
        self.tools = tools
        self.maxSteps = maxSteps
    }

    /// The conversation, and the answer scorers read: the agent's last reply, with the steps of all
    /// its turns as one trajectory.
    public struct Outcome: Sendable, Equatable {
        /// `nil` when the agent or the simulator failed.
        public var answer: AgentAnswer?
        public var error: AgentError?
        public var record: ConversationRecord
    }

    /// A single-exchange case whose tools act on a world: its input, one agent turn (with its tool
    /// steps), recorded as a conversation so the world and the turn are kept.
    public func runOnce(_ goldenCase: GoldenCase, results: some ToolResults) async -> Outcome {
        let opening = ConversationTurn.user(goldenCase.input.text)
        do {
            let outcome = try await ToolLoop(client: client, maxSteps: maxSteps).run(Conversation(goldenCase, tools: tools), results: results)
            let answer = outcome.answer
            let turn = ConversationTurn(speaker: .agent, text: answer.text, steps: answer.trajectory.steps.filter { !$0.toolCalls.isEmpty })
            let end: ConversationRecord.End = answer.trajectory.end == .answered ? .userDone : .agentUnfinished
            return Outcome(answer: answer, error: nil, record: ConversationRecord(turns: [opening, turn], end: end))
        } catch {
            return Outcome(answer: nil, error: error, record: ConversationRecord(turns: [opening], end: .error))
        }
    }

    public func run(
        _ goldenCase: GoldenCase, scenario: Scenario, user: some ConversationUser, results: some ToolResults
    ) async -> Outcome {
        var conversation = Conversation(messages: [.user(scenario.opening)], tools: tools, goldenCase: goldenCase)
        var record = ConversationRecord(turns: [.user(scenario.opening)])
        var steps: [TrajectoryStep] = []
        var usage: TokenUsage?
        var userTurns = 1
        var lastAnswer: AgentAnswer?
        let loop = ToolLoop(client: client, maxSteps: maxSteps)
        var customerEnds = false
        while true {
            let outcome: ToolLoop.Outcome
            do {
                outcome = try await loop.run(conversation, results: results)
            } catch {
                record.end = .error
                return Outcome(answer: nil, error: error, record: record)
            }
            conversation = outcome.conversation
            let answer = outcome.answer
            lastAnswer = answer
            steps += answer.trajectory.steps
            if let turnUsage = answer.usage { usage = usage.map { $0 + turnUsage } ?? turnUsage }
            record.turns.append(ConversationTurn(speaker: .agent, text: answer.text, steps: answer.trajectory.steps.filter { !$0.toolCalls.isEmpty }))
            if answer.trajectory.end != .answered {
                record.end = .agentUnfinished
                break
            }
            if customerEnds {
                record.end = .stopMarker
                break
            }
            if userTurns >= scenario.maxTurns {
                record.end = .maxTurns
                break
            }
            let next: UserTurn?
            do {
                next = try await user.nextTurn(after: record)
            } catch {
                record.end = .error
                return Outcome(answer: nil, error: error, record: record)
            }
            guard let next else {
                record.end = .userDone
                break
            }
            if next.ends && next.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                record.end = .stopMarker
                break
            }
            customerEnds = next.ends
            record.turns.append(.user(next.text))
            conversation.messages.append(.user(next.text))
            userTurns += 1
        }
        let last = lastAnswer ?? AgentAnswer(text: "")
        let answer = AgentAnswer(
            text: last.text, json: last.json, trajectory: Trajectory(steps: steps, end: last.trajectory.end), finishReason: last.finishReason,
            usage: usage)
        return Outcome(answer: answer, error: nil, record: record)
    }
}
