import Foundation

/// A run's section on change control (`RunRecord.changeControl`): the effective gates it was
/// decided by, hashes of its gates, datasets and scorers, how the gates differ from the agent's
/// last decided run (the reference), and — when they are looser and not yet approved — the block
/// that made the run inconclusive.
public struct RunChangeControl: Sendable, Equatable, Codable {
    public var gates: EffectiveGates
    /// SHA-256 of `gates.canonicalText`.
    public var gatesSHA256: String
    /// SHA-256 over the datasets' hashes (`path sha256` lines, sorted by path).
    public var datasetsSHA256: String
    /// SHA-256 of the pipeline's scorers (and judge) as JSON.
    public var scorersSHA256: String
    /// SHA-256 of the run's tier as the policy defines it (thresholds and authority).
    public var tierPolicySHA256: String
    /// Critical and must-pass cases, when the run went through every case of its datasets.
    public var guardedCases: GuardedCases?
    /// The agent's last decided run whose gates were in force (no block), compared with.
    public var referenceRunID: String?
    public var referenceGatesSHA256: String?
    /// Every control that differs from the reference's, loosened first.
    public var changes: [ControlChange]
    /// Pass-rate gates looser than the same tier's other agents by more than `peer_deviation`.
    public var peerDeviations: [PeerDeviation]
    /// Approvals of this change on record when the run was decided.
    public var approvals: [ChangeApproval]
    /// Set when the run is inconclusive because its gates changed without the approvals needed.
    public var block: ChangeControlBlock?
    /// The gates or the tier policy differ from the agent's previous run's: the history's audit
    /// log gets a `thresholds-changed` entry when the run is first recorded.
    public var changedSincePreviousRun: ThresholdChange?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case gates, gatesSHA256, datasetsSHA256, scorersSHA256, tierPolicySHA256, guardedCases, referenceRunID, referenceGatesSHA256
        case changes, peerDeviations, approvals, block, changedSincePreviousRun
    }

    /// The id an approval of this run's change names: the gates' hash, or — when guarded cases
    /// were removed — the hash of both, so approving a threshold does not approve a removal.
    public var changeID: String {
        changes.contains { $0.key == "guarded_cases" } ? ChangeControlHash.sha256(gatesSHA256 + " " + (guardedCases?.sha256 ?? "-")) : gatesSHA256
    }

    public var loosened: [ControlChange] { changes.filter { $0.kind == .loosened } }
}

/// Why a run was held inconclusive by change control, and how to lift it.
public struct ChangeControlBlock: Sendable, Equatable, Codable {
    /// What `evalgate approve-change` approves (`RunChangeControl.changeID`).
    public var changeID: String
    /// Each loosened control, old → new.
    public var loosened: [ControlChange]
    public var peerDeviations: [PeerDeviation]
    public var requirement: ChangeRequirement
    /// What is still missing ("risk officer", "1 more approver (…)").
    public var missing: [String]
    /// The command that approves the change.
    public var command: String

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case changeID, loosened, peerDeviations, requirement, missing, command
    }

    /// One paragraph for reports and the gate's sentence.
    public var sentence: String {
        var parts: [String] = []
        if !loosened.isEmpty {
            parts.append("the gates were loosened since the last decided run: " + loosened.map(\.description).joined(separator: "; "))
        }
        if !peerDeviations.isEmpty { parts.append(peerDeviations.map(\.description).joined(separator: "; ")) }
        return "Change control: " + parts.joined(separator: "; and ") + ". Needs \(requirement.summary); missing: \(missing.joined(separator: ", "))."
    }
}

/// How a run's gates or tier policy differ from the agent's previous run's, for the audit log.
public struct ThresholdChange: Sendable, Equatable, Codable {
    public var previousRunID: String
    public var previousGatesSHA256: String
    public var previousTierPolicySHA256: String
    /// loosened, tightened, or policy (the tier's text changed but not its gates).
    public var direction: String
    /// The changed controls, `key old → new`, `; `-separated (bounded).
    public var summary: String

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case previousRunID, previousGatesSHA256, previousTierPolicySHA256, direction, summary
    }
}

extension RunChangeControl {
    /// The evidence of the `thresholds-changed` audit entry, when the run first saw a change.
    public var auditEvidence: [String: String]? {
        guard let change = changedSincePreviousRun else { return nil }
        return [
            "gates_sha256": gatesSHA256, "previous_gates_sha256": change.previousGatesSHA256, "tier_policy_sha256": tierPolicySHA256,
            "previous_tier_policy_sha256": change.previousTierPolicySHA256, "previous_run": change.previousRunID, "direction": change.direction,
            "changes": change.summary,
        ]
    }
}
