import Foundation

/// Why an autonomy change was not recorded, or the ladder cannot be read. Nothing is written in
/// any of these cases. `isRefusal` separates a refused step (exit 11) from bad input (exit 3).
public enum AutonomyError: LocalizedError, Equatable, Sendable {
    /// The agent has no recorded run, so its tier is unknown.
    case noRuns(agent: String)
    /// The agent's tier has no `autonomy` block in the policy.
    case noLadder(tier: Int, policy: String)
    /// `--to` names no level of the ladder.
    case unknownLevel(String, levels: [String])
    /// The agent's recorded level is not (any more) a level of the policy.
    case recordedLevelNotInPolicy(String, levels: [String])
    /// A step up must go to exactly the next level.
    case notTheNextLevel(current: String, requested: String, next: String?)
    /// A step down must go to a lower level.
    case notLower(current: String, requested: String)
    /// The role given may not approve this step.
    case roleMayNotApprove(role: String, level: String, approvers: [String])
    /// Some criterion of the step is not met.
    case evidenceMissing(level: String, unmet: [AutonomyCriterionResult])
    /// `--by`, `--role` or `--reason` is empty.
    case missing(String)

    /// A refused change (the request was understood and said no), rather than input that is wrong.
    public var isRefusal: Bool {
        switch self {
        case .notTheNextLevel, .notLower, .roleMayNotApprove, .evidenceMissing: true
        case .noRuns, .noLadder, .unknownLevel, .recordedLevelNotInPolicy, .missing: false
        }
    }

    public var errorDescription: String? {
        switch self {
        case .noRuns(let agent):
            return "no run of agent '\(agent)' in the history: its tier, and so its autonomy ladder, is unknown (run its pipeline first)"
        case .noLadder(let tier, let policy):
            return "tier \(tier) of \(policy) defines no autonomy levels; add an 'autonomy' block to the tier (docs/autonomy.md)"
        case .unknownLevel(let level, let levels):
            return "'\(level)' is not an autonomy level of the policy; levels: \(levels.joined(separator: " → "))"
        case .recordedLevelNotInPolicy(let level, let levels):
            return
                "the agent's recorded autonomy level '\(level)' is not a level of the policy (\(levels.joined(separator: " → "))); step it down to one with `evalgate autonomy demote`"
        case .notTheNextLevel(let current, let requested, let next):
            guard let next else { return "refused: \(current) is the top level; there is no step up" }
            return "refused: a step up goes one level at a time; from \(current) the next level is \(next), not \(requested)"
        case .notLower(let current, let requested):
            return
                "refused: \(requested) is not below the current level \(current); a step down goes to a lower level (a step up is `autonomy promote`)"
        case .roleMayNotApprove(let role, let level, let approvers):
            return "refused: the role '\(role)' may not approve the step up to \(level); who may: \(approvers.joined(separator: ", "))"
        case .evidenceMissing(let level, let unmet):
            return "refused: the evidence for \(level) is not there yet: "
                + unmet.map { "\($0.requirement) — not met: \($0.measured)" }.joined(separator: "; ")
        case .missing(let what):
            return "\(what) must not be empty"
        }
    }
}
