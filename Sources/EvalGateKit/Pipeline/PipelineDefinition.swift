import Foundation

/// A pipeline file (`pipelines/*.yaml`): one agent, its golden datasets, how answers are scored,
/// and the risk tier whose gates decide whether it ships. Model types do no I/O; see `PipelineLoader`.
public struct PipelineDefinition: Sendable, Equatable, Codable {
    public static let supportedVersion = 1

    public var version: Int
    public var name: String
    public var description: String?
    public var agent: AgentDefinition
    public var datasets: [DatasetReference]
    /// Default scorers applied to every case before the case's own.
    public var scorers: [ScorerSpec]
    /// How many times each case runs, and how repeats combine into one outcome.
    public var repeatPolicy: RepeatPolicy
    public var judge: JudgeDefinition?
    public var gates: GateSettings
    public var baseline: BaselineSettings
    public var rollback: RollbackSettings
    /// The tier policy file this pipeline is judged by.
    public var tiersFile: String?
    /// The world every case's stateful tools act on, unless a dataset or case lays its own over it.
    public var world: World?
    /// The model that plays simulated customers of scenarios.
    public var simulator: SimulatorDefinition?
    /// Independent conversations per scenario case (`trials`), unless a case or scenario says otherwise.
    public var trials: Int?
    /// The pipeline file, absolute.
    public var file: String
    public var location: SourceLocation

    public init(
        version: Int = 1, name: String, description: String? = nil, agent: AgentDefinition,
        datasets: [DatasetReference] = [], scorers: [ScorerSpec] = [], repeatPolicy: RepeatPolicy = RepeatPolicy(),
        judge: JudgeDefinition? = nil, gates: GateSettings = GateSettings(), baseline: BaselineSettings = BaselineSettings(),
        rollback: RollbackSettings = RollbackSettings(), tiersFile: String? = nil, file: String = "<memory>"
    ) {
        self.version = version
        self.name = name
        self.description = description
        self.agent = agent
        self.datasets = datasets
        self.scorers = scorers
        self.repeatPolicy = repeatPolicy
        self.judge = judge
        self.gates = gates
        self.baseline = baseline
        self.rollback = rollback
        self.tiersFile = tiersFile
        self.file = file
        self.location = SourceLocation(file: file)
    }

    /// The tier whose thresholds apply: `gates.tier`, else the agent's risk tier.
    public var tier: Int { gates.tier ?? agent.riskTier }
}

public struct AgentDefinition: Sendable, Equatable, Codable {
    public var name: String
    /// The candidate under test.
    public var version: String
    public var owner: String?
    public var riskTier: Int
    public var endpoint: EndpointDefinition

    public init(name: String, version: String, owner: String? = nil, riskTier: Int, endpoint: EndpointDefinition) {
        self.name = name
        self.version = version
        self.owner = owner
        self.riskTier = riskTier
        self.endpoint = endpoint
    }
}

