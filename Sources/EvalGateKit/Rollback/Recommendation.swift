import Foundation

/// What the owner should do now, with the evidence for it. Written as its own small JSON file that
/// deploy tooling (an Argo Rollouts analysis Job, a Flagger webhook) can act on.
public struct Recommendation: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Codable, CaseIterable {
        /// Release mode, pass: ship the candidate; it becomes known-good.
        case promote
        /// Release mode, fail: do not ship; keep the live version.
        case block
        /// Monitor mode, fail: roll production back to the newest known-good version.
        case rollback
        /// Monitor mode, fail, and no known-good version to return to: a person must decide.
        case escalate
        /// Inconclusive: run again with what would make the verdict conclusive.
        case rerun
        /// Monitor mode, pass: the live version is healthy.
        case keep
    }

    public enum Mode: String, Sendable, Codable, CaseIterable {
        case release, monitor
    }

    public var action: Action
    public var mode: Mode
    public var verdict: Verdict
    public var agent: String
    /// The version this run evaluated.
    public var evaluatedVersion: String
    /// The version live in the environment when the run ended, if known.
    public var liveVersion: String?
    /// The version to run after acting: the candidate on promote, the live one on block, the rollback target.
    public var targetVersion: String?
    public var environment: String
    public var summary: String
    /// Gates that decided the recommendation, each "name: measured vs threshold (outcome)".
    public var evidence: [String]
    public var regressedCases: [String]
    /// The run that supports the target version (its last passing run), when there is one.
    public var targetEvidenceRunID: String?
    public var rerunAdvice: String?
    public var authority: RiskTier.Authority
    public var runID: String
    public var exception: GateException?

    // Release sign-off and notification (docs/signoff.md).
    /// Release mode, pass: the roles that must sign off before the promotion is carried out. In
    /// the run's own files nobody has signed yet; `evalgate report` and `release-status` show
    /// the sign-offs in force.
    public var signOff: ReleaseSignOff? = nil
    /// Tools or data sources added (or removed) since the agent's last passing run.
    public var scopeChange: ScopeChange? = nil
    /// Who must be told now (a rollback, an escalation, a scope expansion): the policy's `notify`.
    public var notify: [String]? = nil
    /// Rollback or escalation: how soon `notify` must be told (the policy's `notify_within`).
    public var notifyWithin: PolicyDuration? = nil
    /// Rollback or escalation: the deadline, the run's end plus `notifyWithin`.
    public var notifyBy: Date? = nil
    /// The agent's autonomy level and the level this run recommends (a failed monitor run steps
    /// down one); nil when the tier has no autonomy ladder (docs/autonomy.md).
    public var autonomy: AutonomyAdvice? = nil
    /// Set when change control holds the run inconclusive: the loosened controls, who must
    /// approve and the command that does (docs/change-control.md).
    public var changeControl: ChangeControlBlock? = nil
}
