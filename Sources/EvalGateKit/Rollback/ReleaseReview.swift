import Foundation

/// Sign-offs and rejections of release runs by the roles the tier names, and where a release
/// stands (`evalgate approve --role`, `reject`, `release-status`; docs/signoff.md). Every check
/// runs before anything is written: a refused sign-off leaves the history as it was.
public enum ReleaseReview {
    public enum Failure: LocalizedError, Equatable, Sendable {
        /// Sign-off is for release runs; a monitor run or a shard has nothing to release.
        case notARelease(runID: String, what: String)
        /// The role is not one the run's tier requires.
        case roleNotRequired(role: String, runID: String, tier: Int, required: [String])
        /// A failed run cannot be signed off: sign-off vouches for evidence, never against it.
        case failedRun(runID: String)
        /// A rejection, or the sign-off of an inconclusive run, needs a reason.
        case reasonRequired(String)
        /// No release run of the version is in the history.
        case noReleaseRun(agent: String, version: String)

        public var errorDescription: String? {
            switch self {
            case .notARelease(let runID, let what):
                return "run \(runID) is \(what); only a release run is signed off"
            case .roleNotRequired(let role, let runID, let tier, let required):
                if required.isEmpty {
                    return "tier \(tier) names no release reviewers (authority.approvers), so run \(runID) needs no sign-off; '\(role)' is not one"
                }
                return "'\(role)' is not a release reviewer of tier \(tier) for run \(runID); the roles are: \(required.joined(separator: ", "))"
            case .failedRun(let runID):
                return "run \(runID) failed a gate; a failed release cannot be signed off (run a fixed candidate)"
            case .reasonRequired(let why):
                return why
            case .noReleaseRun(let agent, let version):
                return "no release run of \(agent) \(version) in the history; run its pipeline first (evalgate run)"
            }
        }
    }

    /// The role of `record`'s required roles that `role` names, as the policy spells it.
    public static func requiredRole(_ role: String, of record: RunRecord) throws(Failure) -> String {
        guard record.mode == .release, record.shard == nil else {
            throw .notARelease(runID: record.id, what: record.shard != nil ? "a shard (sign off the merged run)" : "a \(record.mode.rawValue) run")
        }
        let required = ReleaseSignOff.requiredRoles(for: record)
        guard let canonical = SignOffRole.match(role, in: required) else {
            throw .roleNotRequired(role: role, runID: record.id, tier: record.tier, required: required)
        }
        return canonical
    }

    /// Checks and records a reviewer's decision; returns it and where the run's sign-off stands.
    /// An approval of a failed run is refused; an inconclusive run is approved through
    /// `RunHistory.approve` first (the caller's job, with its reason).
    public static func record(
        _ decision: SignOff.Decision, runID: String, role: String, by signer: String, reason: String?, history: any RunHistory, at date: Date = Date()
    ) async throws -> (signOff: SignOff, status: ReleaseSignOff, record: RunRecord) {
        guard let record = try await history.run(id: runID) else { throw HistoryError.runNotFound(runID) }
        let canonical = try requiredRole(role, of: record)
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if decision == .reject && reason == nil {
            throw Failure.reasonRequired("a rejection needs --reason: the escalation body has to know what the disagreement is")
        }
        if decision == .approve && record.verdict == .fail { throw Failure.failedRun(runID: record.id) }
        let signOff = try await history.recordSignOff(
            runID: record.id, role: canonical, decision: decision, signedBy: signer, reason: reason, at: date)
        return (signOff, try await status(of: record, history: history), record)
    }

    /// Where `record`'s sign-off stands now.
    public static func status(of record: RunRecord, history: any RunHistory) async throws -> ReleaseSignOff {
        ReleaseSignOff(
            required: ReleaseSignOff.requiredRoles(for: record), decisions: try await history.signOffs(runID: record.id),
            escalation: record.recommendation.authority.escalation)
    }

    /// `record` as reports show it now: its recommendation carries the sign-offs in force.
    public static func withSignOffsInForce(_ record: RunRecord, history: any RunHistory) async throws -> RunRecord {
        guard record.mode == .release, record.shard == nil, record.recommendation.signOff != nil || record.verdict != .fail else { return record }
        let status = try await status(of: record, history: history)
        guard !status.required.isEmpty else { return record }
        var shown = record
        shown.recommendation.signOff = status
        return shown
    }

    /// Where the release of `version` stands: its newest release run (not a shard), that run's
    /// verdict and approvals, and its sign-offs.
    public static func releaseStatus(agent: String, version: String, history: any RunHistory) async throws -> ReleaseStatus {
        let runs = try await history.runs(agent: agent, pipeline: nil, verdict: nil, limit: 10_000)
        guard let record = runs.first(where: { $0.version == version && $0.mode == .release && $0.shard == nil }) else {
            throw Failure.noReleaseRun(agent: agent, version: version)
        }
        let signOff = try await status(of: record, history: history)
        var approved = false
        if record.verdict == .inconclusive { approved = !(try await history.approvals(runID: record.id)).isEmpty }
        return ReleaseStatus(record: record, signOff: signOff, approved: approved)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