/// How to reach the agent, and how hard to push it.
public struct EndpointDefinition: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case openAIChat = "openai-chat"
        case openAIResponses = "openai-responses"
        case http
        case command
        /// Agent2Agent JSON-RPC (`message/send`); the agent keeps the conversation (`contextId`).
        case a2a

        /// Speaks a model API with tool calls (Chat Completions or Responses): reports the agent's
        /// tool calls, offers `tools`, runs the tool loop.
        public var callsTools: Bool { self == .openAIChat || self == .openAIResponses }
    }

    public var kind: Kind
    public var url: String?
    // openai-chat
    public var model: String?
    public var systemPrompt: String?
    public var tools: [JSONValue]
    /// Extra keys merged into the request body (`temperature`, `seed`, ...).
    public var parameters: [String: JSONValue]
    /// Extra URL query items (Azure's `api-version`).
    public var query: [String: String]
    public var maxSteps: Int
    /// Accepts a trajectory cut off at `maxSteps` when the scorers pass; by default such a case fails,
    /// since an agent that never stops calling tools has not answered. A case's `allow_unfinished` wins.
    public var allowUnfinished: Bool
    // http
    public var method: String
    public var body: JSONValue?
    /// JSON Pointer to the answer in the response (http, command).
    public var answerPointer: String?
    public var usagePointers: UsagePointers?
    // a2a
    /// Where the agent card is read at validation time; by default
    /// `/.well-known/agent-card.json` on the endpoint's host.
    public var card: String?
    // command
    public var argv: [String]
    /// The command's `env`: variables added to (or replacing) evalgate's own for the child process.
    public var env: [String: String]
    public var workingDirectory: String?
    // shared
    public var headers: [String: String]
    public var timeout: Double
    public var retries: Int
    public var maxConcurrency: Int
    /// Requests per second, all workers together; `nil` means unlimited.
    public var rateLimit: Double?
    public var maxResponseBytes: Int
    public var pricing: Pricing?
    /// Turns TLS certificate verification off. Warned about in every report.
    public var insecureSkipTLSVerify: Bool

    public init(
        kind: Kind, url: String? = nil, model: String? = nil, systemPrompt: String? = nil, tools: [JSONValue] = [],
        parameters: [String: JSONValue] = [:], query: [String: String] = [:], maxSteps: Int = 8, method: String = "POST",
        body: JSONValue? = nil, answerPointer: String? = nil, usagePointers: UsagePointers? = nil, argv: [String] = [],
        env: [String: String] = [:], workingDirectory: String? = nil, headers: [String: String] = [:],
        timeout: Double = 30, retries: Int = 2, maxConcurrency: Int = 8, rateLimit: Double? = nil,
        maxResponseBytes: Int = 4 << 20, pricing: Pricing? = nil, insecureSkipTLSVerify: Bool = false,
        allowUnfinished: Bool = false
    ) {
        self.kind = kind
        self.url = url
        self.model = model
        self.systemPrompt = systemPrompt
        self.tools = tools
        self.parameters = parameters
        self.query = query
        self.maxSteps = maxSteps
        self.allowUnfinished = allowUnfinished
        self.method = method
        self.body = body
        self.answerPointer = answerPointer
        self.usagePointers = usagePointers
        self.argv = argv
        self.env = env
        self.workingDirectory = workingDirectory
        self.headers = headers
        self.timeout = timeout
        self.retries = retries
        self.maxConcurrency = maxConcurrency
        self.rateLimit = rateLimit
        self.maxResponseBytes = maxResponseBytes
        self.pricing = pricing
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
    }
}

public struct UsagePointers: Sendable, Equatable, Codable {
    public var inputTokens: String?
    public var outputTokens: String?

    public init(inputTokens: String? = nil, outputTokens: String? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }
}

/// Prices per 1,000 tokens, in the pipeline's currency, held exactly as written.
public struct Pricing: Sendable, Equatable, Codable {
    public var inputPer1K: Money
    public var outputPer1K: Money
    public var currency: String

    public init(inputPer1K: Money, outputPer1K: Money, currency: String = "USD") {
        self.inputPer1K = inputPer1K
        self.outputPer1K = outputPer1K
        self.currency = currency
    }

    /// What `usage` costs, exactly: tokens × price per 1,000 ÷ 1,000 in integers. A price per 1,000
    /// tokens with up to 9 decimal places gives a whole number of pico-units for any token count;
    /// a finer price is rounded once, to the nearest pico-unit (half to even).
    public func exactCost(of usage: TokenUsage) -> Money {
        let thousandths = inputPer1K.picoUnits * Int128(usage.inputTokens) + outputPer1K.picoUnits * Int128(usage.outputTokens)
        return Money(clamping: FixedPoint.roundedDivision(thousandths, by: 1000, .toNearestOrEven))
    }

    /// `exactCost(of:)` as the `Double` a case result stores (`CaseResult.cost`). It converts back to
    /// the same exact amount (`Money(approximating:)`) for every cost below 1,000 units, which is how
    /// the run's totals and the cost gate stay exact.
    public func cost(of usage: TokenUsage) -> Double {
        exactCost(of: usage).doubleValue
    }
}

/// One golden dataset file of a pipeline.
public struct DatasetReference: Sendable, Equatable, Codable {
    /// As written in the pipeline.
    public var path: String
    /// Resolved against the pipeline file's folder.
    public var resolvedPath: String
    /// Tags added to every case of the file.
    public var tags: [String]
    /// Every case of the file must pass.
    public var critical: Bool
    /// The world of the file's cases, laid over the pipeline's.
    public var world: World?
    public var location: SourceLocation

    public init(
        path: String, resolvedPath: String, tags: [String] = [], critical: Bool = false, location: SourceLocation = SourceLocation(file: "<memory>")
    ) {
        self.path = path
        self.resolvedPath = resolvedPath
        self.tags = tags
        self.critical = critical
        self.location = location
    }

