import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// `evalgate serve` over HTTP on loopback: the pages, the security headers on every response, who
/// may post what, and bad input that gets a clear answer while the server keeps serving.
@Suite("Dashboard server", .serialized)
struct DashboardServerTests {
    typealias S = ServeFixtures

    static func expectSecurityHeaders(_ reply: DashboardClient.Reply, _ what: String) {
        let policy = reply.header("Content-Security-Policy") ?? ""
        #expect(policy.contains("default-src 'none'"), "\(what): CSP \(policy)")
        #expect(policy.contains("script-src 'nonce-"), "\(what): CSP \(policy)")
        #expect(policy.contains("frame-ancestors 'none'"), "\(what)")
        #expect(reply.header("X-Content-Type-Options") == "nosniff", "\(what)")
        #expect(reply.header("Referrer-Policy") == "no-referrer", "\(what)")
    }

    @Test func everyPageRendersWithTheSecurityHeaders() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-serve")
        let store = try await S.portfolioStore(in: folder)
        try await S.withDashboard(DashboardHistory(store)) { _, client in
            let portfolio = try await client.get("/")
            #expect(portfolio.status == 200)
            #expect(portfolio.header("Content-Type") == "text/html; charset=utf-8")
            // Worst first: the failed monitor run, then the inconclusive release, then the passing agent.
            let order = ["support-bot", "triage-bot", "kb-agent"].map { portfolio.text.range(of: "data-agent=\"\($0)\"")?.lowerBound }
            #expect(order.allSatisfy { $0 != nil } && order[0]! < order[1]! && order[1]! < order[2]!, "portfolio order")
            #expect(portfolio.text.contains("production: <strong>1.4.0</strong>"), "live version per environment")
            #expect(portfolio.text.contains("href=\"/runs/triage-1\""), "pending approval linked")
            for path in [
                "/", "/?sort=agent", "/?owner=support-team&tier=3", "/agents/support-bot", "/runs/support-5", "/runs/kb-big?page=2&status=failed",
                "/runs/support-5/report", "/runs/support-5/compare", "/runs/support-5/cases/case-4", "/runs/support-5/review", "/review", "/metrics",
                "/healthz", "/no-such-page", "/runs/nope",
            ] {
                let reply = try await client.get(path)
                Self.expectSecurityHeaders(reply, path)
                let expected = path == "/no-such-page" || path == "/runs/nope" ? 404 : 200
                #expect(reply.status == expected, "\(path): \(reply.status) \(reply.text.prefix(300))")
            }
            let filtered = try await client.get("/?tier=1")
            #expect(filtered.text.contains("0 of 3 agents"))
            let byOwner = try await client.get("/?owner=support-team&sort=agent")
            let sorted = ["kb-agent", "support-bot", "triage-bot"].map { byOwner.text.range(of: "data-agent=\"\($0)\"")?.lowerBound }
            #expect(sorted.allSatisfy { $0 != nil } && sorted[0]! < sorted[1]! && sorted[1]! < sorted[2]!, "sorted by agent")
            #expect((try await client.get("/?sort=nonsense")).status == 400)
            let agent = try await client.get("/agents/support-bot")
            #expect(agent.text.contains("<span class=\"rollback\">rollback</span>"), "the return to 1.4.0 is marked a rollback")
            #expect(agent.text.contains("id=\"known-good\""))
        }
    }

    @Test func bigRunsArePagedOnTheServer() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-serve")
        let store = try await S.portfolioStore(in: folder)
        try await S.withDashboard(DashboardHistory(store), pageSize: 40) { _, client in
            let first = try await client.get("/runs/kb-big")
            #expect(first.text.contains("page 1 of 7 · 250 cases"), "\(first.text.prefix(200))")
            #expect(first.text.htmlCount(of: "<tr class=\"case ") == 40)
            let last = try await client.get("/runs/kb-big?page=7")
            #expect(last.text.htmlCount(of: "<tr class=\"case ") == 10)
            #expect(last.text.contains(">case-249</a>"))
            let failed = try await client.get("/runs/kb-big?status=failed")
            let failedCount = HistoryFixtures.cases(250).filter { $0.status == .failed }.count
            #expect(failed.text.contains("\(failedCount) cases"))
            #expect((try await client.get("/runs/kb-big?page=0")).status == 400)
            #expect((try await client.get("/runs/kb-big?status=maybe")).status == 400)
        }
    }

    @Test func readOnlyWithoutATokenAndRolesDecideWhoPosts() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-serve")
        let store = try await S.portfolioStore(in: folder)
        try await S.withDashboard(DashboardHistory(store), credentials: try S.tokens) { _, client in
            // Anonymous: reads, cannot post.
            #expect((try await client.get("/runs/triage-1")).status == 200)
            let anonymous = try await client.post("/runs/triage-1/approve", form: ["reason": "looks fine"])
            #expect(anonymous.status == 401)
            Self.expectSecurityHeaders(anonymous, "401")

            // A viewer signs in, and still cannot post.
            let signIn = try await client.signIn(user: "", secret: S.viewerToken)
            #expect(signIn.status == 303)
            let page = try await client.get("/runs/support-0/review")
            #expect(page.text.contains("vic · viewer"))
            #expect(page.text.contains("Labelling needs a reviewer"))
            let viewer = try await client.post("/runs/support-0/review", form: ["csrf": page.csrf ?? "", "case": "case-4", "label": "pass"])
            #expect(viewer.status == 403, "\(viewer.text.prefix(300))")
            #expect(viewer.text.contains("vic is a viewer"))

            // A wrong token is refused, and the server keeps serving.
            let stranger = DashboardClient(base: client.base)
            let wrong = try await stranger.signIn(user: "", secret: "not-a-token-at-all-really")
            await stranger.shutdown()
            #expect(wrong.status == 401)
            #expect(wrong.text.contains("Wrong name, password or token."))
            let badBearer = try await client.get("/", headers: ["Authorization": "Bearer nope-nope-nope-nope"])
            #expect(badBearer.status == 401)
            #expect((try await client.get("/")).status == 200)
        }
    }

    @Test func aForgedCSRFTokenIsRefused() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-serve")
        let store = try await S.portfolioStore(in: folder)
        try await S.withDashboard(DashboardHistory(store), credentials: try S.tokens) { _, client in
            // Sign-in itself needs the form's token to match its cookie.
            let forgedLogin = try await client.post("/login", form: ["csrf": "forged", "user": "", "secret": S.approverToken])
            #expect(forgedLogin.status == 403)
            #expect(try await client.signIn(user: "amy", secret: S.approverToken).status == 303)
            let page = try await client.get("/runs/triage-1")
            let csrf = try #require(page.csrf)
            for forged in ["", "forged", String(csrf.dropLast()) + (csrf.hasSuffix("A") ? "B" : "A")] {
                let reply = try await client.post("/runs/triage-1/approve", form: ["csrf": forged, "reason": "first release"])
                #expect(reply.status == 403, "forged token '\(forged)'")
                #expect(reply.text.contains("CSRF token"))
            }
            #expect(try await store.approvals(runID: "triage-1").isEmpty, "nothing was approved with a forged token")
            let approved = try await client.post("/runs/triage-1/approve", form: ["csrf": csrf, "reason": "first release, no baseline"])
            #expect(approved.status == 303)
            #expect(try await store.approvals(runID: "triage-1").map(\.approvedBy) == ["amy"])
            let entry = try #require(try await store.auditLog(agent: "triage-bot").last)
            #expect(entry.actor == "amy", "the audit entry names the person who approved in the browser")
            // Approving a run that is not inconclusive, or without a reason, is refused with a reason.
            #expect((try await client.post("/runs/support-monitor/approve", form: ["csrf": csrf, "reason": "x"])).status == 409)
            #expect((try await client.post("/runs/triage-1/approve", form: ["csrf": csrf, "reason": " "])).status == 400)
        }
    }

    @Test func aLabelForACaseThatWasNotQueuedIsRefused() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-serve")
        let store = try await S.portfolioStore(in: folder)
        try await S.withDashboard(DashboardHistory(store), credentials: try S.tokens) { _, client in
            _ = try await client.get("/", headers: [:])
            let bearer = ["Authorization": "Bearer \(S.reviewerToken)"]
            // case-0 passed and was never queued; case-9 does not exist; "maybe" is not a label.
            let notQueued = try await client.post("/runs/support-0/review", form: ["case": "case-0", "label": "fail"], headers: bearer)
            #expect(notQueued.status == 400)
            #expect(notQueued.text.contains("was not queued for review"))
            #expect((try await client.post("/runs/support-0/review", form: ["case": "case-9", "label": "fail"], headers: bearer)).status == 404)
            #expect((try await client.post("/runs/support-0/review", form: ["case": "case-4", "label": "maybe"], headers: bearer)).status == 400)
            #expect(try await store.reviewLabels(runID: "support-0").isEmpty)
            // case-4 is queued, but the run's pipeline file (pipelines/refunds.yaml) is not there to
            // decide it again: refused before anything is recorded.
            let noPipeline = try await client.post("/runs/support-0/review", form: ["case": "case-4", "label": "pass"], headers: bearer)
            #expect(noPipeline.status == 409, "\(noPipeline.text.prefix(400))")
            #expect(noPipeline.text.contains("cannot be decided again"))
            #expect(try await store.reviewLabels(runID: "support-0").isEmpty, "no label without its decision")
            #expect((try await client.get("/")).status == 200, "the server keeps serving")
        }
    }

    @Test func aCorruptOrMissingHistoryGetsAClearErrorAndTheServerKeepsServing() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-serve")
        let path = folder.write("history.sqlite", "this is not a database, it is a text file\n" + String(repeating: "x", count: 5_000))
        let history = DashboardHistory(location: HistoryLocation(path))
        try await S.withDashboard(history) { _, client in
            let reply = try await client.get("/")
            #expect(reply.status == 503)
            #expect(reply.text.contains("cannot open the history"), "\(reply.text.prefix(500))")
            Self.expectSecurityHeaders(reply, "503")
            #expect((try await client.get("/healthz")).status == 200)
            #expect((try await client.get("/metrics")).status == 503)
            // Once the file is a history again, the same server reads it.
            try FileManager.default.removeItem(atPath: path)
            let store = try await HistoryStore.open(path: path)
            try await HistoryFixtures.save(store, id: "fresh-run")
            #expect((try await client.get("/")).status == 200)
            #expect((try await client.get("/runs/fresh-run")).status == 200)
        }
    }

    /// A release waiting for sign-off is marked on its agent's row with the roles still missing,
    /// counts as a pending approval in `/metrics`, and goes once every role signed off; a rejected
    /// release is marked apart and is not counted as waiting for an approval.
    @Test func thePortfolioMarksAReleaseWaitingForSignOff() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-serve-signoff")
        let store = try await HistoryStore.open(path: folder.file("history.sqlite"))
        try await store.save(
            RunHistoryContractTests.releaseNeedingSignOff(
                id: "rel-1", agent: "refund-agent", version: "2.5.0", minutes: 1, roles: ["agent owner", "risk officer"]),
            cases: S.F.cases(5))
        try await store.save(
            RunHistoryContractTests.releaseNeedingSignOff(id: "kb-1", agent: "kb-agent", version: "1.0", minutes: 2, roles: ["risk officer"]),
            cases: S.F.cases(5))
        _ = try await store.recordSignOff(
            runID: "kb-1", role: "risk officer", decision: .reject, signedBy: "Omar <o@example.com>", reason: "untested", at: S.F.date(minutes: 3))
        try await S.withDashboard(DashboardHistory(store)) { _, client in
            func row(_ agent: String) async throws -> String {
                let page = try await client.get("/").text
                let start = try #require(page.range(of: "<tr data-agent=\"\(agent)\">"), "\(page)")
                return String(page[start.lowerBound...].prefix { $0 != "\n" }.prefix(4_000))
            }
            let refund = try await row("refund-agent")
            #expect(refund.contains(#"<a class="badge sign-off" href="/runs/rel-1""#), "\(refund)")
            #expect(refund.contains(">awaiting sign-off: agent owner and risk officer</a>"), "\(refund)")
            #expect(refund.contains("title=\"Release 2.5.0 (run rel-1): waiting for agent owner and risk officer\""), "\(refund)")
            let kb = try await row("kb-agent")
            #expect(kb.contains(#"class="badge sign-off rejected""#) && kb.contains(">sign-off rejected: risk officer</a>"), "\(kb)")
            #expect(kb.contains("rejected by risk officer (Omar &lt;o@example.com&gt;: untested); escalate to AI CoE"), "escaped: \(kb)")
            var metrics = try await client.get("/metrics").text
            #expect(metrics.contains(#"evalgate_pending_approvals{agent="refund-agent",tier="3"} 1.0"#), "\(metrics.prefix(3000))")
            #expect(metrics.contains(#"evalgate_pending_approvals{agent="kb-agent",tier="3"} 0.0"#))

            _ = try await store.recordSignOff(
                runID: "rel-1", role: "risk officer", decision: .approve, signedBy: "Dana", reason: nil, at: S.F.date(minutes: 4))
            #expect(try await row("refund-agent").contains(">awaiting sign-off: agent owner</a>"))
            _ = try await store.recordSignOff(
                runID: "rel-1", role: "agent owner", decision: .approve, signedBy: "Ravi", reason: nil, at: S.F.date(minutes: 5))
            let signed = try await row("refund-agent")
            #expect(!signed.contains("sign-off") && signed.contains("<span class=\"muted\">0</span></td></tr>"), "\(signed)")
            metrics = try await client.get("/metrics").text
            #expect(metrics.contains(#"evalgate_pending_approvals{agent="refund-agent",tier="3"} 0.0"#))
        }
    }

    @Test func metricsAreInPrometheusTextFormat() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-serve")
        let store = try await S.portfolioStore(in: folder)
        try await S.withDashboard(DashboardHistory(store)) { _, client in
            let reply = try await client.get("/metrics")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = reply.text
            #expect(text.contains(#"evalgate_last_verdict{agent="support-bot",tier="3",mode="monitor",verdict="fail"} 1.0"#), "\(text.prefix(3000))")
            #expect(text.contains(#"evalgate_last_verdict{agent="support-bot",tier="3",mode="monitor",verdict="pass"} 0.0"#))
            #expect(text.contains(#"evalgate_recent_runs{agent="support-bot",tier="3",verdict="pass"} 6.0"#))
            #expect(text.contains(#"evalgate_pending_approvals{agent="triage-bot",tier="3"} 1.0"#))
            for name in DashboardMetrics.names { #expect(text.contains("# TYPE \(name) "), "\(name) missing") }
            let agents = try await store.portfolio(trendLength: 30)
            let kb = try #require(agents.first { $0.agent == "kb-agent" })
            #expect(text.contains("evalgate_pass_rate_lower_bound{agent=\"kb-agent\",tier=\"3\"} \(kb.latest.summary.passRate.lower)"))
        }
    }
}
