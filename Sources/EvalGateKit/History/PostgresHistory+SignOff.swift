import Foundation
import PostgresNIO

/// Release sign-offs (`HistoryStore+SignOff.swift`), checked and written under the write lock.
extension PostgresHistory {
    public func recordSignOff(
        runID: String, role: String, decision: SignOff.Decision, signedBy: String, reason: String?, at date: Date
    ) async throws -> SignOff {
        try await write { connection in
            let id = try await Self.requireRunID(runID, connection)
            if decision == .approve {
                for try await (other) in try await connection.query(
                    "SELECT role FROM sign_off WHERE run_id = \(id) AND signed_by = \(signedBy) AND role <> \(role) AND decision = 'approve' ORDER BY id LIMIT 1",
                    logger: Self.logger
                ).decode(String.self) {
                    throw HistoryError.signOffConflict(runID: id, signer: signedBy, role: other)
                }
            }
            let verdict = try await Self.verdict(ofRun: id, connection)?.rawValue ?? ""
            var signOffID: Int64 = 0
            for try await (inserted) in try await connection.query(
                """
                INSERT INTO sign_off (run_id, role, decision, signed_by, reason, recorded_at)
                VALUES (\(id), \(role), \(decision.rawValue), \(signedBy), \(reason), \(Self.text(date))) RETURNING id
                """,
                logger: Self.logger
            ).decode(Int64.self) {
                signOffID = inserted
            }
            try await Self.appendAudit(
                decision == .approve ? .releaseSignedOff : .releaseRejected, actor: signedBy, agent: try await Self.agent(ofRun: id, connection),
                runID: id, subject: String(signOffID),
                evidence: [
                    "sign_off_sha256": try await Self.signOffDigest(connection, id: signOffID), "role": role, "decision": decision.rawValue,
                    "verdict": verdict,
                ], connection)
            return try await Self.signOffs(connection, runID: nil, id: signOffID)[0]
        }
    }

    public func signOffs(runID: String) async throws -> [SignOff] {
        try await read { connection in
            let id = try await Self.requireRunID(runID, connection)
            return try await Self.signOffs(connection, runID: id, id: nil)
        }
    }

    static func signOffs(_ connection: PostgresConnection, runID: String?, id: Int64?) async throws -> [SignOff] {
        let query: PostgresQuery =
            if let id {
                "SELECT id, run_id, role, decision, signed_by, reason, recorded_at FROM sign_off WHERE id = \(id) ORDER BY id"
            } else {
                "SELECT id, run_id, role, decision, signed_by, reason, recorded_at FROM sign_off WHERE run_id = \(runID ?? "") ORDER BY id"
            }
        var signOffs: [SignOff] = []
        for try await (id, runID, role, decisionText, signedBy, reason, recordedAt) in try await connection.query(query, logger: logger).decode(
            (Int64, String, String, String, String, String?, String).self)
        {
            guard let decision = SignOff.Decision(rawValue: decisionText) else {
                throw HistoryError.decoding(what: "sign-off \(id)", message: "unknown decision '\(decisionText)'")
            }
            signOffs.append(
                SignOff(
                    id: id, runID: runID, role: role, decision: decision, signedBy: signedBy, reason: reason,
                    recordedAt: try date(recordedAt, what: "a sign-off")))
        }
        return signOffs
    }

    static func signOffDigest(_ connection: PostgresConnection, id: Int64) async throws -> String {
        try await digest(connection, table: "sign_off", columns: AuditDigest.signOffColumns, where: "id = $1", [id], order: "id")
    }
}