    public var format: DatasetFormat? { DatasetFormat(path: resolvedPath) }
}

public enum DatasetFormat: String, Sendable, Codable {
    case jsonl, yaml, csv

    public init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "jsonl", "ndjson": self = .jsonl
        case "yaml", "yml": self = .yaml
        case "csv": self = .csv
        default: return nil
        }
    }
}

/// How often each case runs and how its repeats combine.
public struct RepeatPolicy: Sendable, Equatable, Codable {
    public enum Aggregation: String, Sendable, Codable, CaseIterable {
        case allPass = "all-pass"
        case majority
        case mean
        case passAtK = "pass@k"
    }

    public var count: Int
    public var aggregation: Aggregation

    public init(count: Int = 1, aggregation: Aggregation = .allPass) {
        self.count = count
        self.aggregation = aggregation
    }
}

/// The model (or models) that grade answers for `llm-rubric`, `factuality`, `closed-qa` and `similar`.
public struct JudgeDefinition: Sendable, Equatable, Codable {
    public struct Model: Sendable, Equatable, Codable {
        public var url: String
        public var model: String
        public var headers: [String: String]

        public init(url: String, model: String, headers: [String: String] = [:]) {
            self.url = url
            self.model = model
            self.headers = headers
        }
    }

    public enum Combine: String, Sendable, Codable, CaseIterable {
        case majority, mean
    }

    public var panel: [Model]
    public var combine: Combine
    public var embeddings: Model?
    public var timeout: Double
    public var retries: Int
    /// Scores this close to a threshold send the case to human review.
    public var reviewBand: Double
    public var cache: Bool

    public init(
        panel: [Model], combine: Combine = .majority, embeddings: Model? = nil, timeout: Double = 60, retries: Int = 2,
        reviewBand: Double = 0.1, cache: Bool = true
    ) {
        self.panel = panel
        self.combine = combine
        self.embeddings = embeddings
        self.timeout = timeout
        self.retries = retries
        self.reviewBand = reviewBand
        self.cache = cache
    }
}

/// Which tier's gates apply, and the pipeline's own tightenings of them.
public struct GateSettings: Sendable, Equatable, Codable {
    public var tier: Int?
    /// Thresholds that override the tier's: tighter ones freely, looser ones only with an exception.
    public var overrides: TierThresholds
    public var exception: GateException?
    /// `gates.sequential: true`: run as `evalgate run --sequential` does (docs/sequential.md).
    public var sequential: Bool?
    public var location: SourceLocation

    public init(
        tier: Int? = nil, overrides: TierThresholds = TierThresholds(), exception: GateException? = nil,
        location: SourceLocation = SourceLocation(file: "<memory>")
    ) {
        self.tier = tier
        self.overrides = overrides
        self.exception = exception
        self.location = location
    }
}

/// A named person's approval to loosen a tier threshold for one pipeline. Shown in every report.
public struct GateException: Sendable, Equatable, Codable {
    public var approvedBy: String
    public var reason: String
    public var expires: String?

    public init(approvedBy: String, reason: String, expires: String? = nil) {
        self.approvedBy = approvedBy
        self.reason = reason
        self.expires = expires
    }

    /// `expires` as `YYYY-MM-DD` when it is a valid date (the last day the exception applies).
    public var expiryDate: String? { expires.flatMap(Self.date) }

    /// `text` when it is a calendar date `YYYY-MM-DD`, else nil.
    static func date(_ text: String) -> String? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.isLenient = false
        guard text.count == 10, let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
        return text
    }
}

public struct BaselineSettings: Sendable, Equatable, Codable {
    public enum Source: String, Sendable, Codable, CaseIterable {
        /// The newest passing run of the live (or named) version in the history database.
        case history
        /// A run's JSON result file.
        case file
        case none
    }

    public var source: Source
    public var file: String?
    /// A specific baseline version; default: the version live in the rollback environment.
    public var version: String?

    public init(source: Source = .history, file: String? = nil, version: String? = nil) {
        self.source = source
        self.file = file
        self.version = version
    }
}

public struct RollbackSettings: Sendable, Equatable, Codable {
    /// The deployment environment whose live version is protected (`production`).
    public var environment: String
    /// `last-known-good`, or a fixed version to roll back to.
    public var target: String

    public init(environment: String = "production", target: String = "last-known-good") {
        self.environment = environment
        self.target = target
    }
}
