extension MarkdownReport {
    /// The agent's autonomy level, and the step down a failed monitor run recommends.
    static func autonomyLines(_ recommendation: Recommendation) -> [String] {
        guard let advice = recommendation.autonomy else { return [] }
        if advice.stepDown {
            return [
                "",
                "> ⚠️ **Autonomy: step down from \(cell(advice.level)) to \(cell(advice.recommendedLevel))** — \(cell(advice.reason ?? "", limit: 600))",
            ]
        }
        return ["", "Autonomy level: **\(cell(advice.level))**\(advice.reason.map { " — \(cell($0, limit: 600))" } ?? "")"]
    }
}
