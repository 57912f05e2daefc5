/// One level of the organisation's risk policy: its thresholds and who holds authority over it.
public struct RiskTier: Sendable, Equatable, Codable {
    public var level: Int
    public var name: String
    public var description: String?
    public var thresholds: TierThresholds
    public var authority: Authority
    /// `sequential: true` in the policy: runs of pipelines on this tier use sequential gates unless
    /// the pipeline's `gates.sequential` says otherwise (docs/sequential.md).
    public var sequential: Bool?
    /// The autonomy ladder of agents on this tier (`autonomy:` in the policy; docs/autonomy.md).
    public var autonomy: AutonomyPolicy?
    /// `peer_deviation`: how far (a rate, 0.05 = 5 points) a pipeline's pass-rate gates may sit
    /// below the median of the same tier's other agents before a change needs the escalation role
    /// (docs/change-control.md). Nil: not compared.
    public var peerDeviation: Rate? = nil

    public init(
        level: Int, name: String, description: String? = nil, thresholds: TierThresholds, authority: Authority = Authority(), sequential: Bool? = nil
    ) {
        self.sequential = sequential
        self.level = level
        self.name = name
        self.description = description
        self.thresholds = thresholds
        self.authority = authority
    }

    /// Who may act on a recommendation: free text, printed with every recommendation.
    public struct Authority: Sendable, Equatable, Codable {
        public var approvers: [String]
        public var rollback: [String]
        public var notify: [String]
        public var notes: String?
        // Release sign-off (docs/signoff.md): `approvers` are the roles whose sign-off a passing
        // release needs; a rejection escalates to `escalation`; `notifyWithin` is how soon the
        // `notify` list must hear of a rollback.
        /// The body a rejected release escalates to (`authority.escalation`, e.g. "AI CoE").
        public var escalation: String?
        /// The deadline for telling `notify` of a rollback (`authority.notify_within`).
        public var notifyWithin: PolicyDuration?
        /// `risk_role`: the role that must be among two approvers when a change of the effective
        /// gates reduces a safety control (docs/change-control.md). Nil: one approver suffices.
        public var riskRole: String? = nil
        /// `escalation_role`: the role a change must also be approved by when the gates sit
        /// further than `peer_deviation` from the same tier's other agents.
        public var escalationRole: String? = nil

        public init(
            approvers: [String] = [], rollback: [String] = [], notify: [String] = [], notes: String? = nil, escalation: String? = nil,
            notifyWithin: PolicyDuration? = nil, riskRole: String? = nil, escalationRole: String? = nil
        ) {
            self.riskRole = riskRole
            self.escalationRole = escalationRole
            self.approvers = approvers
            self.rollback = rollback
            self.notify = notify
            self.notes = notes
            self.escalation = escalation
            self.notifyWithin = notifyWithin
        }
    }
}

/// The organisation's risk policy (`pipelines/tiers.yaml`).
public struct TierPolicy: Sendable, Equatable, Codable {
    public var tiers: [Int: RiskTier]
    public var file: String

    public init(tiers: [Int: RiskTier], file: String = "<memory>") {
        self.tiers = tiers
        self.file = file
    }

    public func tier(_ level: Int) -> RiskTier? { tiers[level] }
}
