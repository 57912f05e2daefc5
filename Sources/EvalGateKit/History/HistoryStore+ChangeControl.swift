import Foundation
import GRDB

/// Approvals of changes of an agent's effective gates (migration v5, docs/change-control.md).
extension HistoryStore {
    @discardableResult
    public func approveChange(_ approval: ChangeApproval) async throws -> ChangeApproval {
        try await write { db in
            let runID = try requireRunID(approval.runID, db)
            try db.execute(
                sql: """
                    INSERT INTO change_approval (agent, change_id, run_id, approved_by, role, reason, approved_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [approval.agent, approval.changeID, runID, approval.approvedBy, approval.role, approval.reason, approval.approvedAt])
            let id = db.lastInsertedRowID
            try Self.appendAudit(
                .changeApproved, actor: approval.approvedBy, agent: approval.agent, runID: runID, subject: String(id),
                evidence: [
                    "change_approval_sha256": try AuditDigest.changeApproval(db, id: id), "change_id": approval.changeID, "role": approval.role,
                ], db)
            var stored = approval
            stored.id = id
            stored.runID = runID
            return stored
        }
    }

    public func changeApprovals(agent: String) async throws -> [ChangeApproval] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, agent, change_id, run_id, approved_by, role, reason, approved_at
                    FROM change_approval WHERE agent = ? ORDER BY id
                    """, arguments: [agent]
            ).map {
                ChangeApproval(
                    id: $0[0], agent: $0[1], changeID: $0[2], runID: $0[3], approvedBy: $0[4], role: $0[5], reason: $0[6], approvedAt: $0[7])
            }
        }
    }
}
