extension ConsoleReport {
    /// The agent's autonomy level, and the step down a failed monitor run recommends.
    func autonomyLines(_ recommendation: Recommendation) -> [String] {
        guard let advice = recommendation.autonomy else { return [] }
        if advice.stepDown {
            return [
                paint(
                    TerminalText.sanitize("  autonomy: STEP DOWN from \(advice.level) to \(advice.recommendedLevel): \(advice.reason ?? "")"), "33;1")
            ]
        }
        return ["  autonomy: \(TerminalText.sanitize(advice.level))\(advice.reason.map { " (\(TerminalText.sanitize($0)))" } ?? "")"]
    }
}
