import Foundation

extension Decision {
    /// The decision of one shard (`--shard I/N`): none. A shard holds part of the evidence, so its
    /// only gate is inconclusive and says that `evalgate merge` decides; no history is read.
    public static func shard(_ subject: Subject, outcome: RunOutcome, shard: Shard) -> Decision {
        let ran = outcome.selectedCases - outcome.missingCases
        let stopped = outcome.stopReason.flatMap { $0 == .shard ? nil : " (stopped: \($0))" } ?? ""
        let gate = GateResult(
            name: "shard", outcome: .inconclusive, measured: "\(ran) of \(outcome.selectedCases) cases of shard \(shard)\(stopped)",
            threshold: "all \(shard.count) shards, merged", measuredValue: Double(ran), thresholdValue: Double(outcome.selectedCases),
            sentence:
                "This run is shard \(shard) (\(outcome.selectedCases) of the run's \(outcome.runSelectedCases) selected cases): it decides nothing alone; `evalgate merge` decides the run from all \(shard.count) shards."
        )
        let report = GateReport(gates: [gate])
        let definition = subject.pipeline.definition
        let recommendation = RecommendationEngine.recommend(
            RecommendationEngine.Input(
                mode: subject.mode, report: report, comparison: nil, agent: definition.agent.name, evaluatedVersion: definition.agent.version,
                environment: subject.environment, liveVersion: nil, liveEvidenceRunID: nil, rollbackTarget: nil, tier: subject.pipeline.tier,
                runID: subject.runID, exception: nil, reviewQueue: 0))
        return Decision(comparison: nil, report: report, recommendation: recommendation)
    }
}
