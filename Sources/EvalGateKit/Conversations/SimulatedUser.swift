import Foundation

/// A customer played by a language model: it gets its instructions (with the scenario's goal and
/// persona) and the conversation so far from the customer's side, the agent's turns as `user`
/// messages and its own as `assistant` messages, and writes the next customer message.
///
/// It ends the conversation with the stop marker; the text before the marker is still sent to the
/// agent as the customer's last turn. A reply that answers as the agent (an `Agent:` label, or the
/// agent's last message repeated) or says nothing breaks character and is asked again, then fails
/// the case as `simulator-failed`.
public struct SimulatedUser: ConversationUser {
    public let client: SimulatorClient
    public let scenario: Scenario
    public let user: ModelUser
    /// Differs per trial, so that trials of one scenario are independent conversations.
    public let seed: UInt64

    public init(client: SimulatorClient, scenario: Scenario, user: ModelUser, seed: UInt64) {
        self.client = client
        self.scenario = scenario
        self.user = user
        self.seed = seed
    }

    /// The system message the simulator gets.
    public var instructions: String {
        var lines = ["You are playing a customer talking to a customer-service agent. Stay in character: write only the customer's next message."]
        if let goal = scenario.goal { lines.append("Your goal: \(goal)") }
        if let persona = scenario.persona { lines.append("Who you are: \(persona)") }
        lines.append(user.instructions)
        lines.append("When your goal is reached, or you give up, end your message with \(user.stop)")
        return lines.joined(separator: "\n")
    }

    public func messages(for conversation: ConversationRecord) -> [JSONValue] {
        var messages: [JSONValue] = [["role": "system", "content": .string(instructions)]]
        for turn in conversation.turns {
            messages.append(["role": turn.speaker == .user ? "assistant" : "user", "content": .string(turn.text)])
        }
        return messages
    }

    public func nextTurn(after conversation: ConversationRecord) async throws(AgentError) -> UserTurn? {
        let lastAgent = conversation.turns.last(where: { $0.speaker == .agent })?.text ?? ""
        let stop = user.stop
        return try await client.reply(model: user.model, messages: messages(for: conversation), seed: seed) { content in
            Self.read(content, stop: stop, lastAgentText: lastAgent)
        }
    }

    static let agentLabels = ["agent:", "assistant:", "support:", "customer service:"]

    /// The customer's turn in a reply, or `nil` when the reply is out of character or empty.
    static func read(_ content: String, stop: String, lastAgentText: String) -> UserTurn? {
        var text = content
        var ends = false
        if let marker = text.range(of: stop) {
            text = String(text[..<marker.lowerBound])
            ends = true
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.lowercased().hasPrefix("customer:") { text = String(text.dropFirst("customer:".count)).trimmingCharacters(in: .whitespaces) }
        if text.isEmpty { return ends ? UserTurn(text: "", ends: true) : nil }
        let lowered = text.lowercased()
        if agentLabels.contains(where: lowered.hasPrefix) { return nil }
        if !lastAgentText.isEmpty && text == lastAgentText.trimmingCharacters(in: .whitespacesAndNewlines) { return nil }
        return UserTurn(text: text, ends: ends)
    }
}
