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
        let document: JSON
        do {
            document = try JSON.parse(caseJSON)
        } catch {
            throw Failure.unreadableCase("not JSON (\((error as? JSON.ParseError)?.message ?? "unreadable"))")
        }
        let conversation: Conversation
        switch document["input"] {
        case .string(let text)?:
            conversation = Conversation(userText: text)
        case .array(let messages)?:
            conversation = Conversation(
                messages: messages.map {
                    Conversation.Message(role: $0["role"]?.stringValue ?? "user", text: $0["content"]?.stringValue ?? "")
                })
        default:
            throw Failure.unreadableCase("'input' must be a string or a list of messages")
        }
        let variant: AgentVariant = regressed ? .regressed : .good
        let question = conversation.lastUserText
        let answer: JSON
        if agent == "triage-agent" {
            answer = TriageAgent(variant: variant).triage(question).json
        } else {
            answer = .string(KnowledgeBaseAgent(variant: variant).answer(question))
        }
        let output: JSON = [
            "id": document["id"]?.stringValue.map(JSON.string) ?? .null,
            "answer": answer,
            "usage": [
                "input_tokens": .number(Double(conversation.estimatedTokens)),
                "output_tokens": .number(Double(max(1, answer.serialized.count / 4))),
            ],
        ]
        return Data(output.serialized.utf8)
    }
}
