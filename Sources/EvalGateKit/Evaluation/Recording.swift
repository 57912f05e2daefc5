import Foundation

/// The recording stage: a decided run becomes the organisation's record of it.
///
/// The history gets the run, its cases, gates and decision, and any known-good change, in one
/// transaction (`RunHistory.record`): a process killed halfway leaves all of it or none. Every
/// decision — a fresh run, a re-decision after review — is recorded here, so the known-good rule
/// (`Decision.marksKnownGood`) lives in one place.
public struct Recording: Sendable {
    public var history: any RunHistory

    public init(history: any RunHistory) {
        self.history = history
    }

    /// Records a decided run. `cases` replaces the run's stored cases; nil keeps them (a re-decision).
    public func record(_ run: RunRecord, decision: Decision, cases: CaseDocuments?) async throws {
        try await history.record(run, cases: cases, knownGood: decision.marksKnownGood)
    }

    /// A fresh run's files and history entry: the result file (streamed from the journal, in run
    /// order), its copy at `--output`, the recommendation file, then the history.
    public func record(_ run: RunRecord, decision: Decision, plan: RunPlan) async throws -> RecordedRun {
        let journal = plan.journal
        let ids = journal.orderedIDs
        let resultPath = plan.path("result.json")
        let recommendationPath = plan.settings.recommendationPath ?? plan.path("recommendation.json")
        // Streaming a large result file is blocking I/O: on a thread of its own, off the event loops.
        try await onOwnThread {
            try ResultFile.write(run, cases: ids.lazy.compactMap { try? plan.journal.rawRecord($0) }, to: resultPath)
            if let output = plan.settings.outputPath {
                try? FileManager.default.removeItem(atPath: output)
                try FileManager.default.copyItem(atPath: resultPath, toPath: output)
            }
            try ResultFile.writeJSON(run.recommendation, to: recommendationPath)
        }
        do {
            // The journal's records go to the history as they are, read inside the transaction.
            try await record(run, decision: decision, cases: CaseDocuments(ids.lazy.compactMap { try? journal.rawRecord($0) }))
        } catch {
            throw RunPlan.Failure.cannotRun(
                "the run finished (results in \(resultPath)) but could not be recorded in the history \(history.location): \(error)")
        }
        return RecordedRun(record: run, resultPath: resultPath, recommendationPath: recommendationPath)
    }
}

/// Where a recorded run's files are.
public struct RecordedRun: Sendable {
    public var record: RunRecord
    public var resultPath: String
    public var recommendationPath: String
}
