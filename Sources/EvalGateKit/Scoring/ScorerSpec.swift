/// One entry of an `assert` list, as written in a pipeline or a case.
public struct ScorerSpec: Sendable, Hashable, Codable {
    /// The scorer type without its `not-` prefix (`contains`, `json-field`, ...).
    public var type: String
    /// Written as `not-TYPE`: the outcome and score are inverted.
    public var negated: Bool
    public var value: JSONValue?
    /// For scorers with a continuous score (similarity, ROUGE-L, ...): the score needed to pass.
    public var threshold: Double?
    public var weight: Double
    /// A named metric this scorer's scores are aggregated under, across cases.
    public var metric: String?
    /// Type-specific keys (`pointer`, `min`, `max`, `tolerance`, `args`, `rubric`, ...).
    public var options: [String: JSONValue]
    /// For a conversation: which agent turns the scorer reads (`on:`); `nil` is the last turn.
    public var on: TurnScope? = nil
    public var location: SourceLocation

    public init(
        type: String, negated: Bool = false, value: JSONValue? = nil, threshold: Double? = nil, weight: Double = 1,
        metric: String? = nil, options: [String: JSONValue] = [:], location: SourceLocation = SourceLocation(file: "<memory>")
    ) {
        self.type = type
        self.negated = negated
        self.value = value
        self.threshold = threshold
        self.weight = weight
        self.metric = metric
        self.options = options
        self.location = location
    }

    /// The scorer this entry names; nil for a type evalgate does not know (validation reports it,
    /// with the closest known type as a hint).
    public var kind: ScorerKind? { ScorerKind(rawValue: type) }

    /// The type as written, with its `not-` prefix.
    public var displayName: String { negated ? "not-\(type)" : type }
}
