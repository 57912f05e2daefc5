import Foundation

/// One recorded change of an agent's autonomy level: a step up on evidence, approved by a named
/// person in a role, or a step down. Append-only, like the audit log (docs/autonomy.md).
public struct AutonomyChange: Sendable, Equatable, Codable {
    public enum Direction: String, Sendable, Codable, CaseIterable {
        case promote, demote
    }

    public var id: Int64
    public var agent: String
    /// The agent's tier when the change was made (the policy the levels come from).
    public var tier: Int
    public var fromLevel: String
    public var toLevel: String
    public var direction: Direction
    /// Who made the change (`--by`).
    public var changedBy: String
    /// The role the step up was approved in (`--role`); for a step down, when given.
    public var role: String?
    public var reason: String?
    /// The evidence a step up rested on, as `evalgate autonomy --format json` shows it
    /// (`AutonomyAssessment`), as JSON; `{}` for a step down.
    public var evidenceJSON: String
    public var recordedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, agent, tier, fromLevel, toLevel, direction, changedBy, role, reason
        case evidenceJSON = "evidence"
        case recordedAt
    }

    public init(
        id: Int64 = 0, agent: String, tier: Int, fromLevel: String, toLevel: String, direction: Direction, changedBy: String, role: String?,
        reason: String?, evidenceJSON: String, recordedAt: Date
    ) {
        self.id = id
        self.agent = agent
        self.tier = tier
        self.fromLevel = fromLevel
        self.toLevel = toLevel
        self.direction = direction
        self.changedBy = changedBy
        self.role = role
        self.reason = reason
        self.evidenceJSON = evidenceJSON
        self.recordedAt = recordedAt
    }

    /// The audit entry's readable evidence (besides the row's digest).
    var auditEvidence: [String: String] {
        var evidence = ["from": fromLevel, "to": toLevel, "direction": direction.rawValue, "tier": String(tier)]
        if let role { evidence["role"] = role }
        return evidence
    }
}
