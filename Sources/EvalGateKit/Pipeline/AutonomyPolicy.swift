/// How far an agent of a tier may act on its own, in ordered levels, and what earns each step up.
///
/// The shipped ladder is `draft-only` → `approve-each` → `execute-within-limits` → `broadened`
/// (the seeds' "draft only, pre-fill with approval, execute inside hard limits, then broaden
/// scope"). An agent with no recorded change is at the first level. Each level above the first
/// names the evidence the step into it needs (`AutonomyCriterion`) and the roles that may approve
/// it; stepping down needs neither (docs/autonomy.md).
public struct AutonomyPolicy: Sendable, Equatable, Codable {
    /// Lowest first.
    public var levels: [AutonomyLevel]

    enum CodingKeys: String, CodingKey {
        case levels
    }

    public init(levels: [AutonomyLevel]) {
        self.levels = levels
    }

    /// The level an agent with no recorded change is at.
    public var first: AutonomyLevel? { levels.first }

    public func index(of name: String) -> Int? {
        levels.firstIndex { $0.name == name }
    }

    public func level(_ name: String) -> AutonomyLevel? {
        levels.first { $0.name == name }
    }

    /// The level one step above `name`; nil at the top or for a name not in the policy.
    public func next(after name: String) -> AutonomyLevel? {
        guard let index = index(of: name), index + 1 < levels.count else { return nil }
        return levels[index + 1]
    }

    /// The level one step below `name`; nil at the bottom or for a name not in the policy.
    public func previous(before name: String) -> AutonomyLevel? {
        guard let index = index(of: name), index > 0 else { return nil }
        return levels[index - 1]
    }
}

/// One level of autonomy, with what the step into it requires.
public struct AutonomyLevel: Sendable, Equatable, Codable {
    public var name: String
    public var description: String?
    /// The evidence the step up into this level needs, all of it; empty for the first level.
    public var criteria: [AutonomyCriterion]
    /// Roles any one of which may approve the step up into this level (`--role`).
    public var approvers: [String]

    enum CodingKeys: String, CodingKey {
        case name, description, criteria, approvers
    }

    public init(name: String, description: String? = nil, criteria: [AutonomyCriterion] = [], approvers: [String] = []) {
        self.name = name
        self.description = description
        self.criteria = criteria
        self.approvers = approvers
    }
}

/// A piece of evidence a step up needs, read from the agent's history (`AutonomyEvidence`).
public enum AutonomyCriterion: Sendable, Equatable, Codable {
    /// The agent's newest `runs` monitor runs all passed (anything else breaks the streak).
    case consecutivePassingMonitorRuns(runs: Int)
    /// No rollback recommended (a monitor run that recommended rollback or escalation) or recorded
    /// (a deployment that put back an earlier version, or one justified by a rollback
    /// recommendation) in the last `days` days, and the agent's history covers those days.
    case noRollback(days: Int)
    /// The one-sided Wilson lower bound (at `confidence`) of the pass rate pooled over the cases of
    /// the agent's last `runs` monitor runs is at least `rate`; errors count as not passed.
    case passRateLowerBound(rate: Rate, runs: Int, confidence: Double)
    /// Cohen's κ between evalgate's outcome and people's review labels, over every label on the
    /// agent's runs, is at least `kappa`, with at least `labels` labels.
    case judgeAgreement(kappa: Rate, labels: Int)

    /// The stable name of the kind: the YAML key and the JSON `kind`.
    public var kind: Kind {
        switch self {
        case .consecutivePassingMonitorRuns: .consecutivePassingMonitorRuns
        case .noRollback: .noRollback
        case .passRateLowerBound: .passRateLowerBound
        case .judgeAgreement: .judgeAgreement
        }
    }

    public enum Kind: String, Sendable, Codable, CaseIterable {
        case consecutivePassingMonitorRuns = "consecutive_passing_monitor_runs"
        case noRollback = "no_rollback_days"
        case passRateLowerBound = "pass_rate_lower_bound"
        case judgeAgreement = "judge_agreement"
    }

    /// What the criterion asks, in words.
    public var requirement: String {
        switch self {
        case .consecutivePassingMonitorRuns(let runs):
            "the newest \(runs) monitor run\(runs == 1 ? "" : "s") passed"
        case .noRollback(let days):
            "no rollback recommended or recorded in the last \(days) day\(days == 1 ? "" : "s")"
        case .passRateLowerBound(let rate, let runs, let confidence):
            "pass-rate lower bound ≥ \(Format.percent(rate)) over the last \(runs) monitor runs (\(Format.percent(confidence, digits: 0)) Wilson)"
        case .judgeAgreement(let kappa, let labels):
            "judge–human agreement κ ≥ \(kappa) over at least \(labels) review labels"
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, runs, days, rate, confidence, kappa, labels
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .kind) {
        case .consecutivePassingMonitorRuns:
            self = .consecutivePassingMonitorRuns(runs: try container.decode(Int.self, forKey: .runs))
        case .noRollback:
            self = .noRollback(days: try container.decode(Int.self, forKey: .days))
        case .passRateLowerBound:
            self = .passRateLowerBound(
                rate: try container.decode(Rate.self, forKey: .rate), runs: try container.decode(Int.self, forKey: .runs),
                confidence: try container.decode(Double.self, forKey: .confidence))
        case .judgeAgreement:
            self = .judgeAgreement(kappa: try container.decode(Rate.self, forKey: .kappa), labels: try container.decode(Int.self, forKey: .labels))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        switch self {
        case .consecutivePassingMonitorRuns(let runs):
            try container.encode(runs, forKey: .runs)
        case .noRollback(let days):
            try container.encode(days, forKey: .days)
        case .passRateLowerBound(let rate, let runs, let confidence):
            try container.encode(rate, forKey: .rate)
            try container.encode(runs, forKey: .runs)
            try container.encode(confidence, forKey: .confidence)
        case .judgeAgreement(let kappa, let labels):
            try container.encode(kappa, forKey: .kappa)
            try container.encode(labels, forKey: .labels)
        }
    }
}
