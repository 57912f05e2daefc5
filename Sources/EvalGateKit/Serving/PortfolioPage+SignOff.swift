extension PortfolioPage {
    /// A mark on an agent whose newest release waits for sign-off (docs/signoff.md), naming the
    /// roles still missing, or saying which role rejected it; it links to the run.
    func signOffMarker(_ entry: AgentPortfolio) -> Markup {
        guard let pending = entry.pendingSignOff else { return "" }
        let status = pending.signOff
        let rejected = status.state == .rejected
        let shown =
            rejected
            ? "sign-off rejected: " + ReleaseSignOff.list(status.rejected.map(\.role))
            : "awaiting sign-off: " + ReleaseSignOff.list(status.missing)
        let kind: Markup = rejected ? "sign-off rejected" : "sign-off"
        let title = "Release \(pending.run.version) (run \(pending.run.id)): \(status.sentence)"
        return
            " <a class=\"badge \(kind)\" href=\"\(Markup.escape(RunPage.path(pending.run.id)))\" title=\"\(Markup.escape(title))\">\(Markup.escape(shown))</a>"
    }
}
