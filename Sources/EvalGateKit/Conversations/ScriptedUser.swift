/// A scripted customer. After each agent turn it says the first line whose `when` matches what the
/// agent just said; failing that, the next unconditional line in script order. A line is said once
/// unless it repeats. When no line applies, the customer is done.
public struct ScriptedUser: ConversationUser {
    public let lines: [ScriptLine]

    public init(lines: [ScriptLine]) {
        self.lines = lines
    }

    public func nextTurn(after conversation: ConversationRecord) async throws(AgentError) -> UserTurn? {
        let said = conversation.userTurns.dropFirst().map(\.text)
        let agentText = conversation.turns.last(where: { $0.speaker == .agent })?.text ?? ""
        var used = Set<Int>()
        // Which lines were said, matched in order, so a text two lines share counts once per saying.
        for text in said {
            if let index = lines.indices.first(where: { !used.contains($0) && !lines[$0].repeats && lines[$0].say == text }) {
                used.insert(index)
            }
        }
        let open = lines.indices.filter { lines[$0].repeats || !used.contains($0) }
        if let answer = open.first(where: { lines[$0].when?.holds(for: agentText) == true }) { return UserTurn(text: lines[answer].say) }
        return open.first(where: { lines[$0].when == nil }).map { UserTurn(text: lines[$0].say) }
    }
}
