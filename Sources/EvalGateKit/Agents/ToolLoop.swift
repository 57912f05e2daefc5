/// Runs a tool-using agent to its answer: sends the conversation, feeds each tool call's result back,
/// and repeats until the agent answers, calls a tool that has no result, or reaches the step limit.
///
/// Apart from the clients so that any client that speaks in turns gets the same loop, and so that a
/// multi-turn scenario can run it once per user turn on the conversation the previous turn left.
public struct ToolLoop: Sendable {
    public let client: any AgentClient
    /// Agent turns allowed per run (the pipeline's `max_steps`).
    public let maxSteps: Int

    public init(client: any AgentClient, maxSteps: Int) {
        self.client = client
        self.maxSteps = maxSteps
    }

    /// How a run ended, and the conversation as it stood then.
    public struct Outcome: Sendable, Equatable {
        public var answer: AgentAnswer
        /// The conversation with every turn of the run appended: the agent's messages and the tool
        /// results sent back (up to the call that had none).
        public var conversation: Conversation
    }

    /// Answers a golden case: its input, the tools offered, its fixtures as the tools' results.
    public func answer(_ goldenCase: GoldenCase, tools: [JSONValue] = []) async throws(AgentError) -> AgentAnswer {
        try await run(Conversation(goldenCase, tools: tools), results: FixtureToolResults(goldenCase.toolFixtures)).answer
    }

    public func run(_ start: Conversation, results: some ToolResults) async throws(AgentError) -> Outcome {
        var conversation = start
        var steps: [TrajectoryStep] = []
        var usage: TokenUsage?
        for _ in 0..<maxSteps {
            let turn = try await client.respond(to: conversation)
            if let stepUsage = turn.usage { usage = usage.map { $0 + stepUsage } ?? stepUsage }
            conversation.messages.append(.assistant(turn))
            if turn.toolCalls.isEmpty {
                steps.append(TrajectoryStep(content: turn.text))
                let answer = AgentAnswer(
                    text: turn.text ?? "", json: turn.json, trajectory: Trajectory(steps: steps, end: .answered), finishReason: turn.finishReason,
                    usage: usage)
                return Outcome(answer: answer, conversation: conversation)
            }
            var calls = turn.toolCalls
            var missing = false
            for index in calls.indices {
                // The first call without a result ends the run: what the agent would do next cannot be known.
                let call = calls[index]
                guard let result = await EvaluationTrace.tool(call, step: steps.count, { await results.result(for: call) }) else {
                    missing = true
                    break
                }
                calls[index].result = result
                conversation.messages.append(.toolResult(result, callID: calls[index].id))
            }
            steps.append(TrajectoryStep(toolCalls: calls, content: turn.text))
            if missing {
                let answer = AgentAnswer(
                    text: turn.text ?? "", trajectory: Trajectory(steps: steps, end: .missingFixture), finishReason: turn.finishReason, usage: usage)
                return Outcome(answer: answer, conversation: conversation)
            }
        }
        let answer = AgentAnswer(
            text: steps.last?.content ?? "", trajectory: Trajectory(steps: steps, end: .maxSteps), finishReason: "max_steps", usage: usage)
        return Outcome(answer: answer, conversation: conversation)
    }
}

/// Where the tool loop gets the result of a tool call.
///
/// A protocol because the results have more than one source: a case's canned fixtures, and (for
/// multi-turn scenarios) stateful tools whose results depend on earlier calls.
public protocol ToolResults: Sendable {
    /// The result to send back, or `nil` when there is none: the run then ends as `missing-fixture`.
    func result(for call: ToolCall) async -> JSONValue?
}

/// A case's `tools` fixtures: a fixed result per tool, or results chosen by the call's arguments.
public struct FixtureToolResults: ToolResults {
    public var fixtures: [String: ToolFixture]

    public init(_ fixtures: [String: ToolFixture]) {
        self.fixtures = fixtures
    }

    public func result(for call: ToolCall) async -> JSONValue? {
        fixtures[call.name]?.result(for: call.arguments)
    }
}
