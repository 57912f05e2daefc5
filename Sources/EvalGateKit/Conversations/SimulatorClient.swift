import Foundation

/// Asks the simulator model for a customer's next message, from the on-disk cache when the same
/// model was already asked the same request (so a rerun of an unchanged conversation costs nothing).
///
/// Every failure (unreachable, HTTP error, a reply that is not a chat completion) is an `AgentError`
/// of kind `simulator-failed`: the case becomes an infrastructure error, never a pass or a fail of
/// the agent. Only readable replies are cached; the agent's answers never are.
public struct SimulatorClient: Sendable {
    public let definition: SimulatorDefinition
    public let cache: JudgeCache?
    let transport: HTTPTransport

    public static let maxResponseBytes = 1 << 20

    public init(definition: SimulatorDefinition, cacheFolder: String?) {
        self.definition = definition
        self.cache = definition.cache ? cacheFolder.map(JudgeCache.init(folder:)) : nil
        self.transport = HTTPTransport(maxConcurrency: 16, maxResponseBytes: Self.maxResponseBytes)
    }

    public func shutdown() async {
        await transport.shutdown()
    }

    /// The cache key: the model and the whole request body (messages, seed, parameters).
    public static func cacheKey(model: String, body: JSONValue) -> String {
        JudgeCache.key(["simulator", model, body.compactJSON])
    }

    /// The simulator's reply text to `messages` (OpenAI chat messages from the customer's side).
    /// `read` turns the text into a turn, or `nil` when it is unusable (then the request is tried again).
    public func reply<T>(model: String?, messages: [JSONValue], seed: UInt64, read: (String) -> T?) async throws(AgentError) -> T {
        let model = model ?? definition.model
        let body: JSONValue = [
            "model": .string(model), "messages": .array(messages), "seed": .number(Double(seed % (1 << 31))), "temperature": 0,
        ]
        let key = cache.map { _ in Self.cacheKey(model: model, body: body) }
        return try await EvaluationTrace.modelCall(role: "simulator", model: model, url: definition.url) {
            if let cache, let key, let content = cache.read(key)?["content"]?.stringValue, let turn = read(content) {
                return (.success(turn), true)
            }
            do throws(AgentError) {
                return (.success(try await send(model: model, body: body, cacheKey: key, read: read)), false)
            } catch {
                return (.failure(error), false)
            }
        }.get()
    }

    private func send<T>(model: String, body: JSONValue, cacheKey key: String?, read: (String) -> T?) async throws(AgentError) -> T {
        var lastError = AgentError(.simulatorFailed, "simulator \(model) was not asked")
        for attempt in 0...max(0, definition.retries) {
            if attempt > 0, Task.isCancelled { throw AgentError(.cancelled, "run stopped") }
            let content: String
            do throws(AgentError) {
                let response = try await transport.send(
                    url: definition.url, method: "POST", headers: definition.headers, body: body.jsonData, timeout: definition.timeout)
                if let error = response.statusError() { throw error }
                guard let text = JudgeScorer.messageContent(response.body) else {
                    throw AgentError(.malformedResponse, "the response is not a chat completion with message content: \(response.bodySnippet)")
                }
                content = text
            } catch {
                lastError = AgentError(.simulatorFailed, "simulator \(model): \(error.kind.rawValue): \(error.message)", status: error.status)
                if !error.isRetryable { throw lastError }
                continue
            }
            guard let turn = read(content) else {
                lastError = AgentError(
                    .simulatorFailed,
                    "simulator \(model) broke character or gave an unusable reply: \(TerminalText.sanitize(content, limit: 160))")
                continue
            }
            if let cache, let key { cache.write(key, ["model": .string(model), "content": .string(content)]) }
            return turn
        }
        throw lastError
    }
}
