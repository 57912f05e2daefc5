/// Reads A2A JSON-RPC replies: the envelope, a `Message` or a `Task`, and what a task's state means
/// for the case (A2A specification v0.3, "Task states" and "JSON-RPC errors").
enum A2AReply {
    /// The `result` of a JSON-RPC response to request `id`; a JSON-RPC error becomes the case's
    /// error (internal errors may pass on a second try; the request's own errors will not).
    static func result(of json: JSONValue, id: String, method: String, snippet: String) throws(AgentError) -> JSONValue {
        guard json["jsonrpc"]?.stringValue == "2.0" else {
            throw AgentError(.malformedResponse, "the A2A response to \(method) is not JSON-RPC 2.0: \(snippet)")
        }
        if let error = json["error"], error != .null {
            let code = error["code"]?.doubleValue.map { Int($0) }
            let message = error["message"]?.stringValue ?? error.compactJSON
            let text = "the A2A agent answered \(method) with error \(code.map(String.init) ?? "?"): \(message)"
            // -32603 internal error and -32000…-32099 implementation-defined server errors other than
            // A2A's own (-32001…-32007, about the request) may pass when tried again.
            if let code, code == -32603 || ((-32099)...(-32000)).contains(code) && !((-32007)...(-32001)).contains(code) {
                throw AgentError(.serverError, text)
            }
            throw AgentError(.clientError, text)
        }
        guard json["id"]?.stringValue == id else {
            throw AgentError(.malformedResponse, "the A2A response answers another request (id \(json["id"]?.compactJSON ?? "missing")): \(snippet)")
        }
        guard let result = json["result"], case .object = result else {
            throw AgentError(.malformedResponse, "the A2A response to \(method) has no result object: \(snippet)")
        }
        return result
    }

    /// The id of a task that has not settled yet (`submitted`, `working`): poll it.
    static func pendingTaskID(_ result: JSONValue) -> String? {
        guard result["kind"]?.stringValue == "task", let state = result["status"]?["state"]?.stringValue,
            state == "submitted" || state == "working"
        else { return nil }
        return result["id"]?.stringValue
    }

    /// The agent's turn in a `Message` or a settled `Task`.
    static func turn(from result: JSONValue) throws(AgentError) -> AssistantTurn {
        guard let contextID = result["contextId"]?.stringValue, !contextID.isEmpty else {
            throw AgentError(
                .malformedResponse, "the A2A reply has no contextId, so the conversation cannot go on: \(result.compactJSON.prefix(300))")
        }
        switch result["kind"]?.stringValue {
        case "message"?:
            let (text, json) = content(of: [result])
            guard text != nil else { throw AgentError(.missingAnswer, "the A2A message has no text or data part") }
            return AssistantTurn(text: text, json: json, finishReason: "message", session: EndpointSession(contextID: contextID))
        case "task"?:
            guard let taskID = result["id"]?.stringValue, let state = result["status"]?["state"]?.stringValue else {
                throw AgentError(.malformedResponse, "the A2A task has no id or status.state: \(result.compactJSON.prefix(300))")
            }
            var holders = result["artifacts"]?.arrayValue ?? []
            if let statusMessage = result["status"]?["message"] { holders.insert(statusMessage, at: 0) }
            let (text, json) = content(of: holders)
            switch state {
            case "completed", "rejected", "input-required":
                guard text != nil else {
                    throw AgentError(.missingAnswer, "the A2A task \(taskID) is \(state) but says nothing (no text or data part)")
                }
            default: break
            }
            switch state {
            case "completed", "rejected":
                return AssistantTurn(text: text, json: json, finishReason: state, session: EndpointSession(contextID: contextID))
            case "input-required":
                return AssistantTurn(text: text, json: json, finishReason: state, session: EndpointSession(contextID: contextID, taskID: taskID))
            case "failed", "canceled":
                throw AgentError(.serverError, "the A2A task \(taskID) ended \(state)\(text.map { ": \($0)" } ?? "")")
            case "auth-required":
                throw AgentError(.clientError, "the A2A task \(taskID) needs authentication the pipeline does not give (auth-required)")
            default:
                throw AgentError(.malformedResponse, "the A2A task \(taskID) is in an unknown state '\(state)'")
            }
        default:
            throw AgentError(
                .malformedResponse, "the A2A result is neither a message nor a task (kind '\(result["kind"]?.stringValue ?? "missing")')")
        }
    }

    /// The text parts of messages and artifacts, in order, and the data of a lone `data` part.
    static func content(of holders: [JSONValue]) -> (text: String?, json: JSONValue?) {
        var texts: [String] = []
        var data: [JSONValue] = []
        for holder in holders {
            for part in holder["parts"]?.arrayValue ?? [] {
                switch part["kind"]?.stringValue {
                case "text"?: if let text = part["text"]?.stringValue, texts.last != text { texts.append(text) }
                case "data"?: if let value = part["data"] { data.append(value) }
                default: continue  // files are not scored
                }
            }
        }
        // Not a ternary: `nil` would become JSONValue's own null literal there.
        var json: JSONValue?
        if texts.isEmpty, data.count == 1 { json = data[0] }
        let text = texts.isEmpty ? json.map(\.compactJSON) : texts.joined(separator: "\n")
        return (text, json)
    }
}
