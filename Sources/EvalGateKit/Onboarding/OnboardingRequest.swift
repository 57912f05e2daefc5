import Foundation

/// What `evalgate init` sets up: the agent, how to reach it, its tier, and where the files go.
public struct OnboardingRequest: Sendable, Equatable {
    /// The project folder; the files go to `pipelines/` and `golden-datasets/NAME/` below it.
    public var directory: String
    /// The agent's name in history and reports (`agent.name`), also the pipeline's file name.
    public var name: String
    public var kind: EndpointDefinition.Kind
    /// A URL for `openai-chat` and `http`; for `command`, the program and its arguments.
    public var endpoint: String
    /// The model for `openai-chat`; `nil` picks the endpoint's only (or first) listed model.
    public var model: String?
    public var tier: Int
    /// The version a run gates when `AGENT_VERSION` is not set.
    public var agentVersion: String
    /// Prices per 1,000 input and output tokens, as written (exact decimals); `nil` leaves them out.
    public var pricing: (input: String, output: String)?
    /// The variable holding the API key; sent as `Authorization: Bearer ${VARIABLE}` when it is set.
    public var apiKeyVariable: String
    /// `http`: the body key the case input is sent in (`{"input": "..."}`).
    public var inputKey: String
    /// `http`, `command`: JSON Pointer to the answer; `nil` finds it in the probe's response.
    public var answerPointer: String?
    /// Replace files that exist.
    public var force: Bool

    public init(
        directory: String = ".", name: String, kind: EndpointDefinition.Kind = .openAIChat, endpoint: String, model: String? = nil, tier: Int = 1,
        agentVersion: String = "1.0.0", pricing: (input: String, output: String)? = nil, apiKeyVariable: String = "AGENT_API_KEY",
        inputKey: String = "input", answerPointer: String? = nil, force: Bool = false
    ) {
        self.directory = directory
        self.name = name
        self.kind = kind
        self.endpoint = endpoint
        self.model = model
        self.tier = tier
        self.agentVersion = agentVersion
        self.pricing = pricing
        self.apiKeyVariable = apiKeyVariable
        self.inputKey = inputKey
        self.answerPointer = answerPointer
        self.force = force
    }

    public static func == (lhs: OnboardingRequest, rhs: OnboardingRequest) -> Bool {
        lhs.directory == rhs.directory && lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.endpoint == rhs.endpoint && lhs.model == rhs.model
            && lhs.tier == rhs.tier && lhs.agentVersion == rhs.agentVersion && lhs.pricing?.input == rhs.pricing?.input
            && lhs.pricing?.output == rhs.pricing?.output && lhs.apiKeyVariable == rhs.apiKeyVariable && lhs.inputKey == rhs.inputKey
            && lhs.answerPointer == rhs.answerPointer && lhs.force == rhs.force
    }

    /// Agent names become file names and history keys: letters, digits, `.`, `_` and `-`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.first != "." && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }

    /// A price per 1,000 tokens as the pipeline takes it: a plain decimal number.
    public static func isValidPrice(_ text: String) -> Bool {
        text.range(of: #"^[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil
    }

    /// The chat-completions URL for what a user typed: a base (`http://host:8080`), a `/v1` base,
    /// or the full `…/chat/completions` URL.
    public static func chatCompletionsURL(_ endpoint: String) -> String {
        var url = endpoint.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/chat/completions") { return url }
        if url.hasSuffix("/v1") || url.range(of: #"/v[0-9]+$"#, options: .regularExpression) != nil { return url + "/chat/completions" }
        return url + "/v1/chat/completions"
    }

    /// The Responses API URL for what a user typed: a base, a `/v1` base, or the full `…/responses` URL.
    public static func responsesURL(_ endpoint: String) -> String {
        var url = endpoint.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/responses") { return url }
        if url.hasSuffix("/v1") || url.range(of: #"/v[0-9]+$"#, options: .regularExpression) != nil { return url + "/responses" }
        return url + "/v1/responses"
    }

    /// The model list (`GET …/models`) next to a chat-completions URL.
    public static func modelsURL(chatCompletionsURL url: String) -> String {
        String(url.dropLast("/chat/completions".count)) + "/models"
    }

    /// Splits a command line on spaces, keeping quoted parts together (never run through a shell).
    public static func argv(_ commandLine: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var started = false
        for character in commandLine {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                started = true
            } else if character == " " || character == "\t" {
                if started { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
                started = true
            }
        }
        if started { words.append(current) }
        return words
    }
}
