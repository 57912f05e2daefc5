import Foundation
import Yams

/// Finds and reads pipeline files: parses YAML with marks, interpolates `${VAR}`, resolves paths
/// against the pipeline's folder, loads the tier policy and applies the governance rule.
public struct PipelineLoader: Sendable {
    /// The variables `${VAR}` in a pipeline reads (the process environment by default).
    public var variables: [String: String]
    /// Today, for gate exceptions' `expires` dates (an exception applies through its expiry day, UTC).
    public var now: Date

    public init(variables: [String: String] = ProcessInfo.processInfo.environment, now: Date = Date()) {
        self.variables = variables
        self.now = now
    }

    static let topKeys = [
        "version", "name", "description", "agent", "datasets", "assert", "repeat", "judge", "gates", "baseline", "rollback", "tiers",
        "world", "simulator", "trials",
    ]
    static let agentKeys = ["name", "version", "owner", "risk_tier", "endpoint"]
    static let endpointKeys = [
        "type", "url", "model", "system_prompt", "system_prompt_file", "tools", "tools_file", "parameters", "query", "max_steps",
        "allow_unfinished", "method", "body", "answer", "usage", "argv", "env", "working_directory", "headers", "timeout", "retries",
        "max_concurrency", "rate_limit", "max_response_bytes", "pricing", "insecure_skip_tls_verify", "card",
    ]

