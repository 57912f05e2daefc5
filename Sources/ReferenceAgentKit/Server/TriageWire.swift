/// The triage agent's own JSON API: not OpenAI's, the kind of in-house endpoint `type: http` pipelines call.
struct TriageRequest: Decodable, Sendable {
    var ticket: String
    var ticketID: String?

    enum CodingKeys: String, CodingKey {
        case ticket
        case ticketID = "ticket_id"
    }
}

struct TriageResponse: Encodable, Sendable {
    struct Usage: Encodable, Sendable {
        var inputTokens: Int
        var outputTokens: Int

        enum CodingKeys: String, CodingKey {
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
        }
    }

    var result: TriageAgent.Decision
    var ticketID: String?
    var usage: Usage

    enum CodingKeys: String, CodingKey {
        case result
        case ticketID = "ticket_id"
        case usage
    }
}
