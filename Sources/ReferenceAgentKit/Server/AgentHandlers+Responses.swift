import Foundation
import Hummingbird

extension AgentHandlers {
    /// `POST /v1/responses`: the chat agents behind the OpenAI Responses API wire format.
    func responses(_ request: Request, context: AgentRequestContext) async throws -> Response {
        let path = request.uri.path
        let body = try await request.body.collect(upTo: Self.maximumBodySize)
        let parsed: ResponsesRequest
        do {
            parsed = try ResponsesRequest(json: JSON.parse(body.readableBytesView))
        } catch {
            await state.record(path: path)
            let reason = (error as? WireFormatError)?.message ?? "the body is not JSON"
            return FaultResponder.errorResponse(
                .badRequest, WireError(message: "Not a Responses API request: \(reason).", type: "invalid_request_error"))
        }
        let model = parsed.model ?? ""
        guard Self.chatAgents.contains(model) else {
            await state.record(path: path)
            return FaultResponder.errorResponse(
                .notFound, WireError(message: "The model '\(model)' does not exist.", type: "invalid_request_error", code: "model_not_found"))
        }
        return try await respond(request, context: context, path: path, agent: model) { variant in
            let conversation = parsed.conversation
            let turn: AgentTurn
            switch model {
            case "refund-agent": turn = RefundAgent(variant: variant).respond(to: conversation)
            case "refund-conversation-agent": turn = RefundConversationAgent(variant: variant).respond(to: conversation)
            default: turn = .answer(KnowledgeBaseAgent(variant: variant).answer(conversation.lastUserText))
            }
            return ResponsesResponse.body(model: model, turn: turn, conversation: conversation, created: Int(Date().timeIntervalSince1970))
        }
    }
}
