import Foundation
import Yams

extension PromptfooConversion {
    /// A provider evalgate can reach: the `agent.endpoint` of its pipeline.
    struct ConvertedProvider {
        var id: String
        var label: String?
        var slug: String
        var endpoint: [(String, PipelineText)]
    }

    /// OpenAI-compatible providers promptfoo knows by prefix: their base URL and key variable.
    static let compatibleProviders: [String: (base: String, keyVariable: String?)] = [
        "openai": ("https://api.openai.com/v1", "OPENAI_API_KEY"),
        "openrouter": ("https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"),
        "groq": ("https://api.groq.com/openai/v1", "GROQ_API_KEY"),
        "mistral": ("https://api.mistral.ai/v1", "MISTRAL_API_KEY"),
        "deepseek": ("https://api.deepseek.com/v1", "DEEPSEEK_API_KEY"),
        "ollama": ("http://localhost:11434/v1", nil),
    ]

    /// Request options of the Chat Completions API, copied into `parameters`.
    static let chatParameters: Set<String> = [
        "temperature", "max_tokens", "max_completion_tokens", "top_p", "frequency_penalty", "presence_penalty", "seed", "stop",
        "response_format", "tool_choice", "reasoning_effort", "logit_bias", "user", "n", "parallel_tool_calls", "verbosity",
    ]

    func convertProviders(_ node: Node) -> [ConvertedProvider] {
        let entries = node.items ?? [node]
        var converted: [ConvertedProvider] = []
        var slugs = ImportText.UniqueNames()
        for entry in entries {
            var id: String?
            var label: String?
            var options: Node?
            if let text = entry.scalarText {
                id = text
            } else if let idNode = entry.member("id") {
                id = idNode.scalarText
                label = entry.member("label")?.scalarText
                options = entry
            } else if entry.members.count == 1, let only = entry.members.first {
                // `- openai:gpt-4o: {config: ...}`
                id = only.key
                label = only.value.member("label")?.scalarText
                options = only.value
            }
            guard let id, !id.isEmpty else {
                diagnostics.warning(source.location(entry), "provider skipped: expected an id string or {id, label, config}")
                continue
            }
            for key in ["transform", "delay", "env", "prompts"] {
                if let keyNode = options?.members.first(where: { $0.key == key })?.keyNode {
                    diagnostics.warning(source.location(keyNode), "provider '\(id)': '\(key)' not converted")
                }
            }
            let config = options?.member("config")
            let location = source.location(entry)
            guard let endpoint = convertProvider(id: id, config: config, at: location) else { continue }
            let slug = slugs.claim(ImportText.slug(label ?? Self.providerName(id), fallback: "provider"))
            converted.append(ConvertedProvider(id: id, label: label, slug: slug, endpoint: endpoint))
        }
        return converted
    }

    /// A short name for a provider without a label: the model, the script of an `exec:`, the host of a URL.
    static func providerName(_ id: String) -> String {
        if id.hasPrefix("exec:") {
            let argv = ImportText.shellWords(String(id.dropFirst(5))) ?? []
            let script = argv.first { $0.contains("/") || $0.contains(".") } ?? argv.first ?? "command"
            return ((script as NSString).lastPathComponent as NSString).deletingPathExtension
        }
        if id.hasPrefix("http://") || id.hasPrefix("https://") { return URL(string: id)?.host ?? id }
        return id.split(separator: ":").last.map(String.init) ?? id
    }

