import Foundation

/// Where a release's sign-off stands: the roles the tier's policy requires (plus the agent owner
/// when the agent's scope expanded), the sign-offs and rejections in force (the newest decision
/// of each role), and the roles still missing. docs/signoff.md.
public struct ReleaseSignOff: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Some required role has not signed off yet.
        case pending
        /// Every required role signed off.
        case signedOff = "signed-off"
        /// A role rejected the release: it escalates to the policy's `authority.escalation`.
        case rejected
    }

    public var state: State
    /// The roles that must sign off, as the policy spells them.
    public var required: [String]
    /// Required roles with no sign-off in force.
    public var missing: [String]
    /// The newest decision of each role that signed off.
    public var signedOff: [SignOff]
    /// The newest decision of each role that rejected.
    public var rejected: [SignOff]
    /// Rejected: the body the policy escalates to, when it names one.
    public var escalateTo: String?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case state, required, missing, signedOff, rejected, escalateTo
    }

    /// The status given every decision recorded so far (any order; the newest — the highest id — per role counts).
    public init(required: [String], decisions: [SignOff], escalation: String?) {
        self.required = required
        var newest: [String: SignOff] = [:]
        for decision in decisions.sorted(by: { $0.id < $1.id }) {
            newest[SignOffRole.key(decision.role)] = decision
        }
        let inForce = required.compactMap { newest[SignOffRole.key($0)] }
        signedOff = inForce.filter { $0.decision == .approve }
        rejected = inForce.filter { $0.decision == .reject }
        missing = required.filter { newest[SignOffRole.key($0)]?.decision != .approve }
        if !rejected.isEmpty {
            state = .rejected
            escalateTo = escalation
        } else {
            state = missing.isEmpty ? .signedOff : .pending
        }
    }

    /// The roles a release run needs: the policy's `approvers`, and the agent owner as well when
    /// the agent's scope expanded (if the policy does not list the owner already).
    public static func requiredRoles(approvers: [String], scopeExpanded: Bool) -> [String] {
        var roles = approvers
        if scopeExpanded && SignOffRole.match(SignOffRole.owner, in: roles) == nil { roles.append(SignOffRole.owner) }
        return roles
    }

    /// The roles `record` needs: as its recommendation recorded them, else from its authority and scope.
    public static func requiredRoles(for record: RunRecord) -> [String] {
        requiredRoles(
            recorded: record.recommendation.signOff?.required, approvers: record.recommendation.authority.approvers,
            scopeExpanded: record.scope?.change?.isExpansion == true)
    }

    /// The roles as the recommendation recorded them (`recorded`), else from the authority's
    /// approvers and the scope: what the portfolio reads of a record without decoding it whole.
    public static func requiredRoles(recorded: [String]?, approvers: [String], scopeExpanded: Bool) -> [String] {
        recorded ?? requiredRoles(approvers: approvers, scopeExpanded: scopeExpanded)
    }

    /// "agent owner and risk officer", "a, b and c".
    public static func list(_ roles: [String]) -> String {
        switch roles.count {
        case 0: return ""
        case 1: return roles[0]
        default: return roles.dropLast().joined(separator: ", ") + " and " + roles[roles.count - 1]
        }
    }

    /// One line for reports: "signed off by risk officer (Dana Okafor); waiting for agent owner".
    public var sentence: String {
        var parts: [String] = []
        if !signedOff.isEmpty {
            parts.append("signed off by " + signedOff.map { "\($0.role) (\($0.signedBy))" }.joined(separator: ", "))
        }
        if !rejected.isEmpty {
            parts.append(
                "rejected by " + rejected.map { "\($0.role) (\($0.signedBy)\($0.reason.map { ": \($0)" } ?? ""))" }.joined(separator: ", "))
        }
        switch state {
        case .pending: parts.append("waiting for " + Self.list(missing))
        case .signedOff: parts.append("every required role signed off")
        case .rejected: parts.append(escalateTo.map { "escalate to \($0)" } ?? "escalate: the policy names no escalation body")
        }
        return parts.joined(separator: "; ")
    }
}
