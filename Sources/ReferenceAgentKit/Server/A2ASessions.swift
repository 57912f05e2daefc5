import Foundation

/// The conversations the reference agent holds over A2A, by `contextId`: an A2A agent keeps its own
/// history and runs its own tools, so the refund agents' orders and refunds live here, per context.
actor A2ASessions {
    struct Session {
        var agent: String
        var messages: [Conversation.Message] = []
        /// The task waiting for the user's input (`input-required`), if any.
        var waitingTask: String?
        var refunds = 0
    }

    /// Contexts kept at most; the oldest go first (a benchmark opens one per scenario).
    static let capacity = 200_000

    private var sessions: [String: Session] = [:]
    private var order: [String] = []
    private var evicted = 0
    private var tasks: [String: JSON] = [:]
    private var taskOrder: [String] = []
    private var counter = 0

    enum Failure: Error {
        /// A JSON-RPC error: code and message.
        case rpc(Int, String)
    }

    /// Appends the user's message to its context (a new one when `contextID` is nil), runs the agent
    /// and its tools to the agent's reply, and returns the context, the task id and the reply.
    func send(
        agent: String, contextID: String?, taskID: String?, text: String, respond: (Conversation) -> AgentTurn
    ) throws(Failure) -> (contextID: String, taskID: String, reply: String, refunds: Int) {
        let context: String
        if let contextID {
            guard let session = sessions[contextID] else { throw .rpc(-32602, "Unknown contextId '\(contextID)'.") }
            guard session.agent == agent else { throw .rpc(-32602, "Context '\(contextID)' belongs to another agent.") }
            if let taskID, taskID != session.waitingTask { throw .rpc(-32001, "Task not found: '\(taskID)' is not waiting for input.") }
            context = contextID
        } else {
            if taskID != nil { throw .rpc(-32602, "A taskId needs the contextId of its conversation.") }
            counter += 1
            context = "ctx-" + StableHash.hex(of: "\(agent)|\(counter)", length: 20)
            sessions[context] = Session(agent: agent)
            order.append(context)
            if order.count - evicted > Self.capacity {
                sessions[order[evicted]] = nil
                evicted += 1
            }
        }
        var session = sessions[context]!
        let task = taskID ?? "task-" + StableHash.hex(of: "\(context)|\(session.messages.count)", length: 20)
        session.messages.append(Conversation.Message(role: "user", text: text))
        var reply = "I could not finish that."
        for step in 0..<8 {
            switch respond(Conversation(messages: session.messages)) {
            case .answer(let answer):
                session.messages.append(Conversation.Message(role: "assistant", text: answer))
                reply = answer
            case .toolCalls(let calls):
                let identified = calls.enumerated().map { offset, call in
                    Conversation.ToolCall(id: "call-\(session.messages.count)-\(offset)", name: call.name, arguments: .object(call.arguments))
                }
                session.messages.append(Conversation.Message(role: "assistant", text: "", toolCalls: identified))
                for call in identified {
                    let result = Self.run(call, session: &session)
                    session.messages.append(Conversation.Message(role: "tool", text: result.serialized, toolCallID: call.id))
                }
                if step < 7 { continue }
            }
            break
        }
        session.waitingTask = reply.contains("?") ? task : nil
        sessions[context] = session
        return (context, task, reply, session.refunds)
    }

    func remember(task id: String, _ json: JSON) {
        if tasks[id] == nil { taskOrder.append(id) }
        tasks[id] = json
        if taskOrder.count > Self.capacity { tasks[taskOrder.removeFirst()] = nil }
    }

    func task(_ id: String) -> JSON? { tasks[id] }

    /// The refund desk the agent's tools act on: every order `A-` + five digits exists (delivered,
    /// a price from its number) except A-00000; refunds are counted per context.
    static func run(_ call: Conversation.ToolCall, session: inout Session) -> JSON {
        let orderID = call.arguments["order_id"]?.stringValue ?? ""
        switch call.name {
        case "lookup_order":
            let digits = orderID.dropFirst(2)
            guard orderID.hasPrefix("A-"), digits.count == 5, digits.allSatisfy(\.isNumber), let number = Int(digits), number != 0 else {
                return ["error": .string("order \(orderID) not found")]
            }
            return [
                "order_id": .string(orderID), "status": "delivered", "amount": .number(Double(number % 200) + 19.99), "currency": "EUR",
                "item": "headphones", "days_since_delivery": 3,
            ]
        case "issue_refund":
            session.refunds += 1
            return [
                "refund_id": .string("R-\(orderID.dropFirst(2))-\(session.refunds)"), "status": "issued",
                "amount": call.arguments["amount"] ?? .null,
            ]
        case "escalate_to_human":
            return ["ticket": .string("T-\(orderID.dropFirst(2))")]
        default:
            return ["error": .string("unknown tool \(call.name)")]
        }
    }
}