    func convertProvider(id: String, config: Node?, at location: SourceLocation) -> [(String, PipelineText)]? {
        let parts = id.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let prefix = parts[0]
        if id.hasPrefix("exec:") { return execEndpoint(String(id.dropFirst(5)), config: config, at: location) }
        if id == "http" || id == "https" || id.hasPrefix("http://") || id.hasPrefix("https://") {
            return httpEndpoint(id: id, config: config, at: location)
        }
        if prefix == "azure" || prefix == "azureopenai" {
            return azureEndpoint(parts: parts, id: id, config: config, at: location)
        }
        if let known = Self.compatibleProviders[prefix], parts.count >= 2 {
            let api = parts.count >= 3 ? parts[1] : "chat"
            let model: String
            if parts.count >= 3 && api == "chat" {
                model = parts[2...].joined(separator: ":")
            } else if parts.count >= 3
                && ["completion", "embedding", "embeddings", "responses", "assistant", "image", "realtime", "transcription", "moderation"].contains(
                    api)
            {
                diagnostics.warning(
                    location, "provider '\(id)' skipped: evalgate calls the Chat Completions API, not the \(api) API",
                    hint: "use \(prefix):chat:MODEL, or an http endpoint for another API")
                return nil
            } else {
                model = parts[1...].joined(separator: ":")
                if prefix == "ollama" {
                    diagnostics.note(
                        location, "provider '\(id)': promptfoo used Ollama's completion API; evalgate calls its OpenAI-compatible chat API")
                }
            }
            return openAIEndpoint(id: id, model: model, base: known.base, keyVariable: known.keyVariable, config: config, at: location)
        }
        let reason: String
        if id.hasPrefix("file://") || prefix == "python" || prefix == "js" || prefix == "golang" || prefix == "ruby" {
            reason = "custom provider code is not run by evalgate; wrap it as a command (exec:) or an http service"
        } else if prefix == "echo" || prefix == "sequence" || prefix == "simulated-user" || prefix == "promptfoo" {
            reason = "a promptfoo-internal provider, not an agent"
        } else {
            reason = "not OpenAI-compatible; evalgate reaches agents through openai-chat, http or command endpoints"
        }
        diagnostics.warning(location, "provider '\(id)' skipped: \(reason)")
        return nil
    }

    // MARK: OpenAI-compatible

    func openAIEndpoint(id: String, model: String, base: String, keyVariable: String?, config: Node?, at location: SourceLocation)
        -> [(String, PipelineText)]
    {
        var baseText: PipelineText = .literal(base)
        var headers: [(String, PipelineText)] = []
        var parameters: [(String, PipelineText)] = []
        var tools: PipelineText?
        var keyVariable = keyVariable
        var literalKeyNode: Node?
        for (key, keyNode, value) in config?.members ?? [] {
            switch key {
            case "apiBaseUrl":
                baseText = configString(value.scalarText ?? "")
            case "apiHost":
                baseText = configString("https://\(value.scalarText ?? "")/v1")
            case "apiKeyEnvar":
                if let name = value.scalarText, ImportText.isVariableName(name) { keyVariable = name }
            case "apiKey":
                if let text = value.scalarText, let name = Self.variableReference(text) {
                    keyVariable = name
                } else {
                    literalKeyNode = value
                }
            case "organization":
                headers.append(("OpenAI-Organization", configString(value.scalarText ?? "")))
            case "headers":
                headers += convertHeaders(value)
            case "tools":
                if value.items != nil {
                    tools = .json(source.json(value))
                } else if let path = value.scalarText, path.hasPrefix("file://") {
                    let loaded = loadValueFile(.string(path), at: source.location(value))
                    if case .array = loaded {
                        tools = .json(loaded)
                    } else {
                        diagnostics.warning(source.location(value), "tools '\(path)' not converted")
                    }
                } else {
                    diagnostics.warning(source.location(keyNode), "provider '\(id)': 'tools' not converted: expected a list of tool definitions")
                }
            case "passthrough":
                for (name, _, item) in value.members { parameters.append((name, .json(source.json(item)))) }
            case let name where Self.chatParameters.contains(name):
                parameters.append((name, .json(source.json(value))))
            default:
                diagnostics.warning(source.location(keyNode), "provider '\(id)': config '\(key)' not converted")
            }
        }
        if let literalKeyNode {
            let name = keyVariable ?? "OPENAI_API_KEY"
            keyVariable = name
            diagnostics.warning(
                source.location(literalKeyNode), "provider '\(id)': the literal apiKey was not copied; the pipeline reads it from ${\(name)}",
                hint: "set \(name) in the environment (or your CI's secrets); keys never belong in a pipeline file")
        }
        if let keyVariable {
            variables.insert(keyVariable)
            headers.insert(("Authorization", .interpolated("Bearer ${\(keyVariable)}")), at: 0)
        }
        let url: PipelineText
        switch baseText {
        case .literal(let text): url = .literal(Self.trimmingSlash(text) + "/chat/completions")
        case .interpolated(let text): url = .interpolated(Self.trimmingSlash(text) + "/chat/completions")
        default: url = baseText
        }
        var endpoint: [(String, PipelineText)] = [("type", .literal("openai-chat")), ("url", url), ("model", .literal(model))]
        if !headers.isEmpty { endpoint.append(("headers", .map(headers))) }
        if !parameters.isEmpty { endpoint.append(("parameters", .map(parameters))) }
        if let tools { endpoint.append(("tools", tools)) }
        return endpoint
    }

