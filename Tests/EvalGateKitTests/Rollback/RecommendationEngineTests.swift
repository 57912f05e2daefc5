import Foundation
import Testing

@testable import EvalGateKit

@Suite("Rollback recommendations")
struct RecommendationEngineTests {
    let tier = RiskTier(
        level: 3, name: "external-high-risk", thresholds: TierThresholds(confidence: 0.95),
        authority: RiskTier.Authority(approvers: ["agent owner", "risk officer"], rollback: ["on-call engineer"], notify: ["#agent-incidents"]))

    func report(_ outcome: GateOutcome, name: String = "pass-rate") -> GateReport {
        GateReport(gates: [
            GateResult(name: "error-rate", outcome: .pass, measured: "0.0%", threshold: "≤ 2.0%", sentence: "ok"),
            GateResult(
                name: name, outcome: outcome, measured: "90.0%", threshold: "≥ 95.0%", measuredValue: 0.9, thresholdValue: 0.95, sentence: "s"),
        ])
    }

    func recommend(_ mode: Recommendation.Mode, _ gates: GateReport, live: String? = "2.4.1", target: (String, String?)? = ("2.4.1", "run-good"))
        -> Recommendation
    {
        RecommendationEngine.recommend(
            RecommendationEngine.Input(
                mode: mode, report: gates, comparison: nil, agent: "refund-agent", evaluatedVersion: "2.5.0", environment: "production",
                liveVersion: live,
                liveEvidenceRunID: live == nil ? nil : "run-live", rollbackTarget: target.map { (version: $0.0, runID: $0.1) }, tier: tier,
                runID: "run-now",
                exception: nil, reviewQueue: 0))
    }

    @Test func releasePassPromotesAndNamesApprovers() {
        let recommendation = recommend(.release, report(.pass))
        #expect(recommendation.action == .promote)
        #expect(recommendation.targetVersion == "2.5.0")
        #expect(recommendation.summary.hasPrefix("Promote refund-agent 2.5.0 to production once signed off by agent owner and risk officer:"))
        #expect(recommendation.evidence.count == 2)
        let signOff = recommendation.signOff
        #expect(signOff?.state == .pending && signOff?.required == ["agent owner", "risk officer"] && signOff?.missing == signOff?.required)
        #expect(recommendation.notify == nil && recommendation.notifyWithin == nil)
    }

    /// A tool added since the last passing run needs the agent owner, even where the tier does not
    /// list the owner, and names whom to notify.
    @Test func aScopeExpansionAddsTheOwnerAndNotifies() {
        var input = RecommendationEngine.Input(
            mode: .release, report: report(.pass), comparison: nil, agent: "refund-agent", evaluatedVersion: "2.5.0", environment: "production",
            liveVersion: nil, liveEvidenceRunID: nil, rollbackTarget: nil,
            tier: RiskTier(
                level: 2, name: "internal-actions", thresholds: TierThresholds(),
                authority: RiskTier.Authority(approvers: ["team lead"], notify: ["#agent-releases"])),
            runID: "run-now", exception: nil, reviewQueue: 0)
        input.scope = RunScope(tools: ["issue_refund", "lookup_order"], dataSources: []).compared(
            with: RunScope(tools: ["lookup_order"], dataSources: []), runID: "run-before", version: "2.4.1")
        let recommendation = RecommendationEngine.recommend(input)
        #expect(recommendation.signOff?.required == ["team lead", "agent owner"])
        #expect(recommendation.scopeChange?.addedTools == ["issue_refund"] && recommendation.notify == ["#agent-releases"])
        #expect(
            recommendation.summary.contains("Scope expanded: tool issue_refund added since 2.4.1 (run run-before); the agent owner must sign off"))
        // Nothing added: no owner, no notification.
        input.scope = RunScope(tools: ["lookup_order"], dataSources: [])
        let same = RecommendationEngine.recommend(input)
        #expect(same.signOff?.required == ["team lead"] && same.notify == nil && same.scopeChange == nil)
    }

    /// A rollback carries whom to notify and by when; it needs no sign-off.
    @Test func aRollbackCarriesTheNotificationDeadline() {
        var input = RecommendationEngine.Input(
            mode: .monitor, report: report(.fail), comparison: nil, agent: "refund-agent", evaluatedVersion: "2.5.0", environment: "production",
            liveVersion: "2.5.0", liveEvidenceRunID: nil, rollbackTarget: (version: "2.4.1", runID: "run-good"),
            tier: RiskTier(
                level: 3, name: "external-high-risk", thresholds: TierThresholds(),
                authority: RiskTier.Authority(
                    approvers: ["agent owner", "risk officer"], rollback: ["on-call engineer"], notify: ["#agent-incidents", "risk officer"],
                    escalation: "AI CoE", notifyWithin: PolicyDuration(seconds: 3600))),
            runID: "run-now", exception: nil, reviewQueue: 0)
        input.decidedAt = Date(timeIntervalSince1970: 1_795_421_700)  // 2026-11-23 08:15:00 UTC
        let recommendation = RecommendationEngine.recommend(input)
        #expect(recommendation.action == .rollback && recommendation.signOff == nil)
        #expect(recommendation.notify == ["#agent-incidents", "risk officer"] && recommendation.notifyWithin?.iso8601 == "PT1H")
        #expect(recommendation.notifyBy == Date(timeIntervalSince1970: 1_795_425_300))
        #expect(
            recommendation.summary.contains("Notify #agent-incidents, risk officer within 1h (by 2026-11-23T09:15:00Z)."), "\(recommendation.summary)"
        )
    }

    @Test func releaseFailBlocksAndKeepsTheLiveVersion() {
        let recommendation = recommend(.release, report(.fail))
        #expect(recommendation.action == .block)
        #expect(recommendation.targetVersion == "2.4.1")
        #expect(recommendation.targetEvidenceRunID == "run-live")
        #expect(recommendation.summary == "Block refund-agent 2.5.0: 1 gate failed; keep 2.4.1 live (last passing run run-live).")
        #expect(recommendation.evidence == ["pass-rate: 90.0% vs ≥ 95.0% (fail)"])
    }

    @Test func monitorFailRollsBackToKnownGood() {
        let recommendation = recommend(.monitor, report(.fail))
        #expect(recommendation.action == .rollback)
        #expect(recommendation.targetVersion == "2.4.1")
        #expect(recommendation.targetEvidenceRunID == "run-good")
        #expect(recommendation.summary.contains("Who may roll back: on-call engineer"))
    }

    @Test func monitorFailWithoutKnownGoodEscalates() {
        let recommendation = recommend(.monitor, report(.fail), target: nil)
        #expect(recommendation.action == .escalate)
        #expect(recommendation.targetVersion == nil)
    }

    @Test func monitorPassKeeps() {
        #expect(recommend(.monitor, report(.pass)).action == .keep)
    }

    @Test func inconclusiveRerunsWithAdvice() {
        let recommendation = recommend(.release, report(.inconclusive, name: "error-rate"))
        #expect(recommendation.action == .rerun)
        #expect(recommendation.rerunAdvice?.contains("--retry-errors run-now") == true)
        let partial = recommend(.release, report(.inconclusive, name: "completeness"))
        #expect(partial.rerunAdvice?.contains("--resume run-now") == true)
    }
}
