import Foundation
import PostgresNIO

/// Autonomy level changes (`HistoryStore+Autonomy.swift`): the current level is checked after the
/// write lock is held, so two promotions at once cannot both succeed.
extension PostgresHistory {
    @discardableResult
    public func recordAutonomyChange(_ change: AutonomyChange, expectedCurrent: String?) async throws -> AutonomyChange {
        try await write { connection in
            var current: String?
            for try await (level) in try await connection.query(
                "SELECT to_level FROM autonomy_change WHERE agent = \(change.agent) ORDER BY id DESC LIMIT 1", logger: Self.logger
            ).decode(String.self) {
                current = level
            }
            guard current == expectedCurrent else {
                throw HistoryError.autonomyLevelChanged(agent: change.agent, expected: expectedCurrent, found: current)
            }
            var stored = change
            stored.changedBy = redactor(change.changedBy)
            stored.reason = change.reason.map { redactor($0) }
            stored.evidenceJSON = redactor(change.evidenceJSON)
            let recordedAt = Self.text(stored.recordedAt)
            for try await (id) in try await connection.query(
                """
                INSERT INTO autonomy_change (agent, tier, from_level, to_level, direction, changed_by, role, reason, evidence_json, recorded_at)
                VALUES (\(stored.agent), \(Int64(stored.tier)), \(stored.fromLevel), \(stored.toLevel), \(stored.direction.rawValue),
                        \(stored.changedBy), \(stored.role), \(stored.reason), \(stored.evidenceJSON), \(recordedAt))
                RETURNING id
                """, logger: Self.logger
            ).decode(Int64.self) {
                stored.id = id
            }
            stored.recordedAt = try Self.date(recordedAt, what: "autonomy change \(stored.id)")
            try await Self.appendAudit(
                .autonomyChanged, actor: stored.changedBy, agent: stored.agent, runID: nil, subject: String(stored.id),
                evidence: stored.auditEvidence.merging(["autonomy_change_sha256": try await Self.autonomyChangeDigest(connection, id: stored.id)]) {
                    $1
                }, connection)
            return stored
        }
    }

    public func autonomyChanges(agent: String, limit: Int) async throws -> [AutonomyChange] {
        try await read { connection in
            var changes: [AutonomyChange] = []
            for try await (id, agent, tier, from, to, direction, changedBy, role, reason, evidence, recordedAt) in try await connection.query(
                """
                SELECT id, agent, tier, from_level, to_level, direction, changed_by, role, reason, evidence_json, recorded_at
                FROM autonomy_change WHERE agent = \(agent) ORDER BY id DESC LIMIT \(Int64(max(0, limit)))
                """, logger: Self.logger
            ).decode((Int64, String, Int64, String, String, String, String, String?, String?, String, String).self) {
                changes.append(
                    AutonomyChange(
                        id: id, agent: agent, tier: Int(tier), fromLevel: from, toLevel: to,
                        direction: AutonomyChange.Direction(rawValue: direction) ?? .demote,
                        changedBy: changedBy, role: role, reason: reason, evidenceJSON: evidence,
                        recordedAt: try Self.date(recordedAt, what: "autonomy change \(id)")))
            }
            return changes
        }
    }

    static func autonomyChangeDigest(_ connection: PostgresConnection, id: Int64) async throws -> String {
        try await digest(connection, table: "autonomy_change", columns: AuditDigest.autonomyChangeColumns, where: "id = $1", [id], order: "id")
    }
}
