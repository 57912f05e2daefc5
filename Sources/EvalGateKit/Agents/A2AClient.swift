import Foundation

/// An Agent2Agent (A2A) agent over JSON-RPC 2.0: each user turn is one `message/send` with the
/// user's text as parts; the agent keeps the conversation itself under the `contextId` it returns,
/// so later turns send only what the user said since, with that `contextId` (and the `taskId` of a
/// task that asked for input). The reply is a `Message` or a `Task`; a task still `submitted` or
/// `working` is polled with `tasks/get` until it settles or the endpoint's timeout passes.
///
/// An A2A agent runs its own tools: evalgate sees its replies, not its tool calls, so `tools` and
/// trajectory scorers do not apply (docs/conversations.md).
public struct A2AClient: AgentClient {
    public let endpoint: EndpointDefinition
    let transport: HTTPTransport
    let url: String

    public init(endpoint: EndpointDefinition, transport: HTTPTransport) {
        self.endpoint = endpoint
        self.transport = transport
        self.url = URLBuilder.url(endpoint.url ?? "", query: endpoint.query)
    }

    public func answer(_ goldenCase: GoldenCase) async throws(AgentError) -> AgentAnswer {
        try await ToolLoop(client: self, maxSteps: 1).answer(goldenCase)
    }

    public func respond(to conversation: Conversation) async throws(AgentError) -> AssistantTurn {
        let start = ContinuousClock.now
        let (texts, session) = try Self.pending(conversation.messages)
        var message: [String: JSONValue] = [
            "kind": "message", "role": "user", "messageId": .string(UUID().uuidString.lowercased()),
            "parts": .array(texts.map { ["kind": "text", "text": .string($0)] }),
        ]
        if let session {
            message["contextId"] = .string(session.contextID)
            if let task = session.taskID { message["taskId"] = .string(task) }
        }
        let params: JSONValue = [
            "message": .object(message),
            "configuration": ["blocking": true, "acceptedOutputModes": ["text/plain", "application/json"]],
        ]
        var result = try await call("message/send", params: params, timeout: endpoint.timeout)
        var delay = 0.05
        while let task = A2AReply.pendingTaskID(result) {
            let elapsed = Self.seconds(since: start)
            guard elapsed < endpoint.timeout else {
                throw AgentError(.timeout, "the A2A task \(task) was still working after \(Int(endpoint.timeout)) s")
            }
            try await Self.sleep(min(delay, endpoint.timeout - elapsed))
            delay = min(delay * 2, 1)
            result = try await call("tasks/get", params: ["id": .string(task)], timeout: endpoint.timeout - Self.seconds(since: start))
        }
        return try A2AReply.turn(from: result)
    }

    /// What goes out this turn: the user's messages since the agent's last reply that carried a
    /// session, or, at the start, the whole (user-only) input. An A2A agent keeps its own history,
    /// so a case whose input already holds agent turns cannot be replayed to it.
    static func pending(_ messages: [ConversationMessage]) throws(AgentError) -> (texts: [String], session: EndpointSession?) {
        let resumeIndex = messages.lastIndex { $0.session != nil }
        let session = resumeIndex.flatMap { messages[$0].session }
        let tail = resumeIndex.map { Array(messages[($0 + 1)...]) } ?? messages
        var texts: [String] = []
        for message in tail {
            guard message.role == .user else {
                throw AgentError(
                    .clientError,
                    "an A2A agent keeps its own conversation: the case's input has a '\(message.role.rawValue)' message, and only the user's messages can be sent (use a scenario for a conversation)"
                )
            }
            texts.append(message.content ?? "")
        }
        guard !texts.isEmpty else { throw AgentError(.clientError, "there is no user message to send to the A2A agent") }
        return (texts, session)
    }

    /// One JSON-RPC call: its `result`, or the error it names.
    func call(_ method: String, params: JSONValue, timeout: Double) async throws(AgentError) -> JSONValue {
        let id = UUID().uuidString.lowercased()
        let request: JSONValue = ["jsonrpc": "2.0", "id": .string(id), "method": .string(method), "params": params]
        var headers = endpoint.headers
        if headers.keys.first(where: { $0.lowercased() == "content-type" }) == nil { headers["Content-Type"] = "application/json" }
        let response = try await transport.send(url: url, method: "POST", headers: headers, body: request.jsonData, timeout: timeout)
        if let error = response.statusError() { throw error }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: response.body)
        } catch {
            throw AgentError(.malformedResponse, "the A2A response is not JSON: \(response.bodySnippet)", status: response.status)
        }
        return try A2AReply.result(of: json, id: id, method: method, snippet: response.bodySnippet)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func sleep(_ seconds: Double) async throws(AgentError) {
        do {
            try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
        } catch {
            throw AgentError(.cancelled, "cancelled while the A2A task was working")
        }
    }

    public func shutdown() async {}
}
