import Foundation

/// Where an agent stands on its tier's autonomy ladder: its current level, the evidence for the
/// next step (each criterion met or not) and who may approve it. What `evalgate autonomy AGENT`
/// shows, and what a step up records as its evidence.
public struct AutonomyAssessment: Sendable, Equatable, Codable {
    public var agent: String
    public var tier: Int
    public var tierName: String
    /// The tier policy the ladder comes from (a file, or "the built-in tier policy").
    public var policy: String
    /// Every level, lowest first.
    public var levels: [String]
    public var level: String
    /// When the current level was recorded; nil when the agent has never changed level (it starts
    /// at the first).
    public var since: Date?
    /// The step up from here; nil at the top.
    public var next: NextStep?
    public var assessedAt: Date

    public struct NextStep: Sendable, Equatable, Codable {
        public var level: String
        public var description: String?
        /// Roles any one of which may approve the step.
        public var approvers: [String]
        public var criteria: [AutonomyCriterionResult]
        /// Every criterion is met.
        public var ready: Bool

        enum CodingKeys: String, CodingKey {
            case level, description, approvers, criteria, ready
        }
    }

    enum CodingKeys: String, CodingKey {
        case agent, tier, tierName, policy, levels, level, since, next, assessedAt
    }

    /// Judges `record` against `ladder` at `now`.
    public static func make(ladder: AutonomyLadder, record: AutonomyRecord, now: Date) throws(AutonomyError) -> AutonomyAssessment {
        let current = try ladder.currentLevel(record)
        var next: NextStep?
        if let level = ladder.policy.next(after: current.name) {
            let results = level.criteria.map { AutonomyEvidence.evaluate($0, record: record, now: now) }
            next = NextStep(
                level: level.name, description: level.description, approvers: level.approvers, criteria: results, ready: results.allSatisfy(\.met))
        }
        return AutonomyAssessment(
            agent: ladder.agent, tier: ladder.tier.level, tierName: ladder.tier.name, policy: ladder.policyName,
            levels: ladder.policy.levels.map(\.name), level: current.name, since: record.changes.first?.recordedAt, next: next, assessedAt: now)
    }

    /// "level 2 of 4".
    public var position: String {
        "level \((levels.firstIndex(of: level) ?? 0) + 1) of \(levels.count)"
    }
}
