import Foundation
import Hummingbird

/// The judge models (`judge*` chat models) and the embeddings endpoint, for model-graded scoring tests.
extension AgentHandlers {
    private static let flakyHeader = HTTPFields.Element.Name(FlakyAnswers.headerName)!

    /// Grades the prompt with `ReferenceJudge`; counted under the judge's model name in the statistics.
    func judgeCompletion(_ request: Request, context: AgentRequestContext, path: String, chat: ChatCompletionRequest, model: String) async throws
        -> Response
    {
        let judge = ReferenceJudge(model: model)
        if judge.isSlow { try await Task.sleep(for: ReferenceJudge.slowDelay) }
        let prompt = chat.conversation.userTexts.joined(separator: "\n")
        return try await respond(request, context: context, path: path, agent: model) { _ in
            ChatCompletionResponse.body(
                model: model, turn: .answer(judge.reply(to: prompt)), conversation: chat.conversation, created: Int(Date().timeIntervalSince1970))
        }
    }

    /// `POST /v1/embeddings`: `{"model", "input": "text" | ["text", ...]}` → hashed bag-of-words vectors.
    func embeddings(_ request: Request, context: AgentRequestContext) async throws -> Response {
        let path = request.uri.path
        let body = try await request.body.collect(upTo: Self.maximumBodySize)
        let json = try? JSON.parse(body.readableBytesView)
        var inputs: [String]?
        switch json?["input"] {
        case .string(let text)?: inputs = [text]
        case .array(let items)?:
            let texts = items.compactMap { item -> String? in if case .string(let text) = item { return text } else { return nil } }
            inputs = texts.count == items.count && !texts.isEmpty ? texts : nil
        default: inputs = nil
        }
        guard let inputs else {
            await state.record(path: path)
            return FaultResponder.errorResponse(
                .badRequest,
                WireError(
                    message: "Not an embeddings request: 'input' must be a string or a non-empty list of strings.", type: "invalid_request_error"))
        }
        let model = json?["model"]?.stringValue ?? "embed"
        return try await respond(request, context: context, path: path, agent: model) { _ in
            HashingEmbedder.response(model: model, inputs: inputs)
        }
    }

    /// Whether this knowledge-base request should get a wrong answer (`X-Flaky: P`).
    func isFlakyWrong(_ request: Request, question: String) async -> Bool {
        guard let text = request.headers[Self.flakyHeader], let probability = Double(text.trimmingCharacters(in: .whitespaces)) else { return false }
        return await flaky.isWrong(question: question, probability: probability)
    }
}
