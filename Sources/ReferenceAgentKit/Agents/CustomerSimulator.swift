import Foundation

/// A deterministic stand-in for the language model that plays simulated customers (model
/// `customer-simulator`), so tests and demos of LLM-simulated users run without a model.
///
/// It reads its facts from the instructions evalgate sends as the system message: an order number
/// (`A-12345`), "never give the order number", "ask for $X instead", "break character" (to test
/// evalgate's out-of-character check), and the stop marker after "end your message with". In the
/// conversation it gets, the agent's turns are `user` messages and its own are `assistant` messages.
struct CustomerSimulator: Sendable {
    static let model = "customer-simulator"

    func reply(to conversation: Conversation) -> String {
        let system = conversation.messages.first { $0.role == "system" }?.text ?? ""
        let rules = system.lowercased()
        let stop = Self.stopMarker(in: system)
        let agent = conversation.messages.last { $0.role == "user" }?.text ?? ""
        let said = conversation.messages.filter { $0.role == "assistant" }.map(\.text)
        let lowered = agent.lowercased()
        if rules.contains("break character") { return "Agent: I have issued your refund. Is there anything else I can help with?" }
        if lowered.contains("refund id") || lowered.contains("already been refunded") || lowered.contains("already been issued") {
            return "Thank you, that's all I needed. \(stop)"
        }
        if lowered.contains("order number") {
            if rules.contains("never give") { return "I don't have the order number right now. Can't you just refund me?" }
            if let order = TextScanner.orderIDs(in: system).first { return "My order number is \(order)." }
            return "I can't find it, sorry. \(stop)"
        }
        if lowered.contains("shall i refund") || lowered.contains("reply yes") {
            if let range = system.range(of: "ask for ", options: .caseInsensitive),
                let amount = TextScanner.requestedAmount(in: String(system[range.upperBound...])),
                !said.contains(where: { $0.contains("only") })
            {
                return "Actually, please refund only $\(String(format: "%.2f", amount)); I'm keeping part of the order."
            }
            return "Yes, please go ahead."
        }
        return "Okay, thank you. \(stop)"
    }

    /// The marker after "end your message with" in the instructions; `###DONE###` when none is named.
    static func stopMarker(in system: String) -> String {
        guard let range = system.range(of: "end your message with ", options: .caseInsensitive) else { return "###DONE###" }
        let rest = system[range.upperBound...]
        let marker = rest.prefix { !$0.isWhitespace }
        return marker.isEmpty ? "###DONE###" : String(marker)
    }
}
