/// Who plays the customer of a scenario: says the next customer turn after each agent turn.
///
/// A protocol because the customer is scripted (deterministic, `ScriptedUser`) or played by a
/// language model through an OpenAI-compatible endpoint (`SimulatedUser`).
public protocol ConversationUser: Sendable {
    /// The customer's next turn given the conversation so far (which ends with an agent turn), or
    /// `nil` when the customer has nothing more to say.
    /// - Throws: `AgentError` of kind `simulator-failed` when a simulated customer cannot answer.
    func nextTurn(after conversation: ConversationRecord) async throws(AgentError) -> UserTurn?
}

/// A customer turn, and whether the customer ends the conversation with it.
public struct UserTurn: Sendable, Equatable {
    /// The message; empty only with `ends` (a stop marker with nothing before it).
    public var text: String
    /// The customer wrote the stop marker: the agent answers this turn, then the conversation ends.
    public var ends: Bool

    public init(text: String, ends: Bool = false) {
        self.text = text
        self.ends = ends
    }
}
