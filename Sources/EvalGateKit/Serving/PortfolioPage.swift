import Foundation

/// The morning view: every agent with its owner, tier, what is live where, the last release and
/// monitor verdicts, the pass-rate trend with intervals, and what waits for people. Worst first.
public struct PortfolioPage: Sendable {
    typealias Markup = HTMLReport.Markup

    public enum Sort: String, Sendable, CaseIterable {
        case worst, agent, owner, tier
        case passRate = "pass-rate"
    }

    public var agents: [AgentPortfolio]
    public var sort: Sort
    public var owner: String?
    public var tier: Int?

    public init(agents: [AgentPortfolio], sort: Sort = .worst, owner: String? = nil, tier: Int? = nil) {
        self.agents = agents
        self.sort = sort
        self.owner = owner
        self.tier = tier
    }

    /// The agents the filters keep, in the chosen order.
    public var rows: [AgentPortfolio] {
        let kept = agents.filter { entry in
            (owner.map { entry.owner == $0 } ?? true) && (tier.map { entry.tier == $0 } ?? true)
        }
        switch sort {
        case .worst: return kept.sorted { Self.badness($0) > Self.badness($1) || (Self.badness($0) == Self.badness($1) && $0.agent < $1.agent) }
        case .agent: return kept.sorted { $0.agent < $1.agent }
        case .owner: return kept.sorted { ($0.owner ?? "", $0.agent) < ($1.owner ?? "", $1.agent) }
        case .tier: return kept.sorted { ($1.tier, $0.agent) < ($0.tier, $1.agent) }
        case .passRate:
            return kept.sorted { (Self.lowerBound($0), $0.agent) < (Self.lowerBound($1), $1.agent) }
        }
    }

    /// Worse sorts first: a failing newest verdict, then inconclusive, then what waits for people
    /// (queued cases, approvals, sign-offs), then higher tiers (more at stake), then a lower
    /// pass-rate bound.
    static func badness(_ entry: AgentPortfolio) -> Double {
        let verdicts = [entry.lastRelease?.verdict, entry.lastMonitor?.verdict].compactMap { $0 }
        let worst = verdicts.max() ?? .inconclusive
        let verdictWeight: Double =
            switch worst {
            case .fail: 3_000
            case .inconclusive: 2_000
            case .pass: 1_000
            }
        let waiting: Double = entry.waitsForPeople ? 500 : 0
        return verdictWeight + waiting + Double(entry.tier) * 10 + (1 - lowerBound(entry)) * 9
    }

    static func lowerBound(_ entry: AgentPortfolio) -> Double {
        entry.latest.summary.passRate.trials > 0 ? entry.latest.summary.passRate.lower : 0
    }

    func render(layout: DashboardLayout) -> Markup {
        let rows = self.rows
        let owners = Set(agents.compactMap(\.owner)).sorted()
        let tiers = Set(agents.map(\.tier)).sorted()
        let ownerOptions = owners.map { name in
            "<option value=\"\(Markup.escape(name))\"\(owner == name ? " selected" : "")>\(Markup.escape(name))</option>" as Markup
        }
        let tierOptions = tiers.map { value in
            "<option value=\"\(value)\"\(tier == value ? " selected" : "")>\(value)</option>" as Markup
        }
        let body: Markup = """
            <h1>Portfolio <span class="muted">· \(rows.count) of \(agents.count) agents</span></h1>
            <form class="filters" method="get" action="/" id="filters">
            <div><label for="owner">Owner</label><select name="owner" id="owner"><option value="">all</option>\(ownerOptions)</select></div>
            <div><label for="tier">Tier</label><select name="tier" id="tier"><option value="">all</option>\(tierOptions)</select></div>
            <input type="hidden" name="sort" value="\(Markup.escape(sort.rawValue))">
            <button type="submit">Filter</button>
            </form>
            <table id="portfolio"><thead><tr>
            \(header("Agent", .agent)) \(header("Owner", .owner)) \(header("Tier", .tier))<th>Live</th><th>Last release</th><th>Last monitor</th>
            <th>Trend (last \(rows.map(\.trend.count).max() ?? 0) runs)</th>\(header("Pass rate (newest)", .passRate))<th>Open review</th><th>Pending approvals</th>
            </tr></thead><tbody>
            \(rows.map(row))
            </tbody></table>
            """
        return layout.page(title: "Portfolio", current: "portfolio", body)
    }

    func header(_ title: String, _ key: Sort) -> Markup {
        var query = "sort=\(key.rawValue)"
        if let owner { query += "&owner=\(DashboardLayout.percentEncoded(owner))" }
        if let tier { query += "&tier=\(tier)" }
        let mark: Markup = sort == key ? " aria-sort=\"ascending\"" : ""
        return "<th\(mark)><a href=\"/?\(Markup.escape(query))\">\(Markup.escape(title))</a></th>"
    }

    func row(_ entry: AgentPortfolio) -> Markup {
        let live = entry.liveVersions.map { "<div>\(Markup.escape($0.environment)): <strong>\(Markup.escape($0.version))</strong></div>" as Markup }
        func digest(_ run: RunDigest?) -> Markup {
            guard let run else { return "<span class=\"muted\">none</span>" }
            return
                "\(DashboardLayout.verdict(run.verdict)) <a href=\"/runs/\(Markup.escape(DashboardLayout.percentEncoded(run.id)))\">\(Markup.escape(run.version))</a>"
        }
        let review: Markup =
            entry.openReviewCount == 0
            ? "<span class=\"muted\">0</span>"
            : "<a href=\"/review?agent=\(Markup.escape(DashboardLayout.percentEncoded(entry.agent)))\">\(entry.openReviewCount)</a>"
        let approvals: Markup =
            entry.pendingApprovals.isEmpty && entry.pendingSignOff == nil
            ? "<span class=\"muted\">0</span>"
            : entry.pendingApprovals.map { DashboardLayout.runLink($0.id) }.joined(separator: " ")
        return """
            <tr data-agent="\(Markup.escape(entry.agent))"><td>\(DashboardLayout.agentLink(entry.agent))</td><td>\(Markup.escape(entry.owner ?? "—"))</td>\
            <td class="num">\(entry.tier) <span class="muted">\(Markup.escape(entry.tierName))</span>\(autonomy(entry))</td>\
            <td>\(live.isEmpty ? "<span class=\"muted\">not deployed</span>" : live.joined())</td><td>\(digest(entry.lastRelease))</td><td>\(digest(entry.lastMonitor))</td>\
            <td>\(TrendSparkline(runs: entry.trend).markup)</td><td>\(DashboardLayout.interval(entry.latest.summary.passRate))</td>\
            <td class="num">\(review)</td><td>\(approvals)\(signOffMarker(entry))\(changeControlMarker(entry))</td></tr>
            """
    }
}