    /// Every pipeline file (`*.yaml`, `*.yml`) of a folder, except the tier policy.
    public static func pipelineFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            let lower = name.lowercased()
            return (lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")) && !lower.hasPrefix("tiers.") && !lower.hasPrefix(".")
        }.sorted().map { (directory as NSString).appendingPathComponent($0) }
    }

    /// Loads a pipeline; throws `InvalidInputError` with every problem found.
    public func load(path: String) throws(InvalidInputError) -> LoadedPipeline {
        let absolute = Self.absolute(path)
        let node = try YAMLDocument.load(path: absolute, displayPath: path, limits: .pipeline)
        let reader = YAMLReader(file: path, interpolation: Interpolation(variables: variables))
        guard let node else {
            throw InvalidInputError(SourceLocation(file: path, line: 1, column: 1), "the pipeline file is empty", hint: "see docs/pipeline-format.md")
        }
        let parsed = parse(node, reader, absolutePath: absolute, displayPath: path)
        guard var definition = parsed, !reader.diagnostics.hasErrors else { throw InvalidInputError(reader.diagnostics.diagnostics) }

        let (policy, policyDisplay) = try loadPolicy(for: definition, displayPath: path)
        var diagnostics = reader.diagnostics
        let gatesLocation = definition.gates.location
        guard let tier = policy.tier(definition.tier) else {
            let levels = policy.tiers.keys.sorted().map(String.init).joined(separator: ", ")
            throw InvalidInputError(
                gatesLocation, "risk tier \(definition.tier) is not defined in \(policyDisplay)", hint: "defined tiers: \(levels)")
        }
        let loosenings = tier.thresholds.loosenings(by: definition.gates.overrides)
        var thresholds = tier.thresholds.applying(definition.gates.overrides)
        if let exception = definition.gates.exception, let expires = exception.expiryDate, Self.day(of: now) > expires {
            // An expired exception no longer loosens anything: the run is decided on the stricter
            // of tier and pipeline for every threshold, and says so.
            let day = exception.expires ?? ""
            if loosenings.isEmpty {
                diagnostics.warning(gatesLocation, "the gate exception approved by \(exception.approvedBy) expired on \(day)")
            } else {
                diagnostics.warning(
                    gatesLocation,
                    "the gate exception approved by \(exception.approvedBy) (\(exception.reason)) expired on \(day): the run is decided without it, on the tier's thresholds for \(loosenings.map { "'\($0.key)'" }.joined(separator: ", "))",
                    hint: "renew the exception with a new `expires` date, or remove the loosened thresholds")
            }
            thresholds = tier.thresholds.strictest(with: definition.gates.overrides)
            definition.gates.exception = nil
        } else if !loosenings.isEmpty {
            if let exception = definition.gates.exception {
                for loosening in loosenings {
                    diagnostics.warning(gatesLocation, "\(loosening) (exception approved by \(exception.approvedBy): \(exception.reason))")
                }
            } else {
                for loosening in loosenings {
                    diagnostics.error(
                        gatesLocation, "\(loosening) of tier \(tier.level) (\(tier.name))",
                        hint: "a pipeline may only tighten its tier; to loosen, add `exception: {approved_by: NAME, reason: WHY}` under `gates`")
                }
            }
        }
        if diagnostics.hasErrors { throw InvalidInputError(diagnostics.diagnostics) }
        var secrets = reader.secrets
        secrets.formUnion(Self.headerSecrets(definition.agent.endpoint.headers))
        for judge in (definition.judge?.panel ?? []) + [definition.judge?.embeddings].compactMap({ $0 }) {
            secrets.formUnion(Self.headerSecrets(judge.headers))
        }
        if let simulator = definition.simulator { secrets.formUnion(Self.headerSecrets(simulator.headers)) }
        return LoadedPipeline(
            definition: definition, policy: policy, tier: tier, thresholds: thresholds,
            secrets: secrets.sorted(), diagnostics: diagnostics.diagnostics, displayPath: path)
    }

    /// The UTC calendar day of `date`, as `YYYY-MM-DD` compares.
    static func day(of date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    /// Header names that carry credentials; their values are secrets whatever their source.
    static func isCredentialHeader(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["auth", "key", "token", "secret", "password", "cookie", "session", "signature", "credential"].contains { lower.contains($0) }
    }

    static func headerSecrets(_ headers: [String: String]) -> [String] {
        headers.filter { isCredentialHeader($0.key) }.values.compactMap(headerSecret)
    }

    /// The secret part of a header value: the credential after `Bearer `/`Basic `, or the whole value.
    static func headerSecret(_ value: String) -> String? {
        for scheme in ["Bearer ", "Basic ", "Token "] where value.hasPrefix(scheme) {
            return String(value.dropFirst(scheme.count))
        }
        return value
    }

    func loadPolicy(for definition: PipelineDefinition, displayPath: String) throws(InvalidInputError) -> (TierPolicy, String) {
        let folder = (definition.file as NSString).deletingLastPathComponent
        let displayFolder = (displayPath as NSString).deletingLastPathComponent
        if let tiers = definition.tiersFile {
            let resolved = Self.resolve(tiers, against: folder)
            let display = (tiers as NSString).isAbsolutePath ? tiers : (displayFolder as NSString).appendingPathComponent(tiers)
            return (try TierPolicyLoader.load(path: resolved, displayPath: display), display)
        }
        let beside = (folder as NSString).appendingPathComponent("tiers.yaml")
        if FileManager.default.fileExists(atPath: beside) {
            let display = (displayFolder as NSString).appendingPathComponent("tiers.yaml")
            return (try TierPolicyLoader.load(path: beside, displayPath: display), display)
        }
        return (TierPolicyLoader.builtIn(), "the built-in tier policy")
    }

    // MARK: Parsing

    func parse(_ node: Node, _ reader: YAMLReader, absolutePath: String, displayPath: String) -> PipelineDefinition? {
        guard let top = reader.mapping(node, "the pipeline", allowed: Self.topKeys, required: ["version", "agent", "datasets"]) else { return nil }
        if let version = reader.int(top["version"], "'version'"), version != PipelineDefinition.supportedVersion {
            reader.error(
                top["version"], "unsupported pipeline version \(version)",
                hint: "this evalgate reads version \(PipelineDefinition.supportedVersion); upgrade evalgate to read newer files")
        }
        let folder = (absolutePath as NSString).deletingLastPathComponent
        let defaultName = ((absolutePath as NSString).lastPathComponent as NSString).deletingPathExtension
        let agent = top["agent"].flatMap { parseAgent($0, reader, folder: folder) }
        var definition = PipelineDefinition(
            name: reader.string(top["name"], "'name'") ?? defaultName,
            agent: agent ?? AgentDefinition(name: "", version: "", riskTier: 0, endpoint: EndpointDefinition(kind: .command)),
            file: absolutePath)
        definition.location = SourceLocation(file: displayPath)
        definition.description = reader.string(top["description"], "'description'")
        if let datasets = top["datasets"] { definition.datasets = parseDatasets(datasets, reader, folder: folder) }
        if let scorers = top["assert"] { definition.scorers = parseScorers(scorers, reader) }
        if let repeatNode = top["repeat"] { definition.repeatPolicy = parseRepeat(repeatNode, reader) ?? RepeatPolicy() }
        if let judge = top["judge"] { definition.judge = parseJudge(judge, reader) }
        if let gates = top["gates"] { definition.gates = parseGates(gates, reader) } else { definition.gates.location = reader.location(node) }
        if let baseline = top["baseline"] { definition.baseline = parseBaseline(baseline, reader, folder: folder) }
        if let rollback = top["rollback"], let entries = reader.mapping(rollback, "'rollback'", allowed: ["environment", "target"]) {
            definition.rollback.environment = reader.string(entries["environment"], "'rollback.environment'") ?? "production"
            definition.rollback.target = reader.string(entries["target"], "'rollback.target'") ?? "last-known-good"
        }
        definition.tiersFile = reader.string(top["tiers"], "'tiers'")
        if let simulator = top["simulator"] { definition.simulator = parseSimulator(simulator, reader) }
        if let trials = top["trials"] { definition.trials = reader.int(trials, "'trials'", range: 1...100) }
        if let world = top["world"] {
            definition.world = World.parse(
                reader.json(world), place: "the pipeline", location: reader.location(world), diagnostics: &reader.diagnostics)
        }
        return agent == nil ? nil : definition
    }

    func parseAgent(_ node: Node, _ reader: YAMLReader, folder: String) -> AgentDefinition? {
        guard let entries = reader.mapping(node, "'agent'", allowed: Self.agentKeys, required: ["name", "version", "risk_tier", "endpoint"]) else {
            return nil
        }
        let name = reader.string(entries["name"], "'agent.name'")
        let version = reader.string(entries["version"], "'agent.version'")
        let tier = reader.int(entries["risk_tier"], "'agent.risk_tier'", range: 1...9)
        let endpoint = entries["endpoint"].flatMap { parseEndpoint($0, reader, folder: folder) }
        guard let name, let version, let tier, let endpoint else { return nil }
        return AgentDefinition(
            name: name, version: version, owner: reader.string(entries["owner"], "'agent.owner'"), riskTier: tier, endpoint: endpoint)
    }

    func parseEndpoint(_ node: Node, _ reader: YAMLReader, folder: String) -> EndpointDefinition? {
        guard let entries = reader.mapping(node, "'agent.endpoint'", allowed: Self.endpointKeys, required: ["type"]) else { return nil }
        guard let typeText = reader.string(entries["type"], "'endpoint.type'") else { return nil }
        guard let kind = EndpointDefinition.Kind(rawValue: typeText) else {
            let kinds = EndpointDefinition.Kind.allCases.map(\.rawValue)
            let suggestion = Suggestions.closest(to: typeText, in: kinds).map { " (did you mean '\($0)'?)" } ?? ""
            reader.error(entries["type"], "unknown endpoint type '\(typeText)'\(suggestion)", hint: "one of: \(kinds.joined(separator: ", "))")
            return nil
        }
        var endpoint = EndpointDefinition(kind: kind)
        let typeSpecific: [EndpointDefinition.Kind: Set<String>] = [
            .openAIChat: [
                "model", "system_prompt", "system_prompt_file", "tools", "tools_file", "parameters", "query", "max_steps", "allow_unfinished",
            ],
            .openAIResponses: [
                "model", "system_prompt", "system_prompt_file", "tools", "tools_file", "parameters", "query", "max_steps", "allow_unfinished",
            ],
            .http: ["method", "body", "answer", "usage", "query"],
            .command: ["argv", "env", "working_directory", "answer", "usage"],
            .a2a: ["card", "query"],
        ]
        let otherKeys = typeSpecific.filter { $0.key != kind }.values.reduce(Set<String>()) { $0.union($1) }.subtracting(typeSpecific[kind]!)
        for key in otherKeys.sorted() where entries[key] != nil {
            reader.error(entries.keyNodes[key], "'\(key)' does not apply to endpoint type '\(kind.rawValue)'")
        }
        endpoint.url = reader.string(entries["url"], "'endpoint.url'")
        if kind != .command {
            if let url = endpoint.url {
                if let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme), parsed.host != nil {
                } else {
                    reader.error(entries["url"], "'endpoint.url' is not an http(s) URL: '\(Redactor.redactURLCredentials(url))'")
                }
            } else if entries["url"] == nil {
                reader.error(node, "endpoint type '\(kind.rawValue)' needs a 'url'")
            }
        } else if entries["url"] != nil {
            reader.error(entries.keyNodes["url"], "'url' does not apply to endpoint type 'command'")
        }
        if let cardNode = entries["card"], let card = reader.string(cardNode, "'endpoint.card'") {
            if let parsed = URL(string: card), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme), parsed.host != nil {
                endpoint.card = card
            } else {
                reader.error(
                    cardNode, "'endpoint.card' is not an http(s) URL: '\(Redactor.redactURLCredentials(card))'",
                    hint: "the agent card's address, e.g. https://agent.example.com/.well-known/agent-card.json")
            }
        }
        endpoint.model = reader.string(entries["model"], "'endpoint.model'")
        if kind.callsTools && entries["model"] == nil { reader.error(node, "endpoint type '\(kind.rawValue)' needs a 'model'") }
        if entries["system_prompt"] != nil && entries["system_prompt_file"] != nil {
            reader.error(entries.keyNodes["system_prompt_file"], "give 'system_prompt' or 'system_prompt_file', not both")
        }
        endpoint.systemPrompt = reader.string(entries["system_prompt"], "'system_prompt'")
        if let fileNode = entries["system_prompt_file"], let file = reader.string(fileNode, "'system_prompt_file'") {
            let resolved = Self.resolve(file, against: folder)
            do {
                let data = try TextFile.read(path: resolved, displayPath: file, maxBytes: 1 << 20)
                endpoint.systemPrompt = try TextFile.decodeUTF8(data, displayPath: file)
            } catch {
                reader.error(fileNode, "cannot read system prompt '\(file)' (resolved to \(resolved)): \(error.diagnostics.first?.message ?? "")")
            }
        }
        if let tools = entries["tools"] {
            if case .sequence(let list) = tools {
                endpoint.tools = list.map { reader.json($0) }
            } else {
                reader.error(tools, "'tools' must be a list of tool definitions")
            }
        }
        if let fileNode = entries["tools_file"], let file = reader.string(fileNode, "'tools_file'") {
            let resolved = Self.resolve(file, against: folder)
            do {
                let data = try TextFile.read(path: resolved, displayPath: file, maxBytes: 4 << 20)
                guard case .array(let tools) = try JSONValue(parsing: data) else {
                    throw JSONValue.ParseError(message: "expected a JSON array of tools")
                }
                endpoint.tools += tools
            } catch {
                reader.error(fileNode, "cannot read tools from '\(file)' (resolved to \(resolved)): \(error)")
            }
        }
        for (index, tool) in endpoint.tools.enumerated() where tool["function"]?["name"]?.stringValue == nil {
            reader.error(
                entries["tools"] ?? entries["tools_file"], "tool \(index + 1) has no 'function.name'",
                hint: "OpenAI tool definitions look like {type: function, function: {name: lookup_order, parameters: {...}}}")
        }
        endpoint.parameters = reader.jsonObject(entries["parameters"], "'parameters'") ?? [:]
        endpoint.query = reader.stringMap(entries["query"], "'query'") ?? [:]
        endpoint.maxSteps = reader.int(entries["max_steps"], "'max_steps'", range: 1...100) ?? endpoint.maxSteps
        endpoint.allowUnfinished = reader.bool(entries["allow_unfinished"], "'allow_unfinished'") ?? endpoint.allowUnfinished
        if let method = reader.string(entries["method"], "'method'") {
            let upper = method.uppercased()
            if ["GET", "POST", "PUT", "PATCH"].contains(upper) {
                endpoint.method = upper
            } else {
                reader.error(entries["method"], "unsupported HTTP method '\(method)'", hint: "one of GET, POST, PUT, PATCH")
            }
        }
        if let body = entries["body"] { endpoint.body = reader.json(body) }
        if let answer = reader.string(entries["answer"], "'answer'") {
            if JSONValue.pointerTokens(answer) == nil {
                reader.error(entries["answer"], "'answer' must be a JSON Pointer like /result/text, found '\(answer)'")
            } else {
                endpoint.answerPointer = answer
            }
        }
        if kind == .http && entries["answer"] == nil {
            reader.error(node, "endpoint type 'http' needs 'answer': the JSON Pointer of the answer in the response, e.g. /answer")
        }
        if let usage = entries["usage"], let fields = reader.mapping(usage, "'usage'", allowed: ["input_tokens", "output_tokens"]) {
            var pointers = UsagePointers()
            for (key, path) in [("input_tokens", \UsagePointers.inputTokens), ("output_tokens", \UsagePointers.outputTokens)] {
                guard let value = reader.string(fields[key], "'usage.\(key)'") else { continue }
                if JSONValue.pointerTokens(value) == nil {
                    reader.error(fields[key], "'usage.\(key)' must be a JSON Pointer")
                } else {
                    pointers[keyPath: path] = value
                }
            }
            endpoint.usagePointers = pointers
        }
        if let argvNode = entries["argv"] {
            if case .scalar = argvNode {
                reader.error(
                    argvNode, "'argv' must be a list of arguments, not a shell string",
                    hint: "write argv: [python3, agent.py, --flag] — evalgate never runs a shell")
            } else {
                endpoint.argv = reader.stringList(argvNode, "'argv'") ?? []
                if endpoint.argv.isEmpty { reader.error(argvNode, "'argv' must name a program") }
            }
        } else if kind == .command {
            reader.error(node, "endpoint type 'command' needs 'argv': the program and its arguments")
        }
        endpoint.env = reader.stringMap(entries["env"], "'env'") ?? [:]
        if let directory = reader.string(entries["working_directory"], "'working_directory'") {
            endpoint.workingDirectory = Self.resolve(directory, against: folder)
        } else if kind == .command {
            endpoint.workingDirectory = folder
        }
        endpoint.headers = reader.stringMap(entries["headers"], "'headers'") ?? [:]
        for (name, value) in endpoint.headers where value.contains("\n") || value.contains("\r") || name.contains(":") {
            reader.error(entries["headers"], "header '\(name)' contains a line break or colon")
        }
        if let timeout = reader.duration(entries["timeout"], "'timeout'") {
            if timeout <= 0 { reader.error(entries["timeout"], "'timeout' must be above zero") } else { endpoint.timeout = timeout }
        }
        endpoint.retries = reader.int(entries["retries"], "'retries'", range: 0...20) ?? endpoint.retries
        endpoint.maxConcurrency = reader.int(entries["max_concurrency"], "'max_concurrency'", range: 1...4096) ?? endpoint.maxConcurrency
        if let rate = reader.double(entries["rate_limit"], "'rate_limit'", range: 0...1_000_000) {
            if rate <= 0 {
                reader.error(entries["rate_limit"], "'rate_limit' must be above zero requests per second")
            } else {
                endpoint.rateLimit = rate
            }
        }
        endpoint.maxResponseBytes =
            reader.int(entries["max_response_bytes"], "'max_response_bytes'", range: 1024...(1 << 30)) ?? endpoint.maxResponseBytes
        if let pricing = entries["pricing"],
            let fields = reader.mapping(
                pricing, "'pricing'", allowed: ["input_per_1k", "output_per_1k", "currency"], required: ["input_per_1k", "output_per_1k"])
        {
            let input = reader.money(fields["input_per_1k"], "'pricing.input_per_1k'", range: 0...1_000_000)
            let output = reader.money(fields["output_per_1k"], "'pricing.output_per_1k'", range: 0...1_000_000)
            if let input, let output {
                endpoint.pricing = Pricing(
                    inputPer1K: input, outputPer1K: output, currency: reader.string(fields["currency"], "'pricing.currency'") ?? "USD")
            }
        }
        endpoint.insecureSkipTLSVerify = reader.bool(entries["insecure_skip_tls_verify"], "'insecure_skip_tls_verify'") ?? false
        return endpoint
    }

    func parseDatasets(_ node: Node, _ reader: YAMLReader, folder: String) -> [DatasetReference] {
        guard case .sequence(let list) = node else {
            reader.error(node, "'datasets' must be a list of dataset files")
            return []
        }
        if list.isEmpty { reader.error(node, "'datasets' is empty: a pipeline needs at least one golden dataset") }
        var references: [DatasetReference] = []
        for entry in list {
            var path: String?
            var reference = DatasetReference(path: "", resolvedPath: "", location: reader.location(entry))
            if case .scalar = entry {
                path = reader.string(entry, "a dataset path")
            } else if let fields = reader.mapping(entry, "a dataset entry", allowed: ["path", "tags", "critical", "world"], required: ["path"]) {
                path = reader.string(fields["path"], "'path'")
                reference.tags = reader.stringList(fields["tags"], "'tags'") ?? []
                reference.critical = reader.bool(fields["critical"], "'critical'") ?? false
                if let world = fields["world"] {
                    reference.world = World.parse(
                        reader.json(world), place: "dataset '\(path ?? "")'", location: reader.location(world), diagnostics: &reader.diagnostics)
                }
            }
            guard let path else { continue }
            reference.path = path
            reference.resolvedPath = Self.resolve(path, against: folder)
            if reference.format == nil {
                reader.error(entry, "dataset '\(path)' has an unknown format", hint: "use .jsonl, .yaml/.yml or .csv")
            }
            references.append(reference)
        }
        return references
    }

    func parseScorers(_ node: Node, _ reader: YAMLReader) -> [ScorerSpec] {
        guard case .sequence(let list) = node else {
            reader.error(node, "'assert' must be a list of scorers")
            return []
        }
        return list.compactMap { entry in
            switch ScorerSpec.parse(reader.json(entry), location: reader.location(entry)) {
            case .success(let spec): return spec
            case .failure(let failure):
                reader.error(entry, failure.message, hint: failure.hint)
                return nil
            }
        }
    }

    func parseRepeat(_ node: Node, _ reader: YAMLReader) -> RepeatPolicy? {
        if case .scalar = node { return reader.int(node, "'repeat'", range: 1...100).map { RepeatPolicy(count: $0) } }
        guard let fields = reader.mapping(node, "'repeat'", allowed: ["count", "aggregate"], required: ["count"]) else { return nil }
        var policy = RepeatPolicy(count: reader.int(fields["count"], "'repeat.count'", range: 1...100) ?? 1)
        if let text = reader.string(fields["aggregate"], "'repeat.aggregate'") {
            if let aggregation = RepeatPolicy.Aggregation(rawValue: text) {
                policy.aggregation = aggregation
            } else {
                reader.error(
                    fields["aggregate"], "unknown aggregation '\(text)'",
                    hint: "one of: \(RepeatPolicy.Aggregation.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        return policy
    }

    func parseJudgeModel(_ node: Node, _ reader: YAMLReader, _ what: String) -> JudgeDefinition.Model? {
        guard let fields = reader.mapping(node, what, allowed: ["url", "model", "headers"], required: ["url", "model"]) else { return nil }
        guard let url = reader.string(fields["url"], "'url'"), let model = reader.string(fields["model"], "'model'") else { return nil }
        return JudgeDefinition.Model(url: url, model: model, headers: reader.stringMap(fields["headers"], "'headers'") ?? [:])
    }

    func parseSimulator(_ node: Node, _ reader: YAMLReader) -> SimulatorDefinition? {
        let allowed = ["url", "model", "headers", "timeout", "retries", "cache"]
        guard let fields = reader.mapping(node, "'simulator'", allowed: allowed, required: ["url", "model"]) else { return nil }
        guard let url = reader.string(fields["url"], "'simulator.url'"), let model = reader.string(fields["model"], "'simulator.model'") else {
            return nil
        }
        if let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme), parsed.host != nil {
        } else {
            reader.error(fields["url"], "'simulator.url' is not an http(s) URL: '\(Redactor.redactURLCredentials(url))'")
            return nil
        }
        var simulator = SimulatorDefinition(url: url, model: model, headers: reader.stringMap(fields["headers"], "'simulator.headers'") ?? [:])
        simulator.timeout = reader.duration(fields["timeout"], "'simulator.timeout'") ?? simulator.timeout
        simulator.retries = reader.int(fields["retries"], "'simulator.retries'", range: 0...20) ?? simulator.retries
        simulator.cache = reader.bool(fields["cache"], "'simulator.cache'") ?? simulator.cache
        simulator.location = reader.location(node)
        return simulator
    }

    func parseJudge(_ node: Node, _ reader: YAMLReader) -> JudgeDefinition? {
        let allowed = ["url", "model", "headers", "panel", "combine", "embeddings", "timeout", "retries", "review_band", "cache"]
        guard let fields = reader.mapping(node, "'judge'", allowed: allowed) else { return nil }
        var panel: [JudgeDefinition.Model] = []
        if fields["url"] != nil || fields["model"] != nil {
            if let url = reader.string(fields["url"], "'judge.url'"), let model = reader.string(fields["model"], "'judge.model'") {
                panel.append(JudgeDefinition.Model(url: url, model: model, headers: reader.stringMap(fields["headers"], "'judge.headers'") ?? [:]))
            } else if fields["url"] == nil || fields["model"] == nil {
                reader.error(node, "'judge' needs both 'url' and 'model' (or a 'panel' of judges)")
            }
        }
        if let panelNode = fields["panel"] {
            if case .sequence(let list) = panelNode {
                panel += list.compactMap { parseJudgeModel($0, reader, "a judge of the panel") }
            } else {
                reader.error(panelNode, "'judge.panel' must be a list of judges ({url, model, headers})")
            }
        }
        var judge = JudgeDefinition(panel: panel)
        if let combine = reader.string(fields["combine"], "'judge.combine'") {
            if let value = JudgeDefinition.Combine(rawValue: combine) {
                judge.combine = value
            } else {
                reader.error(fields["combine"], "unknown judge combination '\(combine)'", hint: "majority or mean")
            }
        }
        if let embeddings = fields["embeddings"] { judge.embeddings = parseJudgeModel(embeddings, reader, "'judge.embeddings'") }
        judge.timeout = reader.duration(fields["timeout"], "'judge.timeout'") ?? judge.timeout
        judge.retries = reader.int(fields["retries"], "'judge.retries'", range: 0...20) ?? judge.retries
        judge.reviewBand = reader.fraction(fields["review_band"], "'judge.review_band'") ?? judge.reviewBand
        judge.cache = reader.bool(fields["cache"], "'judge.cache'") ?? judge.cache
        if panel.isEmpty && judge.embeddings == nil { reader.error(node, "'judge' names no judge model and no embeddings endpoint") }
        return judge
    }

    func parseGates(_ node: Node, _ reader: YAMLReader) -> GateSettings {
        var settings = GateSettings(location: reader.location(node))
        guard let fields = reader.mapping(node, "'gates'", allowed: ["tier", "exception", "sequential"] + TierThresholds.yamlKeys) else {
            return settings
        }
        settings.tier = reader.int(fields["tier"], "'gates.tier'", range: 1...9)
        settings.sequential = reader.bool(fields["sequential"], "'gates.sequential'")
        settings.overrides = TierThresholds.read(fields, reader, context: "'gates'")
        if let exceptionNode = fields["exception"],
            let exception = reader.mapping(
                exceptionNode, "'gates.exception'", allowed: ["approved_by", "reason", "expires"], required: ["approved_by", "reason"])
        {
            if let approvedBy = reader.string(exception["approved_by"], "'approved_by'"), let reason = reader.string(exception["reason"], "'reason'")
            {
                let expires = reader.string(exception["expires"], "'expires'")
                if let expires, let node = exception["expires"], GateException.date(expires) == nil {
                    reader.error(
                        node, "'expires' must be a date like 2027-03-31, found '\(expires)'", hint: "the exception applies through that day (UTC)")
                }
                settings.exception = GateException(approvedBy: approvedBy, reason: reason, expires: expires)
            }
        }
        return settings
    }

    func parseBaseline(_ node: Node, _ reader: YAMLReader, folder: String) -> BaselineSettings {
        var settings = BaselineSettings()
        guard let fields = reader.mapping(node, "'baseline'", allowed: ["from", "file", "version"]) else { return settings }
        if let from = reader.string(fields["from"], "'baseline.from'") {
            if let source = BaselineSettings.Source(rawValue: from) {
                settings.source = source
            } else {
                reader.error(fields["from"], "unknown baseline source '\(from)'", hint: "history, file or none")
            }
        }
        if let file = reader.string(fields["file"], "'baseline.file'") {
            settings.file = Self.resolve(file, against: folder)
            if fields["from"] == nil { settings.source = .file }
        }
        if settings.source == .file && settings.file == nil { reader.error(node, "'baseline.from: file' needs a 'file'") }
        settings.version = reader.string(fields["version"], "'baseline.version'")
        return settings
    }

    // MARK: Paths

    static func absolute(_ path: String) -> String {
        if (path as NSString).isAbsolutePath { return (path as NSString).standardizingPath }
        return ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }

    static func resolve(_ path: String, against folder: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if (expanded as NSString).isAbsolutePath { return (expanded as NSString).standardizingPath }
        return ((folder as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
    }
}
