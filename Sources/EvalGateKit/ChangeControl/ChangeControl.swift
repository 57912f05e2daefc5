import Foundation

/// Thresholds under change control (an eval lock, docs/change-control.md): a pure function of a
/// run's pipeline, outcome and the evidence read from the history.
///
/// The run's effective gates are compared with those of the agent's last decided run. Any control
/// moved toward easier — a threshold lowered or raised the easy way, a requirement switched off, a
/// must-pass tag or coverage requirement removed, a lower risk tier, guarded cases removed — makes
/// the run inconclusive until the change is approved (`evalgate approve-change`) by the roles the
/// tier's policy names. Tightening needs nobody, and the tightened gates become the reference.
public enum ChangeControl {
    /// The name of the gate a block adds.
    public static let gateName = "change-control"

    public static func assess(
        pipeline: LoadedPipeline, outcome: RunOutcome, evidence: ChangeControlEvidence
    ) -> RunChangeControl {
        let gates = EffectiveGates(tier: pipeline.tier.level, thresholds: pipeline.thresholds)
        let gatesSHA256 = gates.sha256
        let guarded = guardedCases(outcome: outcome, mustPassTags: Set(pipeline.thresholds.mustPassTags))
        var control = RunChangeControl(
            gates: gates, gatesSHA256: gatesSHA256, datasetsSHA256: "", scorersSHA256: scorersSHA256(pipeline.definition),
            tierPolicySHA256: tierPolicySHA256(pipeline.tier), guardedCases: guarded, referenceRunID: evidence.reference?.runID,
            referenceGatesSHA256: evidence.reference?.changeControl.gatesSHA256, changes: [], peerDeviations: [], approvals: [], block: nil,
            changedSincePreviousRun: nil)

        if let reference = evidence.reference?.changeControl {
            control.changes = changes(from: reference, to: gates, guarded: guarded)
        }
        if let allowed = pipeline.tier.peerDeviation, control.referenceGatesSHA256 != gatesSHA256 {
            control.peerDeviations = PeerDeviation.find(gates, peers: evidence.peers, allowed: allowed)
        }
        let loosened = control.loosened
        if !loosened.isEmpty || !control.peerDeviations.isEmpty {
            let requirement = ChangeRequirement.make(loosened: loosened, deviations: control.peerDeviations, authority: pipeline.tier.authority)
            let changeID = control.changeID
            control.approvals = evidence.approvals.filter { $0.changeID == changeID }
            let missing = requirement.missing(given: control.approvals)
            if !missing.isEmpty {
                let agent = pipeline.definition.agent.name
                control.block = ChangeControlBlock(
                    changeID: changeID, loosened: loosened, peerDeviations: control.peerDeviations, requirement: requirement, missing: missing,
                    command: "evalgate approve-change \(shellQuoted(agent)) --by NAME --role ROLE --reason WHY")
            }
        }
        if let previous = evidence.previous {
            control.changedSincePreviousRun = thresholdChange(since: previous, gates: gates, control: control)
        }
        return control
    }

    /// The gate a block adds to the run: inconclusive, naming each loosened control.
    public static func gate(_ block: ChangeControlBlock) -> GateResult {
        let count = block.loosened.count + block.peerDeviations.count
        return GateResult(
            name: gateName, outcome: .inconclusive, measured: "\(count) unapproved change\(count == 1 ? "" : "s")",
            threshold: "approved by " + block.requirement.summary, sentence: block.sentence)
    }

    static func changes(from reference: RunChangeControl, to gates: EffectiveGates, guarded: GuardedCases?) -> [ControlChange] {
        var changes = ControlChange.compare(reference.gates.controls, gates.controls)
        if reference.gates.tier != gates.tier {
            changes.append(
                ControlChange(
                    key: "risk_tier", kind: gates.tier < reference.gates.tier ? .loosened : .tightened, old: String(reference.gates.tier),
                    new: String(gates.tier), safety: true))
        }
        if let removal = ControlChange.guardedCases(old: reference.guardedCases, new: guarded) { changes.append(removal) }
        return changes.sorted { ($0.kind == .loosened ? 0 : 1, $0.key) < ($1.kind == .loosened ? 0 : 1, $1.key) }
    }

    static func thresholdChange(since previous: ChangeControlEvidence.StoredRun, gates: EffectiveGates, control: RunChangeControl)
        -> ThresholdChange?
    {
        let before = previous.changeControl
        guard before.gatesSHA256 != control.gatesSHA256 || before.tierPolicySHA256 != control.tierPolicySHA256 else { return nil }
        let changes = self.changes(from: before, to: gates, guarded: nil)
        let direction = changes.isEmpty ? "policy" : changes.contains { $0.kind == .loosened } ? "loosened" : "tightened"
        var summary = changes.prefix(20).map(\.description).joined(separator: "; ")
        if changes.count > 20 { summary += "; … and \(changes.count - 20) more" }
        if changes.isEmpty { summary = "the tier's policy text changed (authority, notes); its gates did not" }
        return ThresholdChange(
            previousRunID: previous.runID, previousGatesSHA256: before.gatesSHA256, previousTierPolicySHA256: before.tierPolicySHA256,
            direction: direction, summary: summary)
    }

    /// Critical and must-pass cases, when every case the datasets hold has an outcome (a run with
    /// `--filter`, `--limit`, `--sample`, stopped early or missing cases cannot tell what was removed).
    static func guardedCases(outcome: RunOutcome, mustPassTags: Set<String>) -> GuardedCases? {
        let outcomes = outcome.outcomes
        guard outcome.missingCases == 0, outcome.stopReason == nil, outcome.availableCases > 0, outcomes.count == outcome.availableCases
        else { return nil }
        return GuardedCases(ids: outcomes.lazy.filter { $0.critical || !mustPassTags.isDisjoint(with: $0.tags) }.map(\.id))
    }

    /// SHA-256 of the tier as the policy defines it: thresholds, authority and the rest.
    static func tierPolicySHA256(_ tier: RiskTier) -> String {
        guard let data = try? JSONCoding.encoder().encode(tier) else { return "unencodable" }
        return ChangeControlHash.sha256(data)
    }

    /// SHA-256 of the pipeline's default scorers as JSON. (The judge is left out: its endpoint
    /// may carry interpolated secrets, and a hash of a short secret can be guessed.)
    static func scorersSHA256(_ definition: PipelineDefinition) -> String {
        guard let data = try? JSONCoding.encoder().encode(definition.scorers) else { return "unencodable" }
        return ChangeControlHash.sha256(data)
    }

    /// SHA-256 over a run's dataset hashes: `path sha256` per dataset, sorted by path.
    public static func datasetsSHA256(_ hashes: [String: String]) -> String {
        ChangeControlHash.sha256(hashes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)\n" }.joined())
    }

    static func shellQuoted(_ text: String) -> String {
        text.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) } ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
