import Foundation

/// Decides what the owner should do with a verdict, in release or monitor mode, and gathers the
/// evidence: the deciding gates, the regressed cases, the versions and runs involved, who may act.
public enum RecommendationEngine {
    public struct Input: Sendable {
        public var mode: Recommendation.Mode
        public var report: GateReport
        public var comparison: BaselineComparison?
        public var agent: String
        public var evaluatedVersion: String
        public var environment: String
        /// The version live in `environment` now, and its last passing run.
        public var liveVersion: String?
        public var liveEvidenceRunID: String?
        /// Where to roll back to: the newest known-good version other than the evaluated one (or the pipeline's fixed target).
        public var rollbackTarget: (version: String, runID: String?)?
        public var tier: RiskTier
        public var runID: String
        public var exception: GateException?
        public var reviewQueue: Int
        /// What the agent could act on, and the change since its last passing run (docs/signoff.md).
        public var scope: RunScope? = nil
        /// When the run ended: rollback notification deadlines count from it.
        public var decidedAt: Date? = nil

        public init(
            mode: Recommendation.Mode, report: GateReport, comparison: BaselineComparison?, agent: String, evaluatedVersion: String,
            environment: String,
            liveVersion: String?, liveEvidenceRunID: String?, rollbackTarget: (version: String, runID: String?)?, tier: RiskTier, runID: String,
            exception: GateException?, reviewQueue: Int
        ) {
            self.mode = mode
            self.report = report
            self.comparison = comparison
            self.agent = agent
            self.evaluatedVersion = evaluatedVersion
            self.environment = environment
            self.liveVersion = liveVersion
            self.liveEvidenceRunID = liveEvidenceRunID
            self.rollbackTarget = rollbackTarget
            self.tier = tier
            self.runID = runID
            self.exception = exception
            self.reviewQueue = reviewQueue
        }
    }

    public static func recommend(_ input: Input) -> Recommendation {
        let verdict = input.report.verdict
        let deciding = input.report.gates.filter { verdict == .pass ? true : $0.outcome == verdict }
        let evidence = deciding.map { "\($0.name): \($0.measured) vs \($0.threshold) (\($0.outcome.rawValue))" }
        var recommendation = Recommendation(
            action: .rerun, mode: input.mode, verdict: verdict, agent: input.agent, evaluatedVersion: input.evaluatedVersion,
            liveVersion: input.liveVersion, targetVersion: nil, environment: input.environment, summary: "", evidence: evidence,
            regressedCases: input.comparison?.regressedCases ?? [], targetEvidenceRunID: nil, rerunAdvice: nil, authority: input.tier.authority,
            runID: input.runID, exception: input.exception)
        let signOffRoles = ReleaseSignOff.requiredRoles(
            approvers: input.tier.authority.approvers, scopeExpanded: input.scope?.change?.isExpansion == true)
        let once = signOffRoles.isEmpty ? "" : " once signed off by \(ReleaseSignOff.list(signOffRoles))"
        switch (input.mode, verdict) {
        case (.release, .pass):
            recommendation.action = .promote
            recommendation.targetVersion = input.evaluatedVersion
            recommendation.targetEvidenceRunID = input.runID
            recommendation.summary =
                "Promote \(input.agent) \(input.evaluatedVersion) to \(input.environment)\(once): every gate of tier \(input.tier.level) passed; this run makes it known-good."
        case (.release, .fail):
            recommendation.action = .block
            recommendation.targetVersion = input.liveVersion
            recommendation.targetEvidenceRunID = input.liveEvidenceRunID
            let keep =
                input.liveVersion.map {
                    "keep \($0) live" + (input.liveEvidenceRunID.map { " (last passing run \($0))" } ?? " (no passing run of it on record)")
                } ?? "nothing is recorded as live in \(input.environment)"
            recommendation.summary =
                "Block \(input.agent) \(input.evaluatedVersion): \(deciding.count) gate\(deciding.count == 1 ? "" : "s") failed; \(keep)."
        case (.monitor, .pass):
            recommendation.action = .keep
            recommendation.targetVersion = input.evaluatedVersion
            recommendation.targetEvidenceRunID = input.runID
            recommendation.summary = "Keep \(input.agent) \(input.evaluatedVersion) in \(input.environment): every gate passed."
        case (.monitor, .fail):
            if let target = input.rollbackTarget {
                recommendation.action = .rollback
                recommendation.targetVersion = target.version
                recommendation.targetEvidenceRunID = target.runID
                let proof = target.runID.map { " (known-good since run \($0))" } ?? ""
                let rollers =
                    input.tier.authority.rollback.isEmpty ? "" : " Who may roll back: \(input.tier.authority.rollback.joined(separator: ", "))."
                recommendation.summary =
                    "Roll \(input.agent) in \(input.environment) back from \(input.evaluatedVersion) to \(target.version)\(proof): \(deciding.count) gate\(deciding.count == 1 ? "" : "s") failed.\(rollers)"
            } else {
                recommendation.action = .escalate
                recommendation.summary =
                    "Escalate: \(input.agent) \(input.evaluatedVersion) fails in \(input.environment) and there is no known-good version to roll back to. A person with rollback authority must decide (disable the agent, or fix forward)."
            }
        case (_, .inconclusive):
            recommendation.action = .rerun
            recommendation.targetVersion = input.mode == .release ? input.liveVersion : input.evaluatedVersion
            recommendation.rerunAdvice = rerunAdvice(input, deciding: deciding)
            recommendation.summary =
                "Inconclusive: \(deciding.count) gate\(deciding.count == 1 ? " was" : "s were") not decided. Do not \(input.mode == .release ? "promote" : "act") yet; \(recommendation.rerunAdvice!)"
        }
        addSignOffAndNotification(&recommendation, input, signOffRoles: signOffRoles)
        if let exception = input.exception {
            recommendation.summary +=
                " Note: this pipeline loosens its tier under an exception approved by \(exception.approvedBy) (\(exception.reason))."
        }
        return recommendation
    }