    func azureEndpoint(parts: [String], id: String, config: Node?, at location: SourceLocation) -> [(String, PipelineText)]? {
        guard parts.count >= 3, parts[1] == "chat" else {
            diagnostics.warning(location, "provider '\(id)' skipped: evalgate calls Azure OpenAI's chat deployments (azure:chat:DEPLOYMENT)")
            return nil
        }
        let deployment = parts[2...].joined(separator: ":")
        var host: PipelineText = .interpolated("${AZURE_OPENAI_API_HOST}")
        var apiVersion = "2024-10-21"
        var keyVariable = "AZURE_API_KEY"
        var parameters: [(String, PipelineText)] = []
        var headers: [(String, PipelineText)] = []
        for (key, keyNode, value) in config?.members ?? [] {
            switch key {
            case "apiHost": host = configString(value.scalarText ?? "")
            case "apiVersion": apiVersion = value.scalarText ?? apiVersion
            case "apiKeyEnvar": if let name = value.scalarText, ImportText.isVariableName(name) { keyVariable = name }
            case "apiKey":
                if let name = value.scalarText.flatMap(Self.variableReference) {
                    keyVariable = name
                } else {
                    diagnostics.warning(
                        source.location(value), "provider '\(id)': the literal apiKey was not copied; the pipeline reads it from ${\(keyVariable)}")
                }
            case "headers": headers += convertHeaders(value)
            case let name where Self.chatParameters.contains(name): parameters.append((name, .json(source.json(value))))
            default: diagnostics.warning(source.location(keyNode), "provider '\(id)': config '\(key)' not converted")
            }
        }
        let hostText: String
        switch host {
        case .literal(let text): hostText = text.replacingOccurrences(of: "${", with: "$${")
        case .interpolated(let text): hostText = text
        default: hostText = ""
        }
        if hostText.contains("AZURE_OPENAI_API_HOST") { variables.insert("AZURE_OPENAI_API_HOST") }
        variables.insert(keyVariable)
        let cleanHost = hostText.replacingOccurrences(of: "https://", with: "")
        var endpoint: [(String, PipelineText)] = [
            ("type", .literal("openai-chat")),
            ("url", .interpolated("https://\(Self.trimmingSlash(cleanHost))/openai/deployments/\(deployment)/chat/completions")),
            ("query", .map([("api-version", .literal(apiVersion))])), ("model", .literal(deployment)),
            ("headers", .map([("api-key", .interpolated("${\(keyVariable)}"))] + headers)),
        ]
        if !parameters.isEmpty { endpoint.append(("parameters", .map(parameters))) }
        return endpoint
    }

    // MARK: http

