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
    /// A step down the newest monitor run recommends and nobody has recorded since; nil otherwise.
    public var pendingStepDown: PendingStepDown?
    public var assessedAt: Date

    /// A failed monitor run's recommendation to step down, still open.
    public struct PendingStepDown: Sendable, Equatable, Codable {
        public var runID: String
        public var at: Date
        public var recommendedLevel: String
        public var reason: String?

        enum CodingKeys: String, CodingKey {
            case runID, at, recommendedLevel, reason
        }
    }

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
        case agent, tier, tierName, policy, levels, level, since, next, pendingStepDown, assessedAt
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
        // The newest monitor run recommended a step down from the level the agent is still at, after
        // the last recorded change. A run's times are kept to the second: a change in the same second
        // counts as before the run (a change made in answer to it would have moved the level).
        var pending: PendingStepDown?
        if let run = record.monitorRuns.first, let advice = run.recommendation.autonomy, advice.stepDown, advice.level == current.name,
            record.changes.first.map({ $0.recordedAt.timeIntervalSince1970.rounded(.down) <= run.startedAt.timeIntervalSince1970 }) ?? true
        {
            pending = PendingStepDown(runID: run.id, at: run.startedAt, recommendedLevel: advice.recommendedLevel, reason: advice.reason)
        }
        return AutonomyAssessment(
            agent: ladder.agent, tier: ladder.tier.level, tierName: ladder.tier.name, policy: ladder.policyName,
            levels: ladder.policy.levels.map(\.name), level: current.name, since: record.changes.first?.recordedAt, next: next,
            pendingStepDown: pending, assessedAt: now)
    }

    /// "level 2 of 4".
    public var position: String {
        "level \((levels.firstIndex(of: level) ?? 0) + 1) of \(levels.count)"
    }
}