    static func rerunAdvice(_ input: Input, deciding: [GateResult]) -> String {
        var advice: [String] = []
        for gate in deciding {
            switch gate.name {
            case "completeness": advice.append("resume the run with `evalgate run --resume \(input.runID)`")
            case "error-rate":
                advice.append("fix the agent's availability and re-send the failed calls with `evalgate run --retry-errors \(input.runID)`")
            case "min-cases":
                if let needed = gate.thresholdValue, let have = gate.measuredValue {
                    advice.append("add at least \(Int(needed - have)) cases (or widen --filter/--limit)")
                }
            case "regression":
                advice.append(
                    gate.measured == "no baseline"
                        ? "establish a baseline (a passing run of the live version; `evalgate deploy record` names what is live)"
                        : "add cases to narrow the regression interval")
            case "cost-per-case": advice.append("give the pipeline 'pricing' and an endpoint that reports token usage")
            case ChangeControl.gateName:
                advice.append(
                    "have the change of the gates approved with `evalgate approve-change \(ChangeControl.shellQuoted(input.agent)) --by NAME --role ROLE --reason WHY` (\(gate.threshold); `--show` lists it), then run again"
                )
            default:
                if gate.name.hasPrefix("pass-rate"),
                    let needed = GateEvaluator.casesNeeded(
                        rate: gate.measuredValue ?? 0, minimum: gate.thresholdValue ?? 1,
                        confidence: input.tier.thresholds.confidence ?? TierThresholds.defaultConfidence)
                {
                    advice.append("run about \(needed) cases so the pass-rate lower bound can clear the threshold")
                } else if gate.name.hasPrefix("coverage:") {
                    advice.append("run more \(gate.name.dropFirst("coverage:".count)) cases")
                } else {
                    advice.append("rerun (\(gate.name): \(gate.sentence))")
                }
            }
        }
        if input.reviewQueue > 0 { advice.append("have a person review \(input.reviewQueue) queued cases (`evalgate review`)") }
        var seen = Set<String>()
        return advice.filter { seen.insert($0).inserted }.joined(separator: "; ")
    }
}
