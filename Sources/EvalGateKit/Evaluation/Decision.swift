import Foundation

/// The decision stage: the baseline comparison, the gates and the recommendation.
///
/// A pure function of the run's outcome, its pipeline (tier and gates) and the evidence read from
/// the history beforehand (`DecisionEvidence`), so a fresh run, a run re-decided after people
/// labelled its queued cases, and any later re-decision reach the same verdict from the same facts.
public struct Decision: Sendable {
    public var comparison: BaselineComparison?
    public var report: GateReport
    public var recommendation: Recommendation
    /// What the agent could act on, compared with its last passing run (`RunRecord.scope`).
    public var scope: RunScope? = nil
    /// The run's effective gates and any change-control block (docs/change-control.md); nil when
    /// the evidence had no change-control part (a shard).
    public var changeControl: RunChangeControl? = nil

    /// What a run is: the subject of a decision.
    public struct Subject: Sendable {
        public var runID: String
        public var pipeline: LoadedPipeline
        public var mode: Recommendation.Mode
        /// The deployment environment the run is about.
        public var environment: String

        public init(runID: String, pipeline: LoadedPipeline, mode: Recommendation.Mode, environment: String) {
            self.runID = runID
            self.pipeline = pipeline
            self.mode = mode
            self.environment = environment
        }
    }

    public static func make(_ subject: Subject, outcome: RunOutcome, evidence: DecisionEvidence) -> Decision {
        let pipeline = subject.pipeline
        let definition = pipeline.definition
        let confidence = pipeline.thresholds.confidence ?? TierThresholds.defaultConfidence
        let margin = pipeline.thresholds.maxRegression ?? 0
        var comparison: BaselineComparison?
        var baselineUnavailable: String?
        switch evidence.baseline {
        case .cases(let runID, let version, let cases):
            comparison = BaselineComparator.compare(
                candidate: outcome.outcomes, baseline: cases, baselineRunID: runID, baselineVersion: version, margin: margin, confidence: confidence)
        case .unavailable(let reason):
            baselineUnavailable = reason
        }

        let tierLabel = "tier \(pipeline.tier.level) (\(pipeline.tier.name))"
        var report = GateEvaluator(thresholds: pipeline.thresholds, tierLabel: tierLabel).evaluate(
            GateEvaluator.Input(
                summary: outcome.summary, outcomes: outcome.outcomes, selectedCases: outcome.selectedCases, missingCases: outcome.missingCases,
                stopReason: outcome.stopReason, baseline: comparison, baselineUnavailable: baselineUnavailable, sequential: outcome.sequential))
        if let merge = outcome.merge, !merge.missingShards.isEmpty {
            // A missing shard is missing data, never a pass: the merged run names it.
            let missing = merge.missingShards.map { "\($0)/\(merge.count)" }.joined(separator: ", ")
            report = GateReport(
                gates: report.gates + [
                    GateResult(
                        name: "shards", outcome: .inconclusive, measured: "\(merge.shards.count) of \(merge.count) shards",
                        threshold: "all \(merge.count) shards", measuredValue: Double(merge.shards.count), thresholdValue: Double(merge.count),
                        sentence:
                            "Shard\(merge.missingShards.count == 1 ? "" : "s") \(missing) of group \(merge.group) did not report; the verdict cannot rest on part of the run."
                    )
                ])
        }
        var scope = RunScope(definition)
        if let previous = evidence.previousScope {
            scope = scope.compared(with: previous.scope, runID: previous.runID, version: previous.version)
        }
        var changeControl: RunChangeControl?
        if let changeEvidence = evidence.changeControl {
            let control = ChangeControl.assess(pipeline: pipeline, outcome: outcome, evidence: changeEvidence)
            if let block = control.block { report = GateReport(gates: report.gates + [ChangeControl.gate(block)]) }
            changeControl = control
        }
        var input = RecommendationEngine.Input(
            mode: subject.mode, report: report, comparison: comparison, agent: definition.agent.name, evaluatedVersion: definition.agent.version,
            environment: subject.environment, liveVersion: evidence.liveVersion, liveEvidenceRunID: evidence.liveEvidenceRunID,
            rollbackTarget: evidence.rollbackTarget.map { ($0.version, $0.runID) }, tier: pipeline.tier, runID: subject.runID,
            exception: definition.gates.exception, reviewQueue: outcome.summary.reviewQueue.count)
        input.scope = scope
        input.decidedAt = outcome.endedAt
        var recommendation = RecommendationEngine.recommend(input)
        recommendation.autonomy = AutonomyAdvice.make(
            policy: pipeline.tier.autonomy, recorded: evidence.autonomyLevel, agent: definition.agent.name, mode: subject.mode,
            verdict: report.verdict, action: recommendation.action)
        recommendation.changeControl = changeControl?.block
        return Decision(comparison: comparison, report: report, recommendation: recommendation, scope: scope, changeControl: changeControl)
    }

    /// Whether recording this decision makes the run's version known-good: the one known-good rule.
    /// A promote (release) or keep (monitor) is the gate vouching for the version.
    public var marksKnownGood: Bool {
        recommendation.action == .promote || recommendation.action == .keep
    }
}

