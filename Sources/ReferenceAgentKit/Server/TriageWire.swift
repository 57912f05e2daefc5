/// The triage agent's own JSON API: not OpenAI's, the kind of in-house endpoint `type: http` pipelines call.
///
/// Request `{"ticket": "...", "ticket_id": "..."}`; response
/// `{"result": {"category", "priority", "team"}, "ticket_id": "...", "usage": {"input_tokens", "output_tokens"}}`.
enum TriageWire {
    static func ticket(in json: JSON) throws(WireFormatError) -> (ticket: String, ticketID: String?) {
        guard case .string(let ticket)? = json["ticket"] else {
            throw WireFormatError("expected a JSON body like {\"ticket\": \"...\", \"ticket_id\": \"...\"}")
        }
        return (ticket, json["ticket_id"]?.stringValue)
    }

    static func response(_ decision: TriageAgent.Decision, ticket: String, ticketID: String?) -> JSON {
        let result = decision.json
        return [
            "result": result,
            "ticket_id": ticketID.map(JSON.string) ?? .null,
            "usage": [
                "input_tokens": .number(Double(max(1, ticket.count / 4))),
                "output_tokens": .number(Double(max(1, result.serialized.count / 4))),
            ],
        ]
    }
}

extension TriageAgent.Decision {
    var json: JSON {
        ["category": .string(category), "priority": .string(priority), "team": .string(team)]
    }
}
