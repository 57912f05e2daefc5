import Foundation
import ReferenceAgentKit

/// Plays the evaluation's side of a tool-using chat: sends the conversation, answers tool calls from
/// fixtures, and stops at the agent's final answer.
struct ChatSession {
    struct Call: Equatable {
        var name: String
        var arguments: [String: String]
    }

    var url: String
    var model: String
    var version: String?
    /// Tool name → result returned for every call of that tool.
    var fixtures: [String: [String: Any]] = [:]
    var maximumSteps = 6

    /// The final answer and every tool call made on the way.
    func run(_ userText: String) async throws -> (answer: String, calls: [Call]) {
        var messages: [[String: Any]] = [
            ["role": "system", "content": "You are Acme's refund assistant."],
            ["role": "user", "content": userText],
        ]
        var calls: [Call] = []
        var headers: [String: String] = [:]
        if let version { headers["X-Agent-Version"] = version }
        for _ in 0..<maximumSteps {
            let reply = try await TestHTTP.post(url, json: ["model": model, "messages": messages], headers: headers)
            let choice = try ((reply.json()["choices"] as? [[String: Any]])?.first).unwrap("choices[0] in \(reply.text)")
            let message = try (choice["message"] as? [String: Any]).unwrap("message")
            guard let toolCalls = message["tool_calls"] as? [[String: Any]], !toolCalls.isEmpty else {
                return (message["content"] as? String ?? "", calls)
            }
            messages.append(["role": "assistant", "content": NSNull(), "tool_calls": toolCalls])
            for toolCall in toolCalls {
                let function = try (toolCall["function"] as? [String: Any]).unwrap("function")
                let name = try (function["name"] as? String).unwrap("function.name")
                let argumentText = try (function["arguments"] as? String).unwrap("function.arguments")
                let arguments = try JSONSerialization.jsonObject(with: Data(argumentText.utf8)) as? [String: Any] ?? [:]
                calls.append(Call(name: name, arguments: arguments.mapValues { "\($0)" }))
                let result = fixtures[name] ?? ["error": "no fixture for \(name)"]
                let content = String(decoding: try JSONSerialization.data(withJSONObject: result), as: UTF8.self)
                messages.append(["role": "tool", "tool_call_id": toolCall["id"] as? String ?? "", "content": content])
            }
        }
        throw ChatSessionError.tooManySteps(calls.map(\.name))
    }
}

enum ChatSessionError: Error {
    case missing(String)
    case tooManySteps([String])
}

extension Optional {
    func unwrap(_ what: String) throws -> Wrapped {
        guard let self else { throw ChatSessionError.missing(what) }
        return self
    }
}

/// Order fixtures as a golden case would give them.
enum Orders {
    static func delivered(_ id: String, amount: Double, days: Int = 12, status: String = "delivered") -> [String: Any] {
        ["order_id": id, "amount": amount, "currency": "USD", "days_since_delivery": days, "status": status, "item": "Desk lamp"]
    }

    static func fixtures(order: [String: Any]) -> [String: [String: Any]] {
        [
            "lookup_order": order,
            "issue_refund": ["refund_id": "R-55501", "status": "issued"],
            "escalate_to_human": ["ticket": "H-9001"],
        ]
    }
}
