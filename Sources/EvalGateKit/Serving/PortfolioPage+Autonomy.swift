extension PortfolioPage {
    /// The agent's autonomy level as its newest run recorded it, and a step down that run
    /// recommends; nothing when its tier has no ladder. (A change recorded after that run shows
    /// from the next run on; `evalgate autonomy AGENT` reads the history itself.)
    func autonomy(_ entry: AgentPortfolio) -> Markup {
        guard let advice = entry.latest.autonomy else { return "" }
        let down: Markup =
            advice.stepDown ? " <strong class=\"verdict-fail\">↓ \(Markup.escape(advice.recommendedLevel)) recommended</strong>" : ""
        return "<div class=\"autonomy\" title=\"autonomy level as of the newest run\">\(Markup.escape(advice.level))\(down)</div>"
    }
}
