/// The parts of an agent's portfolio entry that both history backends compute the same way from
/// what they read: kept here once, so SQLite and PostgreSQL cannot drift apart.
extension AgentPortfolio {
    /// The key of a labelled case in `openReviews(_:queues:labelled:)`'s `labelled` set.
    static func labelKey(runID: String, caseID: String) -> String { "\(runID)\u{0}\(caseID)" }

    /// Queued cases of the trend's runs that have no label yet, newest run first.
    static func openReviews(_ newestFirst: [RunDigest], queues: [String: [String]], labelled: Set<String>) -> [OpenReview] {
        newestFirst.compactMap { run in
            guard let queued = queues[run.id] else { return nil }
            let open = queued.filter { !labelled.contains(labelKey(runID: run.id, caseID: $0)) }
            return open.isEmpty ? nil : OpenReview(runID: run.id, caseIDs: open)
        }
    }

    /// The runs whose approvals matter: inconclusive release runs of the trend, and the last release.
    static func approvalCandidates(_ newestFirst: [RunDigest], lastRelease: RunDigest?) -> Set<String> {
        Set((newestFirst + [lastRelease].compactMap { $0 }).filter { $0.mode == .release && $0.verdict == .inconclusive }.map(\.id))
    }

    /// Inconclusive release runs nobody has approved, the newest of each version only.
    static func pendingApprovals(_ newestFirst: [RunDigest], approved: Set<String>) -> [RunDigest] {
        var seenVersions: Set<String> = []
        var pending: [RunDigest] = []
        for run in newestFirst {
            defer { seenVersions.insert(run.version) }
            guard run.mode == .release, run.verdict == .inconclusive, !approved.contains(run.id), !seenVersions.contains(run.version) else {
                continue
            }
            pending.append(run)
        }
        return pending
    }
}
