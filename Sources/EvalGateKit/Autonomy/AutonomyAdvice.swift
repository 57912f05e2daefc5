/// The autonomy part of a recommendation: the agent's level when the run was decided and the
/// level the run recommends. A failed monitor run (a rollback or an escalation) recommends one
/// level down; evalgate recommends, a person records it (`evalgate autonomy demote`).
public struct AutonomyAdvice: Sendable, Equatable, Codable {
    /// The agent's level when the run was decided.
    public var level: String
    /// The level the run recommends: one below `level` after a failed monitor run, else `level`.
    public var recommendedLevel: String
    /// True when `recommendedLevel` is below `level`.
    public var stepDown: Bool
    /// Why, when the run recommends a change or would have (already at the lowest level).
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case level, recommendedLevel, stepDown, reason
    }

    public init(level: String, recommendedLevel: String, stepDown: Bool, reason: String? = nil) {
        self.level = level
        self.recommendedLevel = recommendedLevel
        self.stepDown = stepDown
        self.reason = reason
    }

    /// The advice for a decided run of `agent` whose tier has `policy`, at recorded level
    /// `recorded` (nil: none recorded, the first level); nil when the tier has no autonomy ladder.
    public static func make(
        policy: AutonomyPolicy?, recorded: String?, agent: String, mode: Recommendation.Mode, verdict: Verdict, action: Recommendation.Action
    ) -> AutonomyAdvice? {
        guard let policy, let first = policy.first else { return nil }
        let level = recorded ?? first.name
        guard mode == .monitor, verdict == .fail else { return AutonomyAdvice(level: level, recommendedLevel: level, stepDown: false) }
        let cause = action == .rollback ? "the monitor run failed and recommends a rollback" : "the monitor run failed"
        // A level the policy no longer has steps down to the first.
        let lower: AutonomyLevel? = policy.index(of: level) == nil ? first : policy.previous(before: level)
        guard let lower else {
            return AutonomyAdvice(
                level: level, recommendedLevel: level, stepDown: false, reason: "\(cause); \(agent) is already at the lowest level, \(level)")
        }
        return AutonomyAdvice(
            level: level, recommendedLevel: lower.name, stepDown: true,
            reason:
                "\(cause); record the step down with `evalgate autonomy demote \(agent) --to \(lower.name) --by NAME --reason WHY`"
        )
    }

    /// One line for every report.
    public var line: String {
        if stepDown { return "Autonomy: step down from \(level) to \(recommendedLevel) — \(reason ?? "")" }
        if let reason { return "Autonomy: \(level) — \(reason)" }
        return "Autonomy: \(level)"
    }
}
