import Foundation
import GRDB

/// People's pass/fail labels on cases, to measure how far scorers can be trusted.
extension HistoryStore {
    /// Records (or replaces) a reviewer's label for one case of a stored run. `runID` may be a
    /// unique prefix; the case must be one of the run's stored cases.
    public func recordReviewLabel(
        runID: String, caseID: String, label: ReviewLabel.Label, reviewer: String, note: String?, at: Date
    ) async throws {
        try await write { db in
            let id = try requireRunID(runID, db)
            let caseExists =
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM case_result WHERE run_id = ? AND case_id = ?)", arguments: [id, caseID]) ?? false
            guard caseExists else { throw HistoryError.caseNotFound(runID: id, caseID: caseID) }
            try ReviewLabelRow(
                runID: id, caseID: caseID, label: label.rawValue, reviewer: redactor(reviewer), note: note.map { redactor($0) }, recordedAt: at
            )
            .upsert(db)
            try Self.appendAudit(
                .reviewLabelRecorded, actor: redactor(reviewer), agent: try Self.agent(ofRun: id, db), runID: id, subject: caseID,
                evidence: ["review_label_sha256": try AuditDigest.label(db, runID: id, caseID: caseID), "label": label.rawValue], db)
        }
    }

    /// The labels of one run, in case order. `runID` may be a unique prefix.
    public func reviewLabels(runID: String) async throws -> [ReviewLabel] {
        try await read { db in
            let id = try requireRunID(runID, db)
            return try labels(where: "l.run_id = ?", arguments: [id], db)
        }
    }

    /// Every label on any run of an agent, oldest run first: the pairs Cohen's kappa is computed on.
    public func allReviewLabels(agent: String) async throws -> [ReviewLabel] {
        try await read { db in try labels(where: "r.agent = ?", arguments: [agent], db) }
    }

    private func labels(where condition: String, arguments: StatementArguments, _ db: Database) throws -> [ReviewLabel] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT l.run_id, l.case_id, l.label, l.reviewer, l.note, l.recorded_at, r.agent, r.version, c.status
                FROM review_label l
                JOIN run r ON r.id = l.run_id
                LEFT JOIN case_result c ON c.run_id = l.run_id AND c.case_id = l.case_id
                WHERE \(condition)
                ORDER BY r.started_at, r.id, c.case_index, l.case_id
                """,
            arguments: arguments)
        return try rows.map { row in
            let labelText: String = row[2]
            guard let label = ReviewLabel.Label(rawValue: labelText) else {
                throw HistoryError.decoding(what: "a review label", message: "unknown label '\(labelText)'")
            }
            let status: String? = row[8]
            return ReviewLabel(
                runID: row[0], caseID: row[1], label: label, reviewer: row[3], note: row[4], recordedAt: row[5], agent: row[6], version: row[7],
                automaticStatus: status.flatMap(CaseResult.Status.init(rawValue:)))
        }
    }
}
