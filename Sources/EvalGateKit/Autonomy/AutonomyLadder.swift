import Foundation

/// An agent's autonomy ladder (its tier's `autonomy` levels) and the rules for moving on it: a
/// step up goes to exactly the next level, on evidence (every criterion met) and with the approval
/// of a person in one of the level's approver roles; a step down to any lower level is always
/// allowed. Both are recorded through `RunHistory.recordAutonomyChange`, which refuses if the level
/// changed in between.
public struct AutonomyLadder: Sendable {
    public var agent: String
    public var tier: RiskTier
    public var policy: AutonomyPolicy
    /// Where the policy comes from, for messages.
    public var policyName: String
    /// Why the policy is not the agent's pipeline's, when it is not.
    public var note: String?

    public init(agent: String, tier: RiskTier, policyName: String, note: String? = nil) throws(AutonomyError) {
        guard let policy = tier.autonomy, !policy.levels.isEmpty else { throw .noLadder(tier: tier.level, policy: policyName) }
        self.agent = agent
        self.tier = tier
        self.policy = policy
        self.policyName = policyName
        self.note = note
    }

    /// The ladder of `agent`: the tier of its newest run, from `policyPath` when given, else from
    /// the policy its pipeline loads with now (`tiers.yaml` beside it or named by it); only when
    /// the pipeline file is gone, the built-in policy, with a note saying so.
    public static func resolve(
        agent: String, history: any RunHistory, policyPath: String?, loader: PipelineLoader = PipelineLoader()
    ) async throws -> AutonomyLadder {
        guard let newest = try await history.runs(agent: agent, pipeline: nil, verdict: nil, limit: 1).first else {
            throw AutonomyError.noRuns(agent: agent)
        }
        let policy: TierPolicy
        let name: String
        var note: String?
        if let policyPath {
            policy = try TierPolicyLoader.load(path: policyPath, displayPath: policyPath)
            name = policyPath
        } else if FileManager.default.fileExists(atPath: newest.pipelineFile) {
            let pipeline = try loader.load(path: newest.pipelineFile)
            policy = pipeline.policy
            name = pipeline.policy.file
        } else {
            policy = TierPolicyLoader.builtIn()
            name = "the built-in tier policy"
            note = "the pipeline file \(newest.pipelineFile) of run \(newest.id) is gone; using the built-in tier policy (or pass --policy)"
        }
        guard let tier = policy.tier(newest.tier) else {
            throw InvalidInputError(SourceLocation(file: name), "tier \(newest.tier) of agent \(agent) is not defined in \(name)")
        }
        return try AutonomyLadder(agent: agent, tier: tier, policyName: name, note: note)
    }

    /// The agent's level: the newest recorded change's, or the first level when none is recorded.
    public func currentLevel(_ record: AutonomyRecord) throws(AutonomyError) -> AutonomyLevel {
        guard let recorded = record.recordedLevel else { return policy.levels[0] }
        guard let level = policy.level(recorded) else { throw .recordedLevelNotInPolicy(recorded, levels: policy.levels.map(\.name)) }
        return level
    }

    /// Checks a step up to `target` approved by `by` in `role`, and records it with the evidence.
    public func promote(
        to target: String, by: String, role: String, reason: String?, history: any RunHistory, now: Date = Date()
    ) async throws -> AutonomyChange {
        let by = by.trimmingCharacters(in: .whitespaces)
        let role = role.trimmingCharacters(in: .whitespaces)
        guard !by.isEmpty else { throw AutonomyError.missing("--by") }
        guard !role.isEmpty else { throw AutonomyError.missing("--role") }
        guard let level = policy.level(target) else { throw AutonomyError.unknownLevel(target, levels: policy.levels.map(\.name)) }
        let record = try await AutonomyRecord.read(agent: agent, from: history)
        let assessment = try AutonomyAssessment.make(ladder: self, record: record, now: now)
        guard let next = assessment.next, next.level == level.name else {
            throw AutonomyError.notTheNextLevel(current: assessment.level, requested: target, next: assessment.next?.level)
        }
        guard level.approvers.contains(where: { Self.sameRole($0, role) }) else {
            throw AutonomyError.roleMayNotApprove(role: role, level: level.name, approvers: level.approvers)
        }
        let unmet = next.criteria.filter { !$0.met }
        guard unmet.isEmpty else { throw AutonomyError.evidenceMissing(level: level.name, unmet: unmet) }
        let evidence = String(decoding: try JSONCoding.encoder().encode(assessment), as: UTF8.self)
        let change = AutonomyChange(
            agent: agent, tier: tier.level, fromLevel: assessment.level, toLevel: level.name, direction: .promote, changedBy: by, role: role,
            reason: reason.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }, evidenceJSON: evidence, recordedAt: now)
        return try await history.recordAutonomyChange(change, expectedCurrent: record.recordedLevel)
    }

    /// Records a step down to `target` (any lower level): always allowed, with a reason.
    public func demote(
        to target: String, by: String, role: String?, reason: String, history: any RunHistory, now: Date = Date()
    ) async throws -> AutonomyChange {
        let by = by.trimmingCharacters(in: .whitespaces)
        guard !by.isEmpty else { throw AutonomyError.missing("--by") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw AutonomyError.missing("--reason") }
        guard let targetIndex = policy.index(of: target) else { throw AutonomyError.unknownLevel(target, levels: policy.levels.map(\.name)) }
        let record = try await AutonomyRecord.read(agent: agent, from: history)
        let currentName = record.recordedLevel ?? policy.levels[0].name
        // A recorded level the policy no longer has can be left for any of the policy's levels.
        if let currentIndex = policy.index(of: currentName), targetIndex >= currentIndex {
            throw AutonomyError.notLower(current: currentName, requested: target)
        }
        let change = AutonomyChange(
            agent: agent, tier: tier.level, fromLevel: currentName, toLevel: target, direction: .demote, changedBy: by,
            role: role.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }, reason: reason, evidenceJSON: "{}", recordedAt: now)
        return try await history.recordAutonomyChange(change, expectedCurrent: record.recordedLevel)
    }

    /// Roles compare without regard to case or surrounding spaces ("Risk Officer" is "risk officer").
    static func sameRole(_ a: String, _ b: String) -> Bool {
        a.trimmingCharacters(in: .whitespaces).lowercased() == b.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
