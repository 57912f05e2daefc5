extension HTMLReport {
    /// Turns shown per conversation; a longer one says how many more there were.
    static let conversationTurnLimit = 60

    /// A scenario's conversation turn by turn: who spoke, what they said, and each agent turn's tool
    /// calls with their results. Everything the agent or the customer wrote goes through `text`.
    func conversationList(_ conversation: ConversationRecord) -> Markup {
        let turns: [Markup] = conversation.turns.prefix(Self.conversationTurnLimit).map { turn in
            let who: Markup = turn.speaker == .user ? "customer" : "agent"
            let calls: [Markup] = turn.toolCalls.prefix(CaseLimits.callsPerStep).map { call in
                let result: Markup = call.result.map { jsonBlock($0) } ?? "<p class=\"muted\">no result for this call</p>"
                return """
                    <div class="call"><p><code class="tool">\(text(call.name, limit: 120))</code> <span class="muted">\(text(call.id, limit: 80))</span></p>\
                    <div class="call-io"><div><p class="sub">Arguments</p>\(jsonBlock(call.arguments))</div><div><p class="sub">Result</p>\(result)</div></div></div>
                    """
            }
            return
                "<li><span class=\"role\">\(who)</span>\(calls)<pre>\(text(turn.text, limit: CaseLimits.fullText, multiline: true))</pre></li>"
        }
        let more: Markup =
            conversation.turns.count > Self.conversationTurnLimit
            ? "<p class=\"muted\">\(conversation.turns.count - Self.conversationTurnLimit) more turns.</p>" : ""
        var world: Markup = ""
        if let state = conversation.world { world = "<p class=\"sub\">World after the last turn</p>\(jsonBlock(state))" }
        return "<ol class=\"messages\">\(turns)</ol>\(more)<p class=\"muted\">Ended: \(text(conversation.end.rawValue))</p>\(world)"
    }
}
