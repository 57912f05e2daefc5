import Foundation

/// `evalgate approve-change`: finds the change of an agent's gates that awaits approval and
/// records a person's approval of it, after checking the role against what the tier's policy
/// names. Every refusal happens before anything is written.
public struct ChangeControlApprover: Sendable {
    public var history: any RunHistory

    public init(history: any RunHistory) {
        self.history = history
    }

    /// The change awaiting approval: the agent's newest run held by a change-control block.
    public struct PendingChange: Sendable, Equatable {
        public var run: RunRecord
        public var block: ChangeControlBlock
        /// Approvals of this change recorded so far (also those after the run).
        public var approvals: [ChangeApproval]

        /// What the approvals still lack; empty once the next run will decide normally.
        public var missing: [String] { block.requirement.missing(given: approvals) }
        public var isApproved: Bool { missing.isEmpty }
    }

    public enum Failure: Error, Equatable, LocalizedError {
        case noRuns(agent: String)
        case nothingPending(agent: String, runID: String)
        case otherChange(given: String, pending: String)
        case roleNotNamed(role: String, allowed: [String], tier: Int)
        case alreadyApprovedBy(person: String, role: String)
        case roleAlreadyApproved(role: String, by: String, missing: [String])
        case alreadyApproved(changeID: String)
        case emptyField(String)

        public var errorDescription: String? {
            switch self {
            case .noRuns(let agent): "the history has no run of '\(agent)' with recorded gates"
            case .nothingPending(let agent, let runID):
                "no change of \(agent)'s gates awaits approval (its newest run \(runID) was not held by change control)"
            case .otherChange(let given, let pending):
                "--change \(given) is not the change awaiting approval (\(pending.prefix(12))…); run --show to see it"
            case .roleNotNamed(let role, let allowed, let tier):
                "'\(role)' is not a role tier \(tier)'s policy lets approve a change of the gates; roles: \(allowed.joined(separator: ", "))"
            case .alreadyApprovedBy(let person, let role): "\(person) already approved this change (as \(role)); a second approver is needed"
            case .roleAlreadyApproved(let role, let by, let missing):
                "the role '\(role)' already approved this change (\(by)); still needed: \(missing.joined(separator: ", "))"
            case .alreadyApproved(let changeID):
                "change \(changeID.prefix(12))… is already approved by every role it needs; run the pipeline again"
            case .emptyField(let name): "\(name) must not be empty"
            }
        }
    }

    /// The agent's pending change: among the newest run of each of its pipelines, the newest held
    /// by a change-control block (the one whose id starts with `change`, when given).
    /// `Failure.noRuns` when the agent has no run with gates recorded, `Failure.nothingPending`
    /// when no pipeline's newest run was held, `Failure.otherChange` when none matches `change`.
    public func pending(agent: String, change: String? = nil) async throws -> PendingChange {
        let runs = try await history.runs(agent: agent, pipeline: nil, verdict: nil, limit: ChangeControlEvidence.agentRunLimit)
            .filter { $0.shard == nil && $0.changeControl != nil }
        guard let newest = runs.first else { throw Failure.noRuns(agent: agent) }
        var seen = Set<String>()
        let held = runs.filter { seen.insert($0.pipeline).inserted && $0.changeControl?.block != nil }
        guard !held.isEmpty else { throw Failure.nothingPending(agent: agent, runID: newest.id) }
        var chosen = held[0]
        if let change {
            guard !change.isEmpty, let match = held.first(where: { $0.changeControl?.block?.changeID.hasPrefix(change.lowercased()) == true })
            else { throw Failure.otherChange(given: change, pending: held[0].changeControl?.block?.changeID ?? "") }
            chosen = match
        }
        let block = chosen.changeControl!.block!
        let approvals = ChangeControlEvidence.approvals(
            try await history.changeApprovals(agent: agent), runs: runs, since: chosen.changeControl?.referenceRunID
        ).filter { $0.changeID == block.changeID }
        return PendingChange(run: chosen, block: block, approvals: approvals)
    }

    /// Records `person`'s approval of the pending change in `role`, and returns the change as it
    /// now stands. `change`, when given, must be a prefix of the pending change's id.
    public func approve(agent: String, by person: String, role: String, reason: String, change: String? = nil, at date: Date = Date())
        async throws -> PendingChange
    {
        let person = person.trimmingCharacters(in: .whitespaces)
        let reason = reason.trimmingCharacters(in: .whitespaces)
        guard !person.isEmpty else { throw Failure.emptyField("--by") }
        guard !reason.isEmpty else { throw Failure.emptyField("--reason") }
        var pending = try await pending(agent: agent, change: change)
        let block = pending.block
        func folded(_ text: String) -> String { text.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let policyRole = block.requirement.allowedRoles.first(where: { folded($0) == folded(role) }) else {
            throw Failure.roleNotNamed(role: role, allowed: block.requirement.allowedRoles, tier: pending.run.tier)
        }
        guard !pending.isApproved else { throw Failure.alreadyApproved(changeID: block.changeID) }
        if let earlier = pending.approvals.first(where: { folded($0.approvedBy) == folded(person) }) {
            throw Failure.alreadyApprovedBy(person: earlier.approvedBy, role: earlier.role)
        }
        if let earlier = pending.approvals.first(where: { $0.role == policyRole }) {
            throw Failure.roleAlreadyApproved(role: policyRole, by: earlier.approvedBy, missing: pending.missing)
        }
        let approval = try await history.approveChange(
            ChangeApproval(
                agent: agent, changeID: block.changeID, runID: pending.run.id, approvedBy: person, role: policyRole, reason: reason, approvedAt: date
            ))
        pending.approvals.append(approval)
        return pending
    }
}
