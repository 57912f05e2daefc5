import Foundation
import Hummingbird
import NIOCore

/// The agent endpoints: decode, plan faults and delay, run the agent, encode.
struct AgentHandlers: Sendable {
    var configuration: ReferenceAgentConfiguration
    var state: ReferenceAgentState
    /// Which `X-Flaky` knowledge-base answers go wrong.
    var flaky: FlakyAnswers
    /// The conversations held over A2A (`POST /a2a/{agent}`), by `contextId`.
    var a2aSessions = A2ASessions()

    /// Request bodies larger than this are refused; a long conversation with tool results is far smaller.
    static let maximumBodySize = 4 * 1024 * 1024

    static let chatAgents: Set<String> = ["refund-agent", "refund-conversation-agent", "kb-agent"]

    static let versionHeader = HTTPFields.Element.Name("X-Agent-Version")!
    private static let faultHeader = HTTPFields.Element.Name(ReferenceAgentFault.headerName)!
    private static let faultCountHeader = HTTPFields.Element.Name(ReferenceAgentFault.countHeaderName)!
    private static let faultKeyHeader = HTTPFields.Element.Name(ReferenceAgentFault.keyHeaderName)!

    func chatCompletion(_ request: Request, context: AgentRequestContext, deployment: String?) async throws -> Response {
        let path = request.uri.path
        let body = try await request.body.collect(upTo: Self.maximumBodySize)
        let chat: ChatCompletionRequest
        do {
            chat = try ChatCompletionRequest(json: JSON.parse(body.readableBytesView))
        } catch {
            await state.record(path: path)
            let reason = (error as? WireFormatError)?.message ?? "the body is not JSON"
            return FaultResponder.errorResponse(
                .badRequest, WireError(message: "Not a chat completion request: \(reason).", type: "invalid_request_error"))
        }
        let model = chat.model ?? deployment ?? ""
        if ReferenceJudge.isJudge(model) {
            return try await judgeCompletion(request, context: context, path: path, chat: chat, model: model)
        }
        if model == CustomerSimulator.model {
            return try await respond(request, context: context, path: path, agent: model) { _ in
                let turn = AgentTurn.answer(CustomerSimulator().reply(to: chat.conversation))
                return ChatCompletionResponse.body(
                    model: model, turn: turn, conversation: chat.conversation, created: Int(Date().timeIntervalSince1970))
            }
        }
        guard Self.chatAgents.contains(model) else {
            await state.record(path: path)
            return FaultResponder.errorResponse(
                .notFound,
                WireError(
                    message: "The model '\(model)' does not exist; use refund-agent, refund-conversation-agent or kb-agent.",
                    type: "invalid_request_error", code: "model_not_found"))
        }
        let flakyWrong = model == "kb-agent" ? await isFlakyWrong(request, question: chat.conversation.lastUserText) : false
        return try await respond(request, context: context, path: path, agent: model) { variant in
            let conversation = chat.conversation
            let turn: AgentTurn
            if model == "refund-agent" {
                turn = RefundAgent(variant: variant).respond(to: conversation)
            } else if model == "refund-conversation-agent" {
                turn = RefundConversationAgent(variant: variant).respond(to: conversation)
            } else {
                turn = .answer(flakyWrong ? FlakyAnswers.wrongAnswer : KnowledgeBaseAgent(variant: variant).answer(conversation.lastUserText))
            }
            return ChatCompletionResponse.body(
                model: model, turn: turn, conversation: conversation, created: Int(Date().timeIntervalSince1970))
        }
    }

    func triage(_ request: Request, context: AgentRequestContext) async throws -> Response {
        let path = request.uri.path
        let body = try await request.body.collect(upTo: Self.maximumBodySize)
        let ticket: (ticket: String, ticketID: String?)
        do {
            ticket = try TriageWire.ticket(in: JSON.parse(body.readableBytesView))
        } catch {
            await state.record(path: path)
            let reason = (error as? WireFormatError)?.message ?? "the body is not JSON"
            return FaultResponder.jsonResponse(.badRequest, ["error": reason])
        }
        return try await respond(request, context: context, path: path, agent: "triage-agent") { variant in
            let decision = TriageAgent(variant: variant).triage(ticket.ticket)
            return TriageWire.response(decision, ticket: ticket.ticket, ticketID: ticket.ticketID)
        }
    }

    /// Applies the plan (delay, then a fault or the answer) around an agent's answer.
    func respond(
        _ request: Request, context: AgentRequestContext, path: String, agent: String,
        answer: (AgentVariant) -> JSON
    ) async throws -> Response {
        let arrived = ContinuousClock.now
        let version = request.headers[Self.versionHeader]
        let regressed = configuration.isRegressed(version: version)
        var requested: ReferenceAgentFault?
        if let name = request.headers[Self.faultHeader] {
            guard let fault = ReferenceAgentFault(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                await state.record(path: path)
                let known = ReferenceAgentFault.allCases.map(\.rawValue).joined(separator: ", ")
                return FaultResponder.jsonResponse(.badRequest, ["error": "unknown X-Fault '\(name)'; expected one of \(known)"])
            }
            requested = fault
        }
        let plan = await state.plan(
            path: path, agent: agent, regressed: regressed, requested: requested,
            count: request.headers[Self.faultCountHeader].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
            key: request.headers[Self.faultKeyHeader])
        // The answer is worked out first and sent `delay` after the request arrived: an agent
        // configured with latency L answers in L, not in L plus the time it took to think (which
        // made the benchmarks' ideal unreachable by a millisecond or two a request).
        let body = ByteBuffer(string: answer(regressed ? .regressed : .good).serialized)
        if plan.delay > .zero {
            try await Self.wait(until: arrived + plan.delay, on: context.channel.eventLoop)
        }
        if let fault = plan.fault, let response = try await FaultResponder.respondBeforeAnswer(fault, context: context) {
            return response
        }
        if let fault = plan.fault {
            return FaultResponder.respond(fault, answer: body, context: context)
        }
        return Response(status: .ok, headers: FaultResponder.jsonHeaders, body: ResponseBody(byteBuffer: body))
    }

    /// Waits until `deadline` with a timer on the connection's event loop, which fires within
    /// tens of microseconds; `Task.sleep` woke about half a millisecond late.
    static func wait(until deadline: ContinuousClock.Instant, on eventLoop: any EventLoop) async throws {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { return }
        let (seconds, attoseconds) = remaining.components
        let timer = eventLoop.scheduleTask(in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)) {}
        try await withTaskCancellationHandler {
            try await timer.futureResult.get()
        } onCancel: {
            timer.cancel()
        }
    }
}
