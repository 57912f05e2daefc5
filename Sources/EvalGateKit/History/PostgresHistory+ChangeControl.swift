import Foundation
import PostgresNIO

/// Approvals of changes of an agent's effective gates (`HistoryStore+ChangeControl.swift`).
extension PostgresHistory {
    @discardableResult
    public func approveChange(_ approval: ChangeApproval) async throws -> ChangeApproval {
        try await write { connection in
            let runID = try await Self.requireRunID(approval.runID, connection)
            var id: Int64 = 0
            for try await (inserted) in try await connection.query(
                """
                INSERT INTO change_approval (agent, change_id, run_id, approved_by, role, reason, approved_at)
                VALUES (\(approval.agent), \(approval.changeID), \(runID), \(approval.approvedBy), \(approval.role), \(approval.reason),
                        \(Self.text(approval.approvedAt)))
                RETURNING id
                """,
                logger: Self.logger
            ).decode(Int64.self) {
                id = inserted
            }
            try await Self.appendAudit(
                .changeApproved, actor: approval.approvedBy, agent: approval.agent, runID: runID, subject: String(id),
                evidence: [
                    "change_approval_sha256": try await Self.changeApprovalDigest(connection, id: id), "change_id": approval.changeID,
                    "role": approval.role,
                ], connection)
            var stored = approval
            stored.id = id
            stored.runID = runID
            return stored
        }
    }

    public func changeApprovals(agent: String) async throws -> [ChangeApproval] {
        try await read { connection in
            var approvals: [ChangeApproval] = []
            for try await (id, agent, changeID, runID, approvedBy, role, reason, approvedAt) in try await connection.query(
                """
                SELECT id, agent, change_id, run_id, approved_by, role, reason, approved_at
                FROM change_approval WHERE agent = \(agent) ORDER BY id
                """, logger: Self.logger
            ).decode((Int64, String, String, String, String, String, String, String).self) {
                approvals.append(
                    ChangeApproval(
                        id: id, agent: agent, changeID: changeID, runID: runID, approvedBy: approvedBy, role: role, reason: reason,
                        approvedAt: try Self.date(approvedAt, what: "a change approval")))
            }
            return approvals
        }
    }

    static func changeApprovalDigest(_ connection: PostgresConnection, id: Int64) async throws -> String {
        try await digest(connection, table: "change_approval", columns: AuditDigest.changeApprovalColumns, where: "id = $1", [id], order: "id")
    }
}
