import Foundation
import Testing

@testable import EvalGateKit

/// The portfolio's newest-run fields and pending release sign-offs (docs/serve.md,
/// docs/signoff.md), on every backend: what it reads of a record without decoding it whole must
/// be what the record holds, and a release waiting for sign-off is the one `release-status`
/// calls pending.
extension RunHistoryContractTests {
    /// A passing release run of `agent` whose recommendation recorded the roles to sign it off.
    static func releaseNeedingSignOff(
        id: String, agent: String, version: String, minutes: Int, roles: [String]?, escalation: String? = "AI CoE"
    ) -> RunRecord {
        var record = F.record(id: id, agent: agent, version: version, startedAt: F.date(minutes: minutes))
        record.recommendation.authority.escalation = escalation
        if let roles { record.recommendation.signOff = ReleaseSignOff(required: roles, decisions: [], escalation: escalation) }
        return record
    }

    @Test(arguments: HistoryBackend.allCases)
    func thePortfolioShowsAReleaseWaitingForSignOffAndWhose(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            // support-bot: an older release, then the newest one, which needs two roles; then a monitor run.
            try await F.save(history, id: "s-1", agent: "support-bot", version: "1.0", minutes: 1)
            var newest = Self.releaseNeedingSignOff(
                id: "s-2", agent: "support-bot", version: "1.1", minutes: 2, roles: ["agent owner", "risk officer"])
            newest.recommendation.autonomy = AutonomyAdvice(level: "approve-each", recommendedLevel: "approve-each", stepDown: false)
            try await history.save(newest, cases: F.cases(5))
            // triage-bot: an inconclusive release waits for an approval first, not for sign-off.
            try await F.save(history, id: "t-1", agent: "triage-bot", version: "0.9", pipeline: "triage", verdict: .inconclusive, minutes: 3)
            // kb-agent: a release a role rejected.
            try await history.save(
                Self.releaseNeedingSignOff(id: "k-1", agent: "kb-agent", version: "2.0", minutes: 4, roles: ["risk officer"]), cases: F.cases(5))
            _ = try await history.recordSignOff(
                runID: "k-1", role: "risk officer", decision: .reject, signedBy: "Omar", reason: "the refund cap is untested", at: F.date(minutes: 5))
            // scope-bot: no roles recorded (an older record): the tier's approvers, and the agent owner for the added tool.
            var expanded = Self.releaseNeedingSignOff(id: "x-1", agent: "scope-bot", version: "3.0", minutes: 6, roles: nil)
            expanded.scope = RunScope(
                tools: ["issue_refund", "lookup"], dataSources: [],
                change: ScopeChange(
                    comparedWithRunID: "x-0", comparedWithVersion: "2.9", addedTools: ["issue_refund"], addedDataSources: [], removedTools: [],
                    removedDataSources: []))
            try await history.save(expanded, cases: F.cases(5))
            // fail-bot: its newest release failed: nothing to sign off.
            try await F.save(history, id: "f-1", agent: "fail-bot", version: "1.0", verdict: .fail, minutes: 7)

            func entries(_ trendLength: Int = 30) async throws -> [String: AgentPortfolio] {
                Dictionary(uniqueKeysWithValues: try await history.portfolio(trendLength: trendLength).map { ($0.agent, $0) })
            }
            var agents = try await entries()
            let support = try #require(agents["support-bot"])
            let waiting = try #require(support.pendingSignOff)
            #expect(waiting.run.id == "s-2" && waiting.signOff.state == .pending)
            #expect(waiting.signOff.missing == ["agent owner", "risk officer"] && waiting.signOff.escalateTo == nil)
            #expect(support.pendingApprovalCount == 1 && support.waitsForPeople)
            // The shown fields are the record's own.
            #expect(support.latest.id == "s-2" && support.latest.autonomy == newest.recommendation.autonomy)
            #expect(support.latest.summary.passRate == newest.summary.passRate && support.latest.summary.errorRate == newest.summary.errorRate)
            #expect(support.latest.summary.latency == newest.summary.latency && support.latest.summary.costPerCase == newest.summary.costPerCase)
            #expect(support.latest.summary.currency == newest.summary.currency && support.latest.changeControlBlock == nil)
            #expect(support.owner == newest.owner && support.tier == newest.tier && support.tierName == newest.tierName)

            let triage = try #require(agents["triage-bot"])
            #expect(triage.pendingSignOff == nil && triage.pendingApprovals.map(\.id) == ["t-1"] && triage.pendingApprovalCount == 1)
            let kb = try #require(agents["kb-agent"])
            #expect(kb.pendingSignOff?.signOff.state == .rejected && kb.pendingSignOff?.signOff.escalateTo == "AI CoE")
            #expect(kb.pendingSignOff?.signOff.rejected.map(\.signedBy) == ["Omar"])
            #expect(kb.pendingApprovalCount == 0 && kb.waitsForPeople, "a rejection waits for its escalation body, not for an approval")
            #expect(agents["scope-bot"]?.pendingSignOff?.signOff.missing == ["@support-leads", "agent owner"])
            #expect(agents["fail-bot"]?.pendingSignOff == nil && agents["fail-bot"]?.pendingApprovalCount == 0)

            // What the portfolio says is what release-status says.
            for (agent, version) in [("support-bot", "1.1"), ("kb-agent", "2.0"), ("scope-bot", "3.0")] {
                let status = try await ReleaseReview.releaseStatus(agent: agent, version: version, history: history)
                #expect(agents[agent]?.pendingSignOff?.signOff == status.signOff, "\(agent)")
            }

            // One role signs off; a monitor run follows, so the release is outside a trend of one run.
            _ = try await history.recordSignOff(
                runID: "s-2", role: "risk officer", decision: .approve, signedBy: "Dana", reason: nil, at: F.date(minutes: 8))
            try await F.save(history, id: "s-m", agent: "support-bot", version: "1.1", mode: .monitor, minutes: 9)
            agents = try await entries(1)
            #expect(agents["support-bot"]?.trend.map(\.id) == ["s-m"])
            #expect(agents["support-bot"]?.pendingSignOff?.run.id == "s-2")
            #expect(agents["support-bot"]?.pendingSignOff?.signOff.missing == ["agent owner"])
            #expect(agents["support-bot"]?.pendingSignOff?.signOff.signedOff.map(\.signedBy) == ["Dana"])
            // The last role signs off: nothing waits.
            _ = try await history.recordSignOff(
                runID: "s-2", role: "agent owner", decision: .approve, signedBy: "Omar", reason: nil, at: F.date(minutes: 10))
            // The inconclusive release is approved: now it waits for the tier's approvers' sign-off.
            try await history.approve(runID: "t-1", approvedBy: "amy", reason: "first release", at: F.date(minutes: 11))
            agents = try await entries()
            #expect(agents["support-bot"]?.pendingSignOff == nil && agents["support-bot"]?.pendingApprovalCount == 0)
            #expect(agents["triage-bot"]?.pendingApprovals.isEmpty == true)
            #expect(agents["triage-bot"]?.pendingSignOff?.signOff.missing == ["@support-leads"])
            #expect(agents["triage-bot"]?.pendingSignOff?.run.id == "t-1" && agents["triage-bot"]?.pendingApprovalCount == 1)
        }
    }

    /// Runs with cases queued for review are found through the partial index, also when the
    /// queue is the only thing that tells two runs apart, and only within the trend.
    @Test(arguments: HistoryBackend.allCases)
    func reviewQueuesAreReadOnlyForTheTrendsRuns(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            // F.cases(5) queues case-4 for review; a run of all-passing cases queues nothing.
            let quiet = F.cases(5).map { result -> CaseResult in
                var result = result
                result.review = nil
                return result
            }
            try await F.save(history, id: "r-old", agent: "a", version: "1.0", minutes: 1)
            try await history.save(F.record(id: "r-quiet", agent: "a", version: "1.1", startedAt: F.date(minutes: 2), cases: quiet), cases: quiet)
            try await F.save(history, id: "r-new", agent: "a", version: "1.2", minutes: 3)
            #expect(try await history.run(id: "r-quiet")?.summary.reviewQueue == [])
            let two = try #require(try await history.portfolio(trendLength: 2).first)
            #expect(two.openReview.map(\.runID) == ["r-new"], "r-old is outside the trend, r-quiet queues nothing")
            let three = try #require(try await history.portfolio(trendLength: 3).first)
            #expect(three.openReview.map(\.runID) == ["r-new", "r-old"] && three.openReview.allSatisfy { $0.caseIDs == ["case-4"] })
        }
    }
}
