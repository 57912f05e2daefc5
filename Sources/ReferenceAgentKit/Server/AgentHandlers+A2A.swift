import Foundation
import Hummingbird

/// The chat agents as Agent2Agent (A2A) agents over JSON-RPC 2.0 (A2A specification v0.3):
/// `POST /a2a/{agent}` takes `message/send` and `tasks/get`; the agent cards are at
/// `/a2a/{agent}/.well-known/agent-card.json`, and `/.well-known/agent-card.json` is the refund
/// conversation agent's. `kb-agent` answers with a `Message`; the refund agents with a `Task`,
/// `input-required` while they wait for the customer, `completed` otherwise (with an artifact).
extension AgentHandlers {
    static let defaultA2AAgent = "refund-conversation-agent"

    func agentCard(_ request: Request, agent: String) async -> Response {
        await state.record(path: request.uri.path)
        guard Self.chatAgents.contains(agent) else {
            return FaultResponder.errorResponse(.notFound, WireError(message: "No agent '\(agent)'.", type: "invalid_request_error"))
        }
        let host = request.head.authority ?? "127.0.0.1"
        let card: JSON = [
            "protocolVersion": "0.3.0", "name": .string(agent),
            "description": .string("evalgate's reference \(agent), for tests and benchmarks."),
            "url": .string("http://\(host)/a2a/\(agent)"), "preferredTransport": "JSONRPC", "version": "reference",
            "capabilities": ["streaming": false, "pushNotifications": false, "stateTransitionHistory": false],
            "defaultInputModes": ["text/plain"], "defaultOutputModes": ["text/plain"],
            "skills": [["id": .string(agent), "name": .string(agent), "description": "Answers customers.", "tags": ["reference"]]],
        ]
        return Response(status: .ok, headers: FaultResponder.jsonHeaders, body: ResponseBody(byteBuffer: ByteBuffer(string: card.serialized)))
    }

    func a2a(_ request: Request, context: AgentRequestContext, agent: String) async throws -> Response {
        let path = request.uri.path
        let body = try await request.body.collect(upTo: Self.maximumBodySize)
        guard let json = try? JSON.parse(body.readableBytesView), json["jsonrpc"]?.stringValue == "2.0", let method = json["method"]?.stringValue
        else {
            await state.record(path: path)
            return Self.rpcError(id: .null, -32600, "Invalid Request: not a JSON-RPC 2.0 request.")
        }
        let id = json["id"] ?? .null
        guard Self.chatAgents.contains(agent) else {
            await state.record(path: path)
            return Self.rpcError(id: id, -32601, "No agent '\(agent)' here.")
        }
        switch method {
        case "tasks/get":
            await state.record(path: path)
            guard let taskID = json["params"]?["id"]?.stringValue, let task = await a2aSessions.task(taskID) else {
                return Self.rpcError(id: id, -32001, "Task not found.")
            }
            return Self.rpcResult(id: id, task)
        case "message/send":
            break
        default:
            await state.record(path: path)
            return Self.rpcError(id: id, -32601, "Method not found: \(method).")
        }
        let message = json["params"]?["message"]
        guard let message, message["role"]?.stringValue == "user", let parts = message["parts"]?.arrayValue else {
            await state.record(path: path)
            return Self.rpcError(id: id, -32602, "Invalid params: 'message' needs role 'user' and 'parts'.")
        }
        let text = parts.compactMap { $0["kind"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined(separator: "\n")
        let regressed = configuration.isRegressed(version: request.headers[Self.versionHeader])
        let variant: AgentVariant = regressed ? .regressed : .good
        let sent: (contextID: String, taskID: String, reply: String, refunds: Int)
        do {
            sent = try await a2aSessions.send(
                agent: agent, contextID: message["contextId"]?.stringValue, taskID: message["taskId"]?.stringValue, text: text
            ) { conversation in
                switch agent {
                case "refund-agent": return RefundAgent(variant: variant).respond(to: conversation)
                case "refund-conversation-agent": return RefundConversationAgent(variant: variant).respond(to: conversation)
                default: return .answer(KnowledgeBaseAgent(variant: variant).answer(conversation.lastUserText))
                }
            }
        } catch {
            await state.record(path: path)
            guard case .rpc(let code, let text) = error else { throw error }
            return Self.rpcError(id: id, code, text)
        }
        let reply: JSON = [
            "kind": "message", "role": "agent", "messageId": .string("msg-" + StableHash.hex(of: "\(sent.taskID)|\(sent.reply)", length: 20)),
            "parts": [["kind": "text", "text": .string(sent.reply)]], "contextId": .string(sent.contextID),
        ]
        let result: JSON
        if agent == "kb-agent" {
            result = reply
        } else {
            let waiting = sent.reply.contains("?")
            var task: [String: JSON] = [
                "kind": "task", "id": .string(sent.taskID), "contextId": .string(sent.contextID),
                "status": ["state": .string(waiting ? "input-required" : "completed"), "message": reply],
                "metadata": ["refundsIssued": .number(Double(sent.refunds))],
            ]
            if !waiting {
                task["artifacts"] = [["artifactId": .string("answer-" + sent.taskID), "parts": [["kind": "text", "text": .string(sent.reply)]]]]
            }
            result = .object(task)
            await a2aSessions.remember(task: sent.taskID, result)
        }
        // Latency, faults and statistics as for every other agent request.
        return try await respond(request, context: context, path: path, agent: agent) { _ in
            ["jsonrpc": "2.0", "id": id, "result": result]
        }
    }

    static func rpcResult(id: JSON, _ result: JSON) -> Response {
        let body: JSON = ["jsonrpc": "2.0", "id": id, "result": result]
        return Response(status: .ok, headers: FaultResponder.jsonHeaders, body: ResponseBody(byteBuffer: ByteBuffer(string: body.serialized)))
    }

    static func rpcError(id: JSON, _ code: Int, _ message: String) -> Response {
        let body: JSON = ["jsonrpc": "2.0", "id": id, "error": ["code": .number(Double(code)), "message": .string(message)]]
        return Response(status: .ok, headers: FaultResponder.jsonHeaders, body: ResponseBody(byteBuffer: ByteBuffer(string: body.serialized)))
    }
}
