/// Everything that happened to one golden case in a run.
public struct CaseResult: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// The answer met the case's scorers.
        case passed
        /// The answer was wrong.
        case failed
        /// No answer could be had (infrastructure error): neither a pass nor a scorer failure.
        case error
    }

    /// Position in the run's case order (dataset order after filtering and sampling).
    public var index: Int
    public var id: String
    public var dataset: String
    public var tags: [String]
    public var critical: Bool
    public var cluster: String?
    /// A scenario's conversation, turn by turn; `nil` for a single-exchange case.
    public var conversation: ConversationRecord?
    public var input: CaseInput
    public var expected: JSONValue?
    public var answer: AgentAnswer?
    public var scores: [ScoreResult]
    public var score: Double
    public var status: Status
    public var error: AgentError?
    public var attempts: Int
    public var latencyMilliseconds: Double
    public var usage: TokenUsage?
    public var cost: Double?
    /// Outcomes of each repeat when the case ran more than once.
    public var repeats: [RepeatOutcome]?
    /// Why the case needs a person's judgement, if it does.
    public var review: String?
    /// Where the case is defined.
    public var location: String

    public init(
        index: Int, id: String, dataset: String, tags: [String], critical: Bool, cluster: String?, conversation: ConversationRecord? = nil,
        input: CaseInput, expected: JSONValue?,
        answer: AgentAnswer?, scores: [ScoreResult], score: Double, status: Status, error: AgentError?, attempts: Int,
        latencyMilliseconds: Double, usage: TokenUsage?, cost: Double?, repeats: [RepeatOutcome]? = nil, review: String? = nil, location: String
    ) {
        self.index = index
        self.id = id
        self.dataset = dataset
        self.tags = tags
        self.critical = critical
        self.cluster = cluster
        self.conversation = conversation
        self.input = input
        self.expected = expected
        self.answer = answer
        self.scores = scores
        self.score = score
        self.status = status
        self.error = error
        self.attempts = attempts
        self.latencyMilliseconds = latencyMilliseconds
        self.usage = usage
        self.cost = cost
        self.repeats = repeats
        self.review = review
        self.location = location
    }

    /// The result's JSON keys (the journal, the result file's `cases`, the history's `result_json`):
    /// part of the documented format (docs/results-schema.json), so spelled out, never derived.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case index, id, dataset, tags, critical, cluster, conversation, input, expected, answer, scores, score, status, error, attempts
        case latencyMilliseconds, usage, cost, repeats, review, location
    }

    public var passed: Bool { status == .passed }

    /// The first failing scorer's reason, or the error: the sentence reports show for this case.
    public var headline: String {
        if let error { return error.description }
        if let failing = scores.first(where: { !$0.passed }) { return "\(failing.scorer): \(failing.reason)" }
        return scores.first?.reason ?? ""
    }
}

/// One repeat of a case that runs several times.
public struct RepeatOutcome: Sendable, Equatable, Codable {
    public var passed: Bool
    public var score: Double
    public var error: String?
    public var latencyMilliseconds: Double

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case passed, score, error, latencyMilliseconds
    }

    public init(passed: Bool, score: Double, error: String? = nil, latencyMilliseconds: Double) {
        self.passed = passed
        self.score = score
        self.error = error
        self.latencyMilliseconds = latencyMilliseconds
    }
}
