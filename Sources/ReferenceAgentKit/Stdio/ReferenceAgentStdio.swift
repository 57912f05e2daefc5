import Foundation

/// The reference agent as a command: one case as JSON on standard input, one answer as JSON on standard
/// output. It is the example of a `type: command` endpoint.
///
/// Input: `{"id": "...", "input": "question" or [{"role": "user", "content": "..."}], "metadata": {...}}`.
/// Output: `{"id": "...", "answer": ..., "usage": {"input_tokens": n, "output_tokens": n}}`, where the
/// answer is text for `kb-agent` and a `{"category", "priority", "team"}` object for `triage-agent`.
public enum ReferenceAgentStdio {
    /// The agents that can answer in one step; the refund agent needs a tool loop and HTTP.
    public static let agents = ["kb-agent", "triage-agent"]

    public enum Failure: Error, Equatable, LocalizedError {
        case unreadableCase(String)
        case unknownAgent(String)

        public var errorDescription: String? {
            switch self {
            case .unreadableCase(let reason):
                return "standard input is not a case: \(reason); expected {\"id\": ..., \"input\": ..., \"metadata\": {...}}"
            case .unknownAgent(let name):
                return "agent '\(name)' cannot run in --stdio mode; use one of \(agents.joined(separator: ", "))"
            }
        }
    }

    /// Answers one case. `regressed` picks the release candidate's behaviour.
    public static func answer(caseJSON: Data, agent: String, regressed: Bool = false) throws -> Data {
        guard agents.contains(agent) else { throw Failure.unknownAgent(agent) }
        let input: StdioCase
        do {
            input = try JSONCoding.decoder.decode(StdioCase.self, from: caseJSON)
        } catch {
            throw Failure.unreadableCase(String(describing: error).prefix(200).description)
        }
        let variant: AgentVariant = regressed ? .regressed : .good
        let question = input.conversation.lastUserText
        let answer: JSON
        if agent == "triage-agent" {
            let decision = TriageAgent(variant: variant).triage(question)
            answer = .object([
                "category": .string(decision.category), "priority": .string(decision.priority), "team": .string(decision.team),
            ])
        } else {
            answer = .string(KnowledgeBaseAgent(variant: variant).answer(question))
        }
        let answerLength = JSONCoding.encodeToString(answer).count
        let output: [String: JSON] = [
            "id": input.id.map(JSON.string) ?? .null,
            "answer": answer,
            "usage": .object([
                "input_tokens": .number(Double(input.conversation.estimatedTokens)),
                "output_tokens": .number(Double(max(1, answerLength / 4))),
            ]),
        ]
        return try JSONCoding.encoder.encode(output)
    }
}

/// A case as the `command` endpoint receives it.
struct StdioCase: Decodable {
    var id: String?
    var conversation: Conversation

    enum CodingKeys: String, CodingKey {
        case id, input
    }

    struct Message: Decodable {
        var role: String
        var content: String
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try? container.decode(String.self, forKey: .id) {
            id = text
        } else {
            id = try? container.decode(Int.self, forKey: .id).description
        }
        if let text = try? container.decode(String.self, forKey: .input) {
            conversation = Conversation(userText: text)
        } else {
            let messages = try container.decode([Message].self, forKey: .input)
            conversation = Conversation(messages: messages.map { Conversation.Message(role: $0.role, text: $0.content) })
        }
    }
}
