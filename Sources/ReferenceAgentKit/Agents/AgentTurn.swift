/// What an agent does next: answer, or call tools and wait for their results.
enum AgentTurn: Sendable, Equatable {
    case answer(String)
    case toolCalls([PlannedToolCall])
}

struct PlannedToolCall: Sendable, Equatable {
    var name: String
    var arguments: [String: JSON]
}
