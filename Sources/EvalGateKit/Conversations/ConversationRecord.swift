/// A scenario's conversation as it happened: every customer turn and every agent turn with the tool
/// calls it made and their results, in order. Recorded in the journal, the result file and the history.
public struct ConversationRecord: Sendable, Equatable, Codable {
    /// Why the conversation stopped.
    public enum End: String, Sendable, Codable, CaseIterable {
        /// The scripted customer had nothing left to say.
        case userDone = "user-done"
        /// The simulated customer wrote the stop marker.
        case stopMarker = "stop-marker"
        /// The customer had had `max_turns` turns and the agent answered the last.
        case maxTurns = "max-turns"
        /// An agent turn ended without an answer (a tool without a result, or `max_steps`).
        case agentUnfinished = "agent-unfinished"
        /// The agent or the simulator failed; the case is an error, the turns so far are kept.
        case error
    }

    public var turns: [ConversationTurn]
    public var end: End
    /// The world's tables after the last turn, when the case declares a world.
    public var world: JSONValue?

    /// The JSON keys: part of the documented format, so spelled out rather than derived.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case turns, end, world
    }

    public init(turns: [ConversationTurn] = [], end: End = .userDone, world: JSONValue? = nil) {
        self.turns = turns
        self.end = end
        self.world = world
    }

    /// The agent's turns, in order.
    public var agentTurns: [ConversationTurn] { turns.filter { $0.speaker == .agent } }
    /// The customer's turns, the opening first.
    public var userTurns: [ConversationTurn] { turns.filter { $0.speaker == .user } }
}

/// One turn of a conversation.
public struct ConversationTurn: Sendable, Equatable, Codable {
    public enum Speaker: String, Sendable, Codable, CaseIterable {
        case user, agent
    }

    public var speaker: Speaker
    /// What was said: the customer's message, or the agent's reply to the customer.
    public var text: String
    /// The agent's steps on this turn: its tool calls with their results, and text said along the
    /// way. Empty for the customer's turns and for an agent turn that answered straight away.
    public var steps: [TrajectoryStep]

    /// The JSON keys: part of the documented format, so spelled out rather than derived.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case speaker, text, steps
    }

    public init(speaker: Speaker, text: String, steps: [TrajectoryStep] = []) {
        self.speaker = speaker
        self.text = text
        self.steps = steps
    }

    public static func user(_ text: String) -> ConversationTurn { ConversationTurn(speaker: .user, text: text) }

    /// Every tool call the agent made on this turn.
    public var toolCalls: [ToolCall] { steps.flatMap(\.toolCalls) }
}