/// What a decision needs from outside the run: the baseline's cases, what is live, where a
/// rollback would go. Read once, before deciding, so the decision itself stays pure.
public struct DecisionEvidence: Sendable {
    public enum Baseline: Sendable {
        /// The baseline run's cases, to compare the candidate with case by case.
        case cases(runID: String, version: String, [CaseOutcome])
        /// No baseline, and why.
        case unavailable(String)
    }

    public struct RollbackTarget: Sendable, Equatable {
        public var version: String
        /// The run vouching for it, when the history has one.
        public var runID: String?

        public init(version: String, runID: String?) {
            self.version = version
            self.runID = runID
        }
    }

    public var baseline: Baseline
    /// The version live in the run's environment, and the run vouching for it.
    public var liveVersion: String?
    public var liveEvidenceRunID: String?
    public var rollbackTarget: RollbackTarget?
    /// The scope of the agent's last passing run, which this run's scope is compared with.
    public var previousScope: PreviousScope? = nil

    public struct PreviousScope: Sendable, Equatable {
        public var runID: String
        public var version: String
        public var scope: RunScope

        public init(runID: String, version: String, scope: RunScope) {
            self.runID = runID
            self.version = version
            self.scope = scope
        }
    }
    /// The agent's recorded autonomy level (nil: none recorded, it is at its ladder's first level).
    public var autonomyLevel: String?
    /// The history's side of change control; nil skips it.
    public var changeControl: ChangeControlEvidence?

    public init(
        baseline: Baseline, liveVersion: String?, liveEvidenceRunID: String?, rollbackTarget: RollbackTarget?, autonomyLevel: String? = nil,
        changeControl: ChangeControlEvidence? = nil
    ) {
        self.autonomyLevel = autonomyLevel
        self.changeControl = changeControl
        self.baseline = baseline
        self.liveVersion = liveVersion
        self.liveEvidenceRunID = liveEvidenceRunID
        self.rollbackTarget = rollbackTarget
    }

    /// Reads the evidence for `subject` from the history (and the baseline file, when the pipeline
    /// names one), following the one baseline rule (`RunHistory.baseline`).
    public static func gather(for subject: Decision.Subject, from history: any RunHistory) async throws -> DecisionEvidence {
        let definition = subject.pipeline.definition
        let agent = definition.agent.name
        let version = definition.agent.version
        let liveVersion = try await history.liveVersion(agent: agent, environment: subject.environment)

        let baseline: Baseline
        switch definition.baseline.source {
        case .none:
            baseline = .unavailable("the pipeline sets baseline.from: none")
        case .file:
            let path = definition.baseline.file ?? ""
            do {
                let file = try ResultFile.read(path: path)
                baseline = .cases(runID: file.record.id, version: file.record.version, file.cases.map(CaseOutcome.init))
            } catch {
                baseline = .unavailable("the baseline file \(path) cannot be read: \(error.localizedDescription)")
            }
        case .history:
            switch try await history.baseline(
                agent: agent, candidateVersion: version, environment: subject.environment, mode: subject.mode,
                pinnedVersion: definition.baseline.version, excludingRun: subject.runID)
            {
            case .found(let baselineVersion, let runID):
                baseline = .cases(runID: runID, version: baselineVersion, try await history.caseOutcomes(runID: runID))
            case .unavailable(let reason):
                baseline = .unavailable(reason)
            }
        }

        var rollbackTarget: RollbackTarget?
        if definition.rollback.target != "last-known-good" {
            let fixed = definition.rollback.target
            if fixed != version {
                rollbackTarget = RollbackTarget(version: fixed, runID: try await history.evidenceRun(agent: agent, version: fixed))
            }
        } else if let good = try await history.lastKnownGood(agent: agent, excluding: version) {
            rollbackTarget = RollbackTarget(version: good.version, runID: good.runID)
        }
        var liveEvidence: String?
        if let liveVersion { liveEvidence = try await history.evidenceRun(agent: agent, version: liveVersion) }
        var evidence = DecisionEvidence(
            baseline: baseline, liveVersion: liveVersion, liveEvidenceRunID: liveEvidence, rollbackTarget: rollbackTarget,
            changeControl: try await ChangeControlEvidence.gather(for: subject, from: history))
        evidence.previousScope = try await previousScope(agent: agent, excluding: subject.runID, history)
        evidence.autonomyLevel = try await history.autonomyChanges(agent: agent, limit: 1).first?.toLevel
        return evidence
    }
}

extension CaseOutcome {
    /// What a baseline comparison needs of a full case result.
    public init(_ result: CaseResult) {
        self.init(id: result.id, status: result.status, score: result.score, cluster: result.cluster, tags: result.tags, critical: result.critical)
    }
}

extension DecisionEvidence {
    /// The scope of the agent's newest passing run (any mode and pipeline) other than `runID`: the
    /// last scope evalgate vouched for. A failed or inconclusive run does not move it, so a tool
    /// added in a failed candidate is still an expansion when the fixed candidate passes. Nil when
    /// the agent has no passing run, or that run predates scope recording.
    static func previousScope(agent: String, excluding runID: String, _ history: any RunHistory) async throws -> PreviousScope? {
        for run in try await history.runs(agent: agent, pipeline: nil, verdict: .pass, limit: 20) where run.id != runID && run.shard == nil {
            return run.scope.map { PreviousScope(runID: run.id, version: run.version, scope: $0) }
        }
        return nil
    }
}
