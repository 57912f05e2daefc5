import Foundation
import PostgresNIO

/// Approvals (`HistoryStore+Approval.swift`): the verdict the approval depends on is read after
/// the write lock is held.
extension PostgresHistory {
    public func approve(runID: String, approvedBy: String, reason: String, at date: Date) async throws {
        try await write { connection in
            let id = try await Self.requireRunID(runID, connection)
            let verdict = try await Self.verdict(ofRun: id, connection) ?? .fail
            guard verdict != .fail else { throw HistoryError.notPassing(runID: id, verdict: verdict) }
            var approvalID: Int64 = 0
            for try await (inserted) in try await connection.query(
                "INSERT INTO approval (run_id, approved_by, reason, approved_at) VALUES (\(id), \(approvedBy), \(reason), \(Self.text(date))) RETURNING id",
                logger: Self.logger
            ).decode(Int64.self) {
                approvalID = inserted
            }
            try await Self.appendAudit(
                .approvalRecorded, actor: approvedBy, agent: try await Self.agent(ofRun: id, connection), runID: id, subject: String(approvalID),
                evidence: ["approval_sha256": try await Self.approvalDigest(connection, id: approvalID), "verdict": verdict.rawValue], connection)
        }
    }

    public func approvals(runID: String) async throws -> [Approval] {
        try await read { connection in
            let id = try await Self.requireRunID(runID, connection)
            var approvals: [Approval] = []
            for try await (runID, approvedBy, reason, approvedAt) in try await connection.query(
                "SELECT run_id, approved_by, reason, approved_at FROM approval WHERE run_id = \(id) ORDER BY id", logger: Self.logger
            ).decode((String, String, String, String).self) {
                approvals.append(
                    Approval(runID: runID, approvedBy: approvedBy, reason: reason, approvedAt: try Self.date(approvedAt, what: "an approval")))
            }
            return approvals
        }
    }
}
