import Foundation

/// The one baseline rule (docs/pipeline-format.md, "Baselines"), the same for every backend.
///
/// 1. The baseline **version**: the pipeline's pinned `baseline.version` when set; otherwise, in
///    release mode, the version live in the run's environment (unless that is the candidate
///    itself), else the newest known-good version other than the candidate; in monitor mode, the
///    newest known-good version other than the evaluated one.
/// 2. The baseline **run** of that version: its newest known-good (or approved) run, else its
///    newest passing run. A version with neither has no baseline; neither does a run that would be
///    compared with itself (a run re-decided after review that vouches for its own version).
extension RunHistory {
    /// The baseline run for a candidate, or why there is none.
    public func baseline(
        agent: String, candidateVersion: String, environment: String, mode: Recommendation.Mode, pinnedVersion: String?,
        excludingRun runID: String
    ) async throws -> BaselineLookup {
        let version: String?
        if let pinnedVersion {
            version = pinnedVersion
        } else if mode == .release, let live = try await liveVersion(agent: agent, environment: environment), live != candidateVersion {
            version = live
        } else {
            version = try await lastKnownGood(agent: agent, excluding: candidateVersion)?.version
        }
        guard let version else {
            return .unavailable("nothing is recorded as live in \(environment) and no version is known-good yet")
        }
        guard let evidence = try await evidenceRun(agent: agent, version: version), evidence != runID else {
            return .unavailable("version \(version) has no passing run in the history")
        }
        return .found(version: version, runID: evidence)
    }

    /// The run that vouches for a version: its newest known-good run, else its newest passing run.
    public func evidenceRun(agent: String, version: String) async throws -> String? {
        if let knownGood = try await knownGoodVersions(agent: agent).first(where: { $0.version == version }) { return knownGood.runID }
        return try await lastPassingRun(agent: agent, version: version)?.id
    }
}

/// The outcome of the baseline rule.
public enum BaselineLookup: Sendable, Equatable {
    case found(version: String, runID: String)
    /// No baseline, and why (shown on the regression gate, which is then inconclusive or skipped).
    case unavailable(String)
}
