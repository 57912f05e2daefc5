import Foundation

/// The recording stage: a decided run becomes the organisation's record of it.
///
/// The history gets the run, its cases, gates and decision, any known-good change and the audit
/// entry that records who decided, in one transaction (`RunHistory.record`): a process killed
/// halfway leaves all of it or none. Every decision — a fresh run, a re-decision after review —
/// is recorded here, so the known-good rule (`Decision.marksKnownGood`) lives in one place.
public struct Recording: Sendable {
    public var history: any RunHistory
    /// Who the audit log names for the decision (`AuditActor.resolve`).
    public var actor: String

    public init(history: any RunHistory, actor: String = AuditActor.resolve(by: nil)) {
        self.history = history
        self.actor = actor
    }

    /// Records a decided run. `cases` replaces the run's stored cases; nil keeps them (a re-decision).
    /// Returns the audit entry that records it.
    @discardableResult
    public func record(_ run: RunRecord, decision: Decision, cases: CaseDocuments?) async throws -> AuditEntry {
        try await history.record(run, cases: cases, knownGood: decision.marksKnownGood, actor: actor)
    }

    /// A fresh run's history entry, then its files: the result file (streamed from the journal, in
    /// run order, with the audit head of the entry that recorded the run), its copy at `--output`,
    /// and the recommendation file. When the history cannot record the run, the files are still
    /// written (without an audit head) before the error is thrown.
    public func record(_ run: RunRecord, decision: Decision, plan: RunPlan) async throws -> RecordedRun {
        let journal = plan.journal
        let resultPath = plan.path("result.json")
        let recommendationPath = plan.settings.recommendationPath ?? plan.path("recommendation.json")
        // Streaming a large result file is blocking I/O: on a thread of its own, off the event loops.
        @Sendable func writeFiles(_ record: RunRecord) async throws {
            try await onOwnThread {
                let unreadable = UnreadableRecords()
                try ResultFile.write(record, cases: plan.journal.orderedRecords(unreadable: unreadable), to: resultPath)
                do {
                    try unreadable.check()
                } catch {
                    // A result file with cases missing would read as a complete run: none at all.
                    try? FileManager.default.removeItem(atPath: resultPath)
                    throw error
                }
                if let output = plan.settings.outputPath {
                    try? FileManager.default.removeItem(atPath: output)
                    try FileManager.default.copyItem(atPath: resultPath, toPath: output)
                }
                // A shard recommends nothing: `evalgate merge` writes the run's recommendation.
                if record.shard == nil { try ResultFile.writeJSON(record.recommendation, to: recommendationPath) }
            }
        }
        let entry: AuditEntry
        do {
            // The journal's records go to the history as they are, read inside the transaction.
            // A merged run's journal holds no map by id; the merge checked its ids and indexes.
            let unreadable = UnreadableRecords()
            var documents = CaseDocuments(journal.orderedRecords(unreadable: unreadable), checkedUnique: !journal.keyed)
            documents.verify = { try unreadable.check() }
            entry = try await record(run, decision: decision, cases: documents)
        } catch {
            try? await writeFiles(run)
            throw RunPlan.Failure.cannotRun(
                "the run finished (results in \(resultPath)) but could not be recorded in the history \(history.location): \(error)")
        }
        var written = run
        written.audit = entry.head
        try await writeFiles(written)
        return RecordedRun(record: run, auditHead: entry.head, resultPath: resultPath, recommendationPath: recommendationPath)
    }
}

/// Where a recorded run's files are.
public struct RecordedRun: Sendable {
    /// The run as the history stored it (the result file's copy also names `auditHead`).
    public var record: RunRecord
    /// The audit entry that recorded the run.
    public var auditHead: AuditHead
    public var resultPath: String
    public var recommendationPath: String
}
