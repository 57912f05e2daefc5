import Foundation

/// A person's approval of a change of an agent's effective gates (`evalgate approve-change`).
/// Stored in the history's `change_approval` table (append-only) with an audit entry.
public struct ChangeApproval: Sendable, Equatable, Codable {
    public var id: Int64
    public var agent: String
    /// The change approved: the new effective gates' SHA-256 (`ChangeControlBlock.changeID`).
    public var changeID: String
    /// The run whose change-control block was approved.
    public var runID: String
    public var approvedBy: String
    /// A role the agent's tier names (`ChangeRequirement.allowedRoles`).
    public var role: String
    public var reason: String
    public var approvedAt: Date

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, agent, changeID, runID, approvedBy, role, reason, approvedAt
    }

    public init(id: Int64 = 0, agent: String, changeID: String, runID: String, approvedBy: String, role: String, reason: String, approvedAt: Date) {
        self.id = id
        self.agent = agent
        self.changeID = changeID
        self.runID = runID
        self.approvedBy = approvedBy
        self.role = role
        self.reason = reason
        self.approvedAt = approvedAt
    }
}