    func httpEndpoint(id: String, config: Node?, at location: SourceLocation) -> [(String, PipelineText)]? {
        var url: PipelineText?
        if id.hasPrefix("http://") || id.hasPrefix("https://") { url = configString(id) }
        var method = "POST"
        var headers: [(String, PipelineText)] = []
        var body: PipelineText?
        var answer = ""
        var query: [(String, PipelineText)] = []
        var transformed = false
        for (key, keyNode, value) in config?.members ?? [] {
            switch key {
            case "url": url = configString(value.scalarText ?? "", requestTemplate: true)
            case "method": method = (value.scalarText ?? "POST").uppercased()
            case "headers": headers += convertHeaders(value)
            case "body": body = requestBody(source.json(value))
            case "queryParams":
                for (name, _, item) in value.members { query.append((name, configString(item.scalarText ?? "", requestTemplate: true))) }
            case "transformResponse", "responseParser":
                transformed = true
                if let expression = value.scalarText, let pointer = Self.pointer(fromExpression: expression) {
                    answer = pointer
                } else {
                    diagnostics.warning(
                        source.location(value), "provider '\(id)': \(key) is code evalgate does not run; the answer is the whole response",
                        hint: "set agent.endpoint.answer to the JSON Pointer of the answer, e.g. /output")
                }
            case "request":
                diagnostics.warning(source.location(keyNode), "provider '\(id)': raw 'request' not converted; write url, method, headers and body")
                return nil
            default:
                diagnostics.warning(source.location(keyNode), "provider '\(id)': config '\(key)' not converted")
            }
        }
        guard let url else {
            diagnostics.warning(location, "provider '\(id)' skipped: it has no config.url")
            return nil
        }
        if !["GET", "POST", "PUT", "PATCH"].contains(method) {
            diagnostics.warning(location, "provider '\(id)' skipped: evalgate sends GET, POST, PUT or PATCH, not \(method)")
            return nil
        }
        if !transformed {
            diagnostics.note(location, "provider '\(id)': no transformResponse, so the answer is the whole JSON response (answer: \"\")")
        }
        var endpoint: [(String, PipelineText)] = [("type", .literal("http")), ("url", url), ("method", .literal(method))]
        if !query.isEmpty { endpoint.append(("query", .map(query))) }
        if !headers.isEmpty { endpoint.append(("headers", .map(headers))) }
        if let body { endpoint.append(("body", body)) }
        endpoint.append(("answer", .literal(answer)))
        return endpoint
    }

