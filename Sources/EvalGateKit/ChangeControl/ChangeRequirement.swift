/// Who must approve a change of the effective gates before runs are decided by them again.
public struct ChangeRequirement: Sendable, Equatable, Codable {
    /// Distinct approvers (distinct people with distinct roles) needed.
    public var approvers: Int
    /// Roles that must be among them (the risk role, the escalation role).
    public var requiredRoles: [String]
    /// Every role that may approve a change on this tier: the tier's release approvers, its risk
    /// role and its escalation role.
    public var allowedRoles: [String]

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case approvers, requiredRoles, allowedRoles
    }

    public init(approvers: Int, requiredRoles: [String], allowedRoles: [String]) {
        self.approvers = approvers
        self.requiredRoles = requiredRoles
        self.allowedRoles = allowedRoles
    }

    /// The rule (docs/change-control.md): any loosening needs one approver with a role the tier
    /// names; a reduced safety control on a tier that names a risk role needs two, one of them the
    /// risk role; gates far from the peers' need the escalation role as well.
    public static func make(loosened: [ControlChange], deviations: [PeerDeviation], authority: RiskTier.Authority) -> ChangeRequirement {
        var allowed: [String] = []
        for role in authority.approvers + [authority.riskRole, authority.escalationRole].compactMap({ $0 }) where !allowed.contains(role) {
            allowed.append(role)
        }
        var required: [String] = []
        var count = 1
        if let risk = authority.riskRole, loosened.contains(where: \.safety) {
            required.append(risk)
            count = 2
        }
        if !deviations.isEmpty, let escalation = authority.escalationRole, !required.contains(escalation) {
            required.append(escalation)
        }
        return ChangeRequirement(approvers: max(count, required.count), requiredRoles: required, allowedRoles: allowed)
    }

    /// Whether `approvals` meet the requirement: enough distinct people with distinct allowed roles,
    /// the required roles among them.
    public func isMet(by approvals: [ChangeApproval]) -> Bool {
        missing(given: approvals).isEmpty
    }

    /// What is still missing, in words ("the risk officer", "1 more approver"); empty when met.
    public func missing(given approvals: [ChangeApproval]) -> [String] {
        var people = Set<String>()
        var roles: [String] = []
        for approval in approvals where allowedRoles.contains(approval.role) && !roles.contains(approval.role) {
            guard people.insert(approval.approvedBy.lowercased()).inserted else { continue }
            roles.append(approval.role)
        }
        var missing = requiredRoles.filter { !roles.contains($0) }
        let more = approvers - roles.count - missing.count
        if more > 0 { missing.append("\(more) more approver\(more == 1 ? "" : "s") (\(allowedRoles.joined(separator: ", ")))") }
        return missing
    }

    /// "2 approvers with distinct roles, including risk officer" for messages.
    public var summary: String {
        var text = approvers == 1 ? "1 approver" : "\(approvers) approvers with distinct roles"
        if !requiredRoles.isEmpty { text += ", including \(requiredRoles.joined(separator: " and "))" }
        return text + " (roles: \(allowedRoles.joined(separator: ", ")))"
    }
}
