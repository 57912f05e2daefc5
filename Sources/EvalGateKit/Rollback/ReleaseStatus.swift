import Foundation

/// Whether a version may be deployed, for a deploy step to ask (`evalgate release-status AGENT
/// VERSION`): its newest release run passed (or was approved while inconclusive) and every role
/// the tier requires signed it off. docs/signoff.md.
public struct ReleaseStatus: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Passed, and every required role signed off: deploy.
        case ready
        /// Waiting: for sign-offs, or for an approval or a new run of an inconclusive run.
        case pending
        /// A required role rejected the release: it escalates to the policy's escalation body.
        case rejected
        /// The run failed a gate.
        case failed
    }

    public var state: State
    public var agent: String
    public var version: String
    public var runID: String
    public var verdict: Verdict
    /// The run was inconclusive and a person approved it (`evalgate approve RUN --by --reason`).
    public var approved: Bool
    public var signOff: ReleaseSignOff
    public var scopeChange: ScopeChange?
    /// Who must be told: on a rejection or a scope expansion, the policy's `notify` list.
    public var notify: [String]?
    public var summary: String

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case state, agent, version, runID, verdict, approved, signOff, scopeChange, notify, summary
    }

    public init(record: RunRecord, signOff: ReleaseSignOff, approved: Bool) {
        agent = record.agent
        version = record.version
        runID = record.id
        verdict = record.verdict
        self.approved = approved
        self.signOff = signOff
        scopeChange = record.scope?.change
        let authority = record.recommendation.authority
        let subject = "\(record.agent) \(record.version) (run \(record.id))"
        let scope = scopeChange.flatMap { $0.isExpansion ? " Scope expanded: \($0.sentence)." : nil } ?? ""
        switch (record.verdict, signOff.state) {
        case (.fail, _):
            state = .failed
            summary = "\(subject) failed its gates: do not deploy."
        case (_, .rejected):
            state = .rejected
            summary = "\(subject) was rejected: \(signOff.sentence)."
        case (.inconclusive, _) where !approved:
            state = .pending
            summary =
                "\(subject) is inconclusive: a person must approve it (evalgate approve RUN --by NAME --reason WHY) or a new run must pass. \(signOff.required.isEmpty ? "" : "Sign-off: \(signOff.sentence).")"
        case (_, .pending):
            state = .pending
            summary = "\(subject) \(record.verdict == .pass ? "passed" : "was approved"); sign-off: \(signOff.sentence)."
        default:
            state = .ready
            summary =
                "\(subject) \(record.verdict == .pass ? "passed" : "was approved")\(signOff.required.isEmpty ? " and its tier needs no sign-off" : "; \(signOff.sentence)"): deploy."
        }
        summary = summary.trimmingCharacters(in: .whitespaces) + scope
        if (state == .rejected || scopeChange?.isExpansion == true) && !authority.notify.isEmpty {
            notify = authority.notify
            summary += " Notify \(authority.notify.joined(separator: ", "))."
        }
    }
}
