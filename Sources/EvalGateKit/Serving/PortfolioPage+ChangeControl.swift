extension PortfolioPage {
    /// A marker on an agent whose newest run is held by change control (docs/change-control.md),
    /// naming what is still missing.
    func changeControlMarker(_ entry: AgentPortfolio) -> Markup {
        guard let block = entry.latest.changeControlBlock else { return "" }
        let title = "Change control: looser gates await approval; missing: " + block.missing.joined(separator: ", ")
        return " <span class=\"badge text-bg-warning change-control\" title=\"\(Markup.escape(title))\">change control</span>"
    }
}
