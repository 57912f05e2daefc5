import Foundation

/// The decision part of an evaluation: the baseline comparison, the gates and the recommendation.
/// Shared by a fresh run and by re-deciding a run after people have labelled queued cases.
public struct Decision: Sendable {
    public var comparison: BaselineComparison?
    public var report: GateReport
    public var recommendation: Recommendation

    public static func make(
        pipeline: LoadedPipeline, mode: Recommendation.Mode, environment: String, summary: RunSummary, outcomes: [CaseOutcome],
        selectedCases: Int, missingCases: Int, stopReason: String?, runID: String, store: HistoryStore
    ) throws -> Decision {
        let definition = pipeline.definition
        let environmentName = environment
        let agent = definition.agent.name
        let version = definition.agent.version
        let liveVersion = try store.liveVersion(agent: agent, environment: environmentName)

        // The baseline: the live version's last passing run (release), or the last known-good (monitor).
        var comparison: BaselineComparison?
        var baselineUnavailable: String?
        let confidence = pipeline.thresholds.confidence ?? TierThresholds.defaultConfidence
        let margin = pipeline.thresholds.maxRegression ?? 0
        switch definition.baseline.source {
        case .none:
            baselineUnavailable = "the pipeline sets baseline.from: none"
        case .file:
            let path = definition.baseline.file ?? ""
            do {
                let baseline = try ResultFile.read(path: path)
                comparison = BaselineComparator.compare(
                    candidate: outcomes, baseline: baseline.cases.map(PipelineEvaluation.outcome), baselineRunID: baseline.record.id,
                    baselineVersion: baseline.record.version, margin: margin, confidence: confidence)
            } catch {
                baselineUnavailable = "the baseline file \(path) cannot be read: \(error.localizedDescription)"
            }
        case .history:
            let baselineVersion: String?
            if let fixed = definition.baseline.version {
                baselineVersion = fixed
            } else if mode == .release {
                let lastGood = try store.lastKnownGood(agent: agent, excluding: version)?.version
                baselineVersion = liveVersion.flatMap { $0 == version ? nil : $0 } ?? lastGood
            } else {
                baselineVersion = (try store.lastKnownGood(agent: agent, excluding: version))?.version
            }
            if let baselineVersion, let baselineRunID = try Decision.evidenceRun(store, agent: agent, version: baselineVersion), baselineRunID != runID {
                comparison = BaselineComparator.compare(
                    candidate: outcomes, baseline: try store.caseOutcomes(runID: baselineRunID), baselineRunID: baselineRunID,
                    baselineVersion: baselineVersion, margin: margin, confidence: confidence)
            } else if let baselineVersion {
                baselineUnavailable = "version \(baselineVersion) has no passing run in the history"
            } else {
                baselineUnavailable = "nothing is recorded as live in \(environmentName) and no version is known-good yet"
            }
        }

        let tierLabel = "tier \(pipeline.tier.level) (\(pipeline.tier.name))"
        let gateReport = GateEvaluator(thresholds: pipeline.thresholds, tierLabel: tierLabel).evaluate(GateEvaluator.Input(
            summary: summary, outcomes: outcomes, selectedCases: selectedCases, missingCases: missingCases,
            stopReason: stopReason, baseline: comparison, baselineUnavailable: baselineUnavailable))

        var rollbackTarget: (version: String, runID: String?)?
        if definition.rollback.target != "last-known-good" {
            let fixed = definition.rollback.target
            rollbackTarget = fixed == version ? nil : (fixed, try Decision.evidenceRun(store, agent: agent, version: fixed))
        } else if let good = try store.lastKnownGood(agent: agent, excluding: version) {
            rollbackTarget = (good.version, good.runID)
        }
        let liveEvidence = try liveVersion.flatMap { try Decision.evidenceRun(store, agent: agent, version: $0) }
        let recommendation = RecommendationEngine.recommend(RecommendationEngine.Input(
            mode: mode, report: gateReport, comparison: comparison, agent: agent, evaluatedVersion: version, environment: environmentName,
            liveVersion: liveVersion, liveEvidenceRunID: liveEvidence, rollbackTarget: rollbackTarget, tier: pipeline.tier, runID: runID,
            exception: definition.gates.exception, reviewQueue: summary.reviewQueue.count))


        return Decision(comparison: comparison, report: gateReport, recommendation: recommendation)
    }

    /// The run that vouches for a version: its newest known-good run, else its newest passing run.
    static func evidenceRun(_ store: HistoryStore, agent: String, version: String) throws -> String? {
        if let knownGood = try store.knownGoodVersions(agent: agent).first(where: { $0.version == version }) { return knownGood.runID }
        return try store.lastPassingRun(agent: agent, version: version)?.id
    }
}
