import Foundation

/// One agent: its runs with verdicts and actions, pass-rate and latency trends (overall and per
/// tag), the deployment timeline with rollbacks marked, and its known-good versions.
struct AgentPage: Sendable {
    typealias Markup = HTMLReport.Markup

    var agent: String
    /// Newest first.
    var runs: [RunRecord]
    /// Newest first.
    var deployments: [Deployment]
    var knownGood: [KnownGoodVersion]

    /// Deployment ids that put back a version that had been live in that environment before.
    var rollbacks: Set<Int64> {
        var seen: [String: Set<String>] = [:]
        var marked: Set<Int64> = []
        var previous: [String: String] = [:]
        for deployment in deployments.reversed() {
            let environment = deployment.environment
            if let last = previous[environment], last != deployment.version, seen[environment, default: []].contains(deployment.version) {
                marked.insert(deployment.id)
            }
            seen[environment, default: []].insert(deployment.version)
            previous[environment] = deployment.version
        }
        return marked
    }

    func render(layout: DashboardLayout) -> Markup {
        let trend = Array(runs.prefix(30).reversed())
        let latencies = trend.compactMap { $0.summary.latency?.p95 }
        let tags = Set(trend.flatMap { $0.summary.tags.map(\.tag) }).sorted()
        let tagRows = tags.prefix(40).map { tag -> Markup in
            let series = trend.map { run -> RunDigest in
                var digest = RunDigest(run)
                let summary = run.summary.tags.first { $0.tag == tag }
                digest.passed = summary?.passed ?? 0
                digest.failed = summary?.failed ?? 0
                return digest
            }
            let newest = trend.last?.summary.tags.first { $0.tag == tag }
            return """
                <tr><td>\(Markup.escape(tag))</td><td>\(TrendSparkline(runs: series).markup)</td>\
                <td>\(newest.map { DashboardLayout.interval($0.passRate) } ?? "<span class=\"muted\">not in the newest run</span>")</td></tr>
                """
        }
        let rollbacks = self.rollbacks
        let deploymentRows = deployments.map { deployment -> Markup in
            let mark: Markup = rollbacks.contains(deployment.id) ? " <span class=\"rollback\">rollback</span>" : ""
            return """
                <tr class="\(rollbacks.contains(deployment.id) ? "rollback-row" : "deployment-row")"><td>\(DashboardLayout.time(deployment.recordedAt))</td>\
                <td>\(Markup.escape(deployment.environment))</td><td><strong>\(Markup.escape(deployment.version))</strong>\(mark)</td>\
                <td>\(Markup.escape(deployment.recordedBy ?? "—"))</td><td>\(deployment.runID.map(DashboardLayout.runLink) ?? "—")</td>\
                <td>\(Markup.escape(deployment.note ?? ""))</td></tr>
                """
        }
        let goodRows = knownGood.map {
            "<li><strong>\(Markup.escape($0.version))</strong> · run \(DashboardLayout.runLink($0.runID)) · \(DashboardLayout.time($0.at))</li>"
                as Markup
        }
        let runRows = runs.map { run -> Markup in
            """
            <tr><td>\(DashboardLayout.runLink(run.id))</td><td>\(DashboardLayout.time(run.startedAt))</td><td>\(Markup.escape(run.version))</td>\
            <td>\(Markup.escape(run.mode.rawValue))</td><td>\(Markup.escape(run.environment))</td><td>\(DashboardLayout.verdict(run.verdict))</td>\
            <td>\(Markup.escape(run.recommendation.action.rawValue))</td><td>\(DashboardLayout.interval(run.summary.passRate))</td>\
            <td class="num">\(Markup.escape(run.summary.latency.map { Format.milliseconds($0.p95) } ?? "—"))</td></tr>
            """
        }
        let latencyText: Markup =
            latencies.isEmpty
            ? "<span class=\"muted\">no latency recorded</span>"
            : Markup.escape(latencies.map { Format.milliseconds($0) }.joined(separator: " → "))
        let owner = runs.first?.owner
        let body: Markup = """
            <h1>\(Markup.escape(agent)) <span class="muted">· owner \(Markup.escape(owner ?? "—")) · tier \(runs.first?.tier ?? 0)</span></h1>
            <h2>Pass rate, last \(trend.count) runs</h2>
            <p>\(TrendSparkline(runs: trend.map(RunDigest.init), width: 480, height: 80).markup)</p>
            <h2>p95 latency, last \(latencies.count) runs</h2>
            <p id="latency-trend">\(latencyText)</p>
            <h2>Pass rate per tag</h2>
            <table id="tags"><thead><tr><th>Tag</th><th>Trend</th><th>Newest</th></tr></thead><tbody>\(tagRows)</tbody></table>
            <h2>Deployments</h2>
            <table id="deployments"><thead><tr><th>When</th><th>Environment</th><th>Version</th><th>By</th><th>Run</th><th>Note</th></tr></thead>
            <tbody>\(deploymentRows.isEmpty ? ["<tr><td colspan=\"6\" class=\"muted\">no deployments recorded</td></tr>"] : deploymentRows)</tbody></table>
            <h2>Known-good versions</h2>
            <ul id="known-good">\(goodRows.isEmpty ? ["<li class=\"muted\">none yet</li>"] : goodRows)</ul>
            <h2>Runs</h2>
            <table id="runs"><thead><tr><th>Run</th><th>Started</th><th>Version</th><th>Mode</th><th>Environment</th><th>Verdict</th><th>Action</th><th>Pass rate</th><th>p95</th></tr></thead>
            <tbody>\(runRows)</tbody></table>
            """
        return layout.page(title: agent, current: "agent", body)
    }
}
