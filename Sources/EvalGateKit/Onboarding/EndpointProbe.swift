import Foundation

/// Checks that an endpoint answers before `evalgate init` writes a pipeline for it: for
/// OpenAI-compatible endpoints the model list and one chat request, for JSON APIs one request, for
/// commands one case on standard input.
///
/// Each probe sends one small, harmless request; the answer only shows that the wire format is right.
public struct EndpointProbe: Sendable {
    /// What the probe learned, written into the pipeline.
    public struct Finding: Sendable, Equatable {
        /// The URL the pipeline calls (for `openai-chat`, the chat-completions URL).
        public var url: String
        /// The models the endpoint lists (`openai-chat`), in its order.
        public var models: [String]
        public var model: String?
        /// The probe's answer, shortened, to show the user.
        public var answer: String
        /// Whether the key variable was set and sent (the pipeline then sends it too).
        public var usesKey: Bool
        /// `http`/`command`: where the answer is in the response.
        public var answerPointer: String?
        /// `http`/`command`: where token counts are in the response, when it reports them.
        public var usagePointers: UsagePointers?
        /// Things worth telling the user that did not stop the probe.
        public var notes: [String]
    }

    /// The question the probe asks; any answer will do.
    public static let question = "Reply with the single word OK."

    public var environment: [String: String]
    /// Seconds for each request.
    public var timeout: Double

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, timeout: Double = 20) {
        self.environment = environment
        self.timeout = timeout
    }

    func keyHeaders(_ variable: String) -> [String: String] {
        guard let key = environment[variable], !key.isEmpty else { return [:] }
        return ["Authorization": "Bearer \(key)"]
    }

    // MARK: openai-chat

    /// `GET …/models`: the model ids, or `nil` when the endpoint has no model list (404, 405).
    public func listModels(chatURL: String, apiKeyVariable: String) async throws(OnboardingError) -> [String]? {
        let url = OnboardingRequest.modelsURL(chatCompletionsURL: chatURL)
        let response = try await send(url: url, method: "GET", headers: keyHeaders(apiKeyVariable), body: nil, apiKeyVariable: apiKeyVariable)
        if response.status == 404 || response.status == 405 { return nil }
        guard (200..<300).contains(response.status) else {
            throw .endpointFailed(url: url, status: response.status, body: response.bodySnippet)
        }
        guard let json = try? JSONValue(parsing: response.body), let data = json["data"]?.arrayValue else {
            throw .notOpenAICompatible(url: url, reason: "the model list is not JSON of the form {\"data\": [{\"id\": ...}]}")
        }
        return data.compactMap { $0["id"]?.stringValue }
    }

    /// Lists the models, picks one if none was named, and sends one chat request.
    public func probeOpenAIChat(endpoint: String, model: String?, apiKeyVariable: String) async throws(OnboardingError) -> Finding {
        let chatURL = OnboardingRequest.chatCompletionsURL(endpoint)
        var notes: [String] = []
        let models = try await listModels(chatURL: chatURL, apiKeyVariable: apiKeyVariable)
        if models == nil { notes.append("\(OnboardingRequest.modelsURL(chatCompletionsURL: chatURL)) is not served; the chat request decides.") }
        if let model, let models, !models.isEmpty, !models.contains(model) {
            throw .unknownModel(model: model, available: models)
        }
        guard let chosen = model ?? models?.first else { throw .modelRequired(url: OnboardingRequest.modelsURL(chatCompletionsURL: chatURL)) }
        if model == nil, let models, models.count > 1 {
            notes.append("The endpoint lists \(models.count) models; using the first, '\(chosen)' (--model picks another).")
        }
        let request: JSONValue = ["model": .string(chosen), "messages": [["role": "user", "content": .string(Self.question)]]]
        let response = try await send(
            url: chatURL, method: "POST", headers: keyHeaders(apiKeyVariable), body: request.jsonData, apiKeyVariable: apiKeyVariable)
        let json = try? JSONValue(parsing: response.body)
        if response.status == 404, let code = json?["error"]?["code"]?.stringValue, code == "model_not_found" {
            throw .unknownModel(model: chosen, available: models ?? [])
        }
        if response.status == 404 {
            throw .notOpenAICompatible(url: chatURL, reason: "it answered 404 Not Found to a chat request")
        }
        guard (200..<300).contains(response.status) else {
            throw .endpointFailed(url: chatURL, status: response.status, body: response.bodySnippet)
        }
        guard let json else {
            throw .notOpenAICompatible(url: chatURL, reason: "the answer is not JSON (it begins '\(response.bodySnippet.prefix(60))')")
        }
        guard let message = json["choices"]?.arrayValue?.first?["message"], message.objectValue != nil else {
            throw .notOpenAICompatible(url: chatURL, reason: "the answer has no choices[0].message")
        }
        let text = message["content"]?.stringValue ?? (message["tool_calls"] != nil ? "(a tool call)" : "")
        return Finding(
            url: chatURL, models: models ?? [], model: chosen, answer: Self.shortened(text), usesKey: !keyHeaders(apiKeyVariable).isEmpty,
            answerPointer: nil, usagePointers: nil, notes: notes)
    }

    /// Lists the models, picks one if none was named, and sends one Responses API request
    /// (`store: false`, as runs send them).
    public func probeOpenAIResponses(endpoint: String, model: String?, apiKeyVariable: String) async throws(OnboardingError) -> Finding {
        let responsesURL = OnboardingRequest.responsesURL(endpoint)
        // The model list sits beside it, as it does beside chat completions.
        let chatLike = String(responsesURL.dropLast("/responses".count)) + "/chat/completions"
        var notes: [String] = []
        let models = try await listModels(chatURL: chatLike, apiKeyVariable: apiKeyVariable)
        if models == nil { notes.append("\(OnboardingRequest.modelsURL(chatCompletionsURL: chatLike)) is not served; the request decides.") }
        if let model, let models, !models.isEmpty, !models.contains(model) {
            throw .unknownModel(model: model, available: models)
        }
        guard let chosen = model ?? models?.first else { throw .modelRequired(url: OnboardingRequest.modelsURL(chatCompletionsURL: chatLike)) }
        if model == nil, let models, models.count > 1 {
            notes.append("The endpoint lists \(models.count) models; using the first, '\(chosen)' (--model picks another).")
        }
        let request: JSONValue = ["model": .string(chosen), "input": .string(Self.question), "store": false]
        let response = try await send(
            url: responsesURL, method: "POST", headers: keyHeaders(apiKeyVariable), body: request.jsonData, apiKeyVariable: apiKeyVariable)
        let json = try? JSONValue(parsing: response.body)
        if response.status == 404, let code = json?["error"]?["code"]?.stringValue, code == "model_not_found" {
            throw .unknownModel(model: chosen, available: models ?? [])
        }
        if response.status == 404 {
            throw .notOpenAICompatible(url: responsesURL, reason: "it answered 404 Not Found to a Responses API request")
        }
        guard (200..<300).contains(response.status) else {
            throw .endpointFailed(url: responsesURL, status: response.status, body: response.bodySnippet)
        }
        guard let json else {
            throw .notOpenAICompatible(url: responsesURL, reason: "the answer is not JSON (it begins '\(response.bodySnippet.prefix(60))')")
        }
        guard let output = json["output"]?.arrayValue else {
            throw .notOpenAICompatible(url: responsesURL, reason: "the answer has no 'output' items")
        }
        var text = ""
        for item in output where item["type"]?.stringValue == "message" {
            for part in item["content"]?.arrayValue ?? [] where part["type"]?.stringValue == "output_text" {
                text += part["text"]?.stringValue ?? ""
            }
        }
        if text.isEmpty, output.contains(where: { $0["type"]?.stringValue == "function_call" }) { text = "(a tool call)" }
        return Finding(
            url: responsesURL, models: models ?? [], model: chosen, answer: Self.shortened(text), usesKey: !keyHeaders(apiKeyVariable).isEmpty,
            answerPointer: nil, usagePointers: nil, notes: notes)
    }

    // MARK: http

    /// Answer keys tried, in order, when no `--answer` pointer was given.
    static let answerKeys = ["answer", "output", "result", "response", "reply", "text", "content", "message", "completion"]

    /// Sends `{inputKey: question}` and finds the answer in the JSON response.
    public func probeHTTP(url: String, inputKey: String, answerPointer: String?, apiKeyVariable: String) async throws(OnboardingError) -> Finding {
        let body: JSONValue = .object([inputKey: .string(Self.question)])
        let response = try await send(
            url: url, method: "POST", headers: keyHeaders(apiKeyVariable), body: body.jsonData, apiKeyVariable: apiKeyVariable)
        guard (200..<300).contains(response.status) else {
            throw .endpointFailed(url: url, status: response.status, body: response.bodySnippet)
        }
        guard let json = try? JSONValue(parsing: response.body) else {
            throw .noAnswer(url: url, reason: "its response is not JSON (it begins '\(response.bodySnippet.prefix(60))')")
        }
        let (pointer, answer) = try Self.findAnswer(in: json, pointer: answerPointer, url: url)
        return Finding(
            url: url, models: [], model: nil, answer: Self.shortened(answer.stringValue ?? answer.compactJSON),
            usesKey: !keyHeaders(apiKeyVariable).isEmpty, answerPointer: pointer, usagePointers: Self.usagePointers(in: json), notes: [])
    }

    static func findAnswer(in json: JSONValue, pointer: String?, url: String) throws(OnboardingError) -> (String, JSONValue) {
        if let pointer {
            guard let value = json.value(at: pointer) else { throw .noAnswer(url: url, reason: "its response has nothing at \(pointer)") }
            return (pointer, value)
        }
        if case .string = json { return ("", json) }
        for key in answerKeys {
            if let value = json[key], value != .null { return ("/\(key)", value) }
        }
        let keys = json.objectValue?.keys.sorted().joined(separator: ", ") ?? json.typeName
        throw .noAnswer(url: url, reason: "no answer was found in its response (keys: \(keys))")
    }

    /// Token counts at the usual places: `usage.{input,output}_tokens` or `usage.{prompt,completion}_tokens`.
    static func usagePointers(in json: JSONValue) -> UsagePointers? {
        for (input, output) in [("input_tokens", "output_tokens"), ("prompt_tokens", "completion_tokens")] {
            if json["usage"]?[input]?.doubleValue != nil, json["usage"]?[output]?.doubleValue != nil {
                return UsagePointers(inputTokens: "/usage/\(input)", outputTokens: "/usage/\(output)")
            }
        }
        return nil
    }

    // MARK: command

    /// Runs the command once with a case on standard input, as a run would.
    public func probeCommand(argv: [String], answerPointer: String?) async throws(OnboardingError) -> Finding {
        let commandLine = argv.joined(separator: " ")
        guard !argv.isEmpty else { throw .invalidSetting("--endpoint: give the command to run, e.g. --endpoint 'python3 agent.py'") }
        let endpoint = EndpointDefinition(kind: .command, answerPointer: answerPointer ?? "/answer", argv: argv, timeout: timeout)
        let client = CommandClient(endpoint: endpoint, inheritedVariables: environment)
        let result: Result<AgentAnswer, AgentError>
        do throws(AgentError) {
            result = .success(try await client.answer(GoldenCase(id: "evalgate-init-probe", input: .text(Self.question))))
        } catch {
            result = .failure(error)
        }
        await client.shutdown()
        switch result {
        case .success(let answer):
            return Finding(
                url: commandLine, models: [], model: nil, answer: Self.shortened(answer.json?.compactJSON ?? answer.text), usesKey: false,
                answerPointer: answerPointer ?? "/answer", usagePointers: nil, notes: [])
        case .failure(let error):
            throw .commandFailed(command: commandLine, reason: error.message)
        }
    }

    // MARK: transport

    func send(url: String, method: String, headers: [String: String], body: Data?, apiKeyVariable: String) async throws(OnboardingError)
        -> HTTPTransport.Response
    {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme), parsed.host != nil else {
            throw .invalidSetting("--endpoint: '\(url)' is not an http(s) URL")
        }
        let transport = HTTPTransport(maxConcurrency: 1, maxResponseBytes: 1 << 20)
        let result: Result<HTTPTransport.Response, AgentError>
        do throws(AgentError) {
            result = .success(try await transport.send(url: url, method: method, headers: headers, body: body, timeout: timeout))
        } catch {
            result = .failure(error)
        }
        await transport.shutdown()
        switch result {
        case .success(let response):
            if response.status == 401 || response.status == 403 {
                throw .needsKey(url: url, status: response.status, variable: apiKeyVariable, keySent: !headers.isEmpty)
            }
            return response
        case .failure(let error):
            switch error.kind {
            case .connection, .timeout: throw .unreachable(url: url, reason: error.message)
            default: throw .endpointFailed(url: url, status: error.status ?? 0, body: error.message)
            }
        }
    }

    static func shortened(_ text: String) -> String {
        let line = TerminalText.sanitize(text.replacingOccurrences(of: "\n", with: " "), limit: 120)
        return line
    }
}
