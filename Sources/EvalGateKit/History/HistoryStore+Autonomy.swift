import Foundation
import GRDB

/// Autonomy level changes (`autonomy_change`, migration v6): appended with their audit entry in
/// one transaction, never updated or deleted.
extension HistoryStore {
    @discardableResult
    public func recordAutonomyChange(_ change: AutonomyChange, expectedCurrent: String?) async throws -> AutonomyChange {
        let redactor = redactor
        return try await write { db in
            let current = try String.fetchOne(
                db, sql: "SELECT to_level FROM autonomy_change WHERE agent = ? ORDER BY id DESC LIMIT 1", arguments: [change.agent])
            guard current == expectedCurrent else {
                throw HistoryError.autonomyLevelChanged(agent: change.agent, expected: expectedCurrent, found: current)
            }
            var stored = change
            stored.changedBy = redactor(change.changedBy)
            stored.reason = change.reason.map { redactor($0) }
            stored.evidenceJSON = redactor(change.evidenceJSON)
            try db.execute(
                sql: """
                    INSERT INTO autonomy_change (agent, tier, from_level, to_level, direction, changed_by, role, reason, evidence_json, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    stored.agent, stored.tier, stored.fromLevel, stored.toLevel, stored.direction.rawValue, stored.changedBy, stored.role,
                    stored.reason,
                    stored.evidenceJSON, stored.recordedAt,
                ])
            stored.id = db.lastInsertedRowID
            // Read back as stored (dates to the millisecond), so the caller sees what a reader will.
            stored = try Self.autonomyChanges(db, where: "id = ?", [stored.id]).first ?? stored
            try Self.appendAudit(
                .autonomyChanged, actor: stored.changedBy, agent: stored.agent, runID: nil, subject: String(stored.id),
                evidence: stored.auditEvidence.merging(["autonomy_change_sha256": try AuditDigest.autonomyChange(db, id: stored.id)]) { $1 }, db)
            return stored
        }
    }

    public func autonomyChanges(agent: String, limit: Int) async throws -> [AutonomyChange] {
        try await read { db in
            try Self.autonomyChanges(db, where: "agent = ? ORDER BY id DESC LIMIT ?", [agent, max(0, limit)])
        }
    }

    static func autonomyChanges(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [AutonomyChange] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, agent, tier, from_level, to_level, direction, changed_by, role, reason, evidence_json, recorded_at
                FROM autonomy_change WHERE \(condition)
                """, arguments: arguments
        ).map { row in
            let direction: String = row[5]
            return AutonomyChange(
                id: row[0], agent: row[1], tier: row[2], fromLevel: row[3], toLevel: row[4],
                direction: AutonomyChange.Direction(rawValue: direction) ?? .demote,
                changedBy: row[6], role: row[7], reason: row[8], evidenceJSON: row[9], recordedAt: row[10])
        }
    }
}