    /// `json.output`, `json.choices[0].message.content` → a JSON Pointer; nil for anything else.
    static func pointer(fromExpression expression: String) -> String? {
        var rest = Substring(expression.trimmingCharacters(in: .whitespaces))
        guard rest.hasPrefix("json") else { return nil }
        rest = rest.dropFirst(4)
        var tokens: [String] = []
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
                guard !name.isEmpty else { return nil }
                tokens.append(String(name))
                rest = rest.dropFirst(name.count)
            } else if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                var inner = String(rest[rest.index(after: rest.startIndex)..<close])
                if (inner.hasPrefix("'") && inner.hasSuffix("'")) || (inner.hasPrefix("\"") && inner.hasSuffix("\"")), inner.count >= 2 {
                    inner = String(inner.dropFirst().dropLast())
                } else if Int(inner) == nil {
                    return nil
                }
                tokens.append(inner)
                rest = rest[rest.index(after: close)...]
            } else {
                return nil
            }
        }
        return tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
    }

    /// An http body template: `{{prompt}}` becomes evalgate's `{{input}}`, `{{var}}` the case's
    /// `{{metadata.var}}` (the importer copies the var there), `{{env.X}}` `${X}`.
    func requestBody(_ value: JSONValue) -> PipelineText {
        switch value {
        case .string(let text): return configString(text, requestTemplate: true)
        case .array(let items): return .list(items.map(requestBody))
        case .object(let members): return .map(members.keys.sorted().map { ($0, requestBody(members[$0]!)) })
        default: return .json(value)
        }
    }

    // MARK: exec

    func execEndpoint(_ command: String, config: Node?, at location: SourceLocation) -> [(String, PipelineText)]? {
        guard let argv = ImportText.shellWords(command.trimmingCharacters(in: .whitespaces)), !argv.isEmpty else {
            diagnostics.warning(location, "provider 'exec:\(command)' skipped: cannot split the command into arguments")
            return nil
        }
        if argv.contains(where: { ["|", "&&", ";", ">", "<", "||"].contains($0) }) {
            diagnostics.warning(
                location, "provider 'exec:\(command)' skipped: it is a shell pipeline, and evalgate runs programs without a shell",
                hint: "put the pipeline in a script and import `exec: ./script.sh`")
            return nil
        }
        for (key, keyNode, _) in config?.members ?? [] {
            diagnostics.warning(source.location(keyNode), "provider 'exec:': config '\(key)' not converted")
        }
        diagnostics.warning(
            location, "provider 'exec:\(command)' converted to a command endpoint, which speaks another protocol",
            hint:
                "promptfoo passed the prompt as an argument and read plain text; evalgate writes the case as JSON to stdin (the prompt is \"input\") and reads {\"answer\": ...} from stdout: adapt the program"
        )
        return [("type", .literal("command")), ("argv", .list(argv.map { .literal($0) }))]
    }

    // MARK: Strings and secrets

    /// `${NAME}`, `$NAME` or `{{ env.NAME }}`: the variable an apiKey names, if it names one.
    static func variableReference(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for pattern in [#"^\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$"#, #"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$"#, #"^\$([A-Za-z_][A-Za-z0-9_]*)$"#] {
            if let regex = try? NSRegularExpression(pattern: pattern),
                let match = regex.firstMatch(in: trimmed, range: NSRange(trimmed.startIndex..., in: trimmed)),
                let range = Range(match.range(at: 1), in: trimmed)
            {
                return String(trimmed[range])
            }
        }
        return nil
    }

    /// A promptfoo string for the pipeline: `{{ env.X }}` becomes `${X}` (recorded as a variable the
    /// pipeline reads); with `requestTemplate`, `{{prompt}}` becomes `{{input}}` and `{{var}}`
    /// `{{metadata.var}}`. Everything else is literal, `${` escaped.
    func configString(_ text: String, requestTemplate: Bool = false) -> PipelineText {
        var output = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) {
            output += rest[rest.startIndex..<open.lowerBound].replacingOccurrences(of: "${", with: "$${")
            let expression = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if expression.hasPrefix("env."), ImportText.isVariableName(String(expression.dropFirst(4))) {
                let name = String(expression.dropFirst(4))
                variables.insert(name)
                output += "${\(name)}"
            } else if requestTemplate && expression == "prompt" {
                output += "{{input}}"
            } else if requestTemplate && ImportText.isVariableName(expression) {
                providerVars.insert(expression)
                output += "{{metadata.\(expression)}}"
            } else {
                output += rest[open.lowerBound..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        output += rest.replacingOccurrences(of: "${", with: "$${")
        // The literal parts are escaped above, so the whole is written as it stands.
        return .interpolated(output)
    }

    /// Headers, with a literal credential (`Authorization: Bearer sk-...`) replaced by a variable.
    func convertHeaders(_ node: Node) -> [(String, PipelineText)] {
        var headers: [(String, PipelineText)] = []
        for (name, _, value) in node.members {
            let text = value.scalarText ?? ""
            if PipelineLoader.isCredentialHeader(name), !text.contains("{{") {
                let variable =
                    name.lowercased() == "authorization"
                    ? "AGENT_API_TOKEN" : ImportText.slug(name, fallback: "agent-credential").uppercased().replacingOccurrences(of: "-", with: "_")
                var replacement = "${\(variable)}"
                for scheme in ["Bearer ", "Basic ", "Token "] where text.hasPrefix(scheme) { replacement = scheme + replacement }
                variables.insert(variable)
                headers.append((name, .interpolated(replacement)))
                diagnostics.warning(
                    source.location(value), "header '\(name)': the literal credential was not copied; the pipeline reads it from ${\(variable)}",
                    hint: "set \(variable) in the environment before `evalgate run`")
            } else {
                headers.append((name, configString(text)))
            }
        }
        return headers
    }

    static func trimmingSlash(_ text: String) -> String {
        var text = text
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
