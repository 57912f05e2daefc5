import Foundation

/// A named reviewer's decision on a release run, in one of the roles the tier's `authority.approvers`
/// names: a sign-off, or a rejection that escalates the release (docs/signoff.md). Append-only in
/// the history; for each role the newest decision is the one in force.
public struct SignOff: Sendable, Equatable, Codable {
    public enum Decision: String, Sendable, Codable, CaseIterable {
        /// The role signs the release off.
        case approve
        /// The role disagrees: the release escalates to the policy's `authority.escalation`.
        case reject
    }

    /// The history's id of the row.
    public var id: Int64
    public var runID: String
    /// The role as the run's tier policy spells it (`risk officer`).
    public var role: String
    public var decision: Decision
    public var signedBy: String
    public var reason: String?
    public var recordedAt: Date

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, runID, role, decision, signedBy, reason, recordedAt
    }

    public init(id: Int64, runID: String, role: String, decision: Decision, signedBy: String, reason: String?, recordedAt: Date) {
        self.id = id
        self.runID = runID
        self.role = role
        self.decision = decision
        self.signedBy = signedBy
        self.reason = reason
        self.recordedAt = recordedAt
    }
}

/// Role names as people type them: `risk officer`, `Risk-Officer` and `risk_officer` are one role.
public enum SignOffRole {
    /// The comparison key: lowercased, `-` and `_` read as spaces, runs of spaces collapsed.
    public static func key(_ role: String) -> String {
        role.lowercased().replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// The role of `roles` that `given` names, as `roles` spells it.
    public static func match(_ given: String, in roles: [String]) -> String? {
        let wanted = key(given)
        return roles.first { key($0) == wanted }
    }

    /// The role whose sign-off a scope expansion needs (docs/signoff.md).
    public static let owner = "agent owner"
}
