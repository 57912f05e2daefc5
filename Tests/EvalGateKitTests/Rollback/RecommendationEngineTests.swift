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
        #expect(recommendation.summary.contains("Approval: agent owner, risk officer"))
        #expect(recommendation.evidence.count == 2)
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
