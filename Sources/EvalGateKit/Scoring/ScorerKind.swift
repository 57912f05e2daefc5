/// Every scorer an `assert` entry may name, spelled as in YAML (without the `not-` prefix, which
/// is `ScorerSpec.negated`). The one list the loader, the registry, the judges and the runner
/// share: adding a scorer means adding a case here, and the compiler finds every `switch`.
public enum ScorerKind: String, Sendable, Codable, CaseIterable {
    case equals
    case contains
    case icontains
    case containsAny = "contains-any"
    case containsAll = "contains-all"
    case startsWith = "starts-with"
    case regex
    case isJSON = "is-json"
    case jsonSchema = "json-schema"
    case jsonField = "json-field"
    case numeric
    case levenshtein
    case rougeL = "rouge-l"
    case tokenF1 = "token-f1"
    case refusal
    case latency
    case cost
    case toolCalled = "tool-called"
    case toolNotCalled = "tool-not-called"
    case toolArgs = "tool-args"
    case toolSequence = "tool-sequence"
    case maxSteps = "max-steps"
    case turns
    case toolCalledOnce = "tool-called-once"
    case askedBefore = "asked-before"
    case state
    case stateUnchanged = "state-unchanged"
    case llmRubric = "llm-rubric"
    case factuality
    case closedQA = "closed-qa"
    case similar

    /// Scored by a judge model or an embedding model rather than locally.
    public var isModelGraded: Bool {
        switch self {
        case .llmRubric, .factuality, .closedQA, .similar: return true
        default: return false
        }
    }

    /// The score is continuous, so a `threshold` means something.
    public var acceptsThreshold: Bool {
        switch self {
        case .levenshtein, .rougeL, .tokenF1: return true
        default: return isModelGraded
        }
    }

    /// Reads the agent's tool calls, which only `openai-chat` endpoints report.
    public var readsToolCalls: Bool {
        switch self {
        case .toolCalled, .toolNotCalled, .toolArgs, .toolSequence, .maxSteps, .toolCalledOnce, .askedBefore: return true
        default: return false
        }
    }

    /// Reads the conversation or the world as a whole, so `on:` (which turns) does not apply.
    public var readsConversation: Bool {
        switch self {
        case .turns, .toolCalledOnce, .askedBefore, .state, .stateUnchanged: return true
        default: return false
        }
    }

    /// Where the scores of this kind come from.
    public var source: ScoreSource { isModelGraded ? .judge : .deterministic }
}
