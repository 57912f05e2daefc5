/// The internal knowledge-base agent (risk tier 1): answers employees' questions from the handbook by
/// keyword match, and says so when the handbook doesn't cover a question instead of guessing.
struct KnowledgeBaseAgent: Sendable {
    var variant: AgentVariant

    static let unknownAnswer =
        "I don't know; the employee handbook doesn't cover that. Please ask #help-hr on Slack and someone will help."

    /// Matched keywords must weigh at least this much: one weak keyword ("open", "early") is not an answer.
    static let minimumScore = 3

    func answer(_ question: String) -> String {
        guard let entry = Self.bestEntry(for: question) else { return Self.unknownAnswer }
        return entry.answer + " (Employee handbook, \(entry.section).)"
    }

    static func bestEntry(for question: String) -> HandbookEntry? {
        let text = TextIndex(question)
        var best: (entry: HandbookEntry, score: Int)?
        for entry in Handbook.entries {
            var score = 0
            for (keyword, weight) in entry.keywords where text.containsWords(keyword) { score += weight }
            if score >= minimumScore, score > (best?.score ?? 0) { best = (entry, score) }
        }
        return best?.entry
    }
}
