import Foundation
import PostgresNIO

/// People's pass/fail labels on cases (`HistoryStore+Review.swift`).
extension PostgresHistory {
    public func recordReviewLabel(
        runID: String, caseID: String, label: ReviewLabel.Label, reviewer: String, note: String?, at: Date
    ) async throws {
        try await write { connection in
            let id = try await Self.requireRunID(runID, connection)
            var caseExists = false
            for try await _ in try await connection.query(
                "SELECT 1 FROM case_result WHERE run_id = \(id) AND case_id = \(caseID)", logger: Self.logger)
            {
                caseExists = true
            }
            guard caseExists else { throw HistoryError.caseNotFound(runID: id, caseID: caseID) }
            let reviewer = redactor(reviewer)
            try await connection.query(
                """
                INSERT INTO review_label (run_id, case_id, label, reviewer, note, recorded_at)
                VALUES (\(id), \(caseID), \(label.rawValue), \(reviewer), \(note.map { redactor($0) }), \(Self.text(at)))
                ON CONFLICT (run_id, case_id) DO UPDATE SET
                    label = EXCLUDED.label, reviewer = EXCLUDED.reviewer, note = EXCLUDED.note, recorded_at = EXCLUDED.recorded_at
                """, logger: Self.logger)
            try await Self.appendAudit(
                .reviewLabelRecorded, actor: reviewer, agent: try await Self.agent(ofRun: id, connection), runID: id, subject: caseID,
                evidence: ["review_label_sha256": try await Self.labelDigest(connection, runID: id, caseID: caseID), "label": label.rawValue],
                connection)
        }
    }

    public func reviewLabels(runID: String) async throws -> [ReviewLabel] {
        try await read { connection in
            let id = try await Self.requireRunID(runID, connection)
            return try await labels(where: "l.run_id = $1", [id], connection)
        }
    }

    public func allReviewLabels(agent: String) async throws -> [ReviewLabel] {
        try await read { connection in try await labels(where: "r.agent = $1", [agent], connection) }
    }

    private func labels(
        where condition: String, _ values: [(any PostgresDynamicTypeEncodable)?], _ connection: PostgresConnection
    ) async throws -> [ReviewLabel] {
        let sql = """
            SELECT l.run_id, l.case_id, l.label, l.reviewer, l.note, l.recorded_at, r.agent, r.version, c.status
            FROM review_label l
            JOIN run r ON r.id = l.run_id
            LEFT JOIN case_result c ON c.run_id = l.run_id AND c.case_id = l.case_id
            WHERE \(condition)
            ORDER BY r.started_at, r.id, c.case_index, l.case_id
            """
        var labels: [ReviewLabel] = []
        for try await (runID, caseID, labelText, reviewer, note, recordedAt, agent, version, status) in try await connection.query(
            Self.query(sql, values), logger: Self.logger
        ).decode((String, String, String, String, String?, String, String, String, String?).self) {
            guard let label = ReviewLabel.Label(rawValue: labelText) else {
                throw HistoryError.decoding(what: "a review label", message: "unknown label '\(labelText)'")
            }
            labels.append(
                ReviewLabel(
                    runID: runID, caseID: caseID, label: label, reviewer: reviewer, note: note,
                    recordedAt: try Self.date(recordedAt, what: "a review label"), agent: agent, version: version,
                    automaticStatus: status.flatMap(CaseResult.Status.init(rawValue:))))
        }
        return labels
    }
}
