import Foundation
import GRDB

/// Release sign-offs (`sign_off`, migration v4; docs/signoff.md).
extension HistoryStore {
    public func recordSignOff(
        runID: String, role: String, decision: SignOff.Decision, signedBy: String, reason: String?, at date: Date
    ) async throws -> SignOff {
        try await write { db in
            let id = try requireRunID(runID, db)
            if decision == .approve,
                let other = try String.fetchOne(
                    db,
                    sql: "SELECT role FROM sign_off WHERE run_id = ? AND signed_by = ? AND role <> ? AND decision = 'approve' ORDER BY id LIMIT 1",
                    arguments: [id, signedBy, role])
            {
                throw HistoryError.signOffConflict(runID: id, signer: signedBy, role: other)
            }
            let verdict = try String.fetchOne(db, sql: "SELECT verdict FROM run WHERE id = ?", arguments: [id]) ?? ""
            try db.execute(
                sql: "INSERT INTO sign_off (run_id, role, decision, signed_by, reason, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, role, decision.rawValue, signedBy, reason, date])
            let signOffID = db.lastInsertedRowID
            try Self.appendAudit(
                decision == .approve ? .releaseSignedOff : .releaseRejected, actor: signedBy, agent: try Self.agent(ofRun: id, db), runID: id,
                subject: String(signOffID),
                evidence: [
                    "sign_off_sha256": try AuditDigest.signOff(db, id: signOffID), "role": role, "decision": decision.rawValue, "verdict": verdict,
                ], db)
            return try Self.signOffs(db, condition: "id = ?", arguments: [signOffID])[0]
        }
    }

    public func signOffs(runID: String) async throws -> [SignOff] {
        try await read { db in
            let id = try requireRunID(runID, db)
            return try Self.signOffs(db, condition: "run_id = ?", arguments: [id])
        }
    }

    static func signOffs(_ db: Database, condition: String, arguments: StatementArguments) throws -> [SignOff] {
        try Row.fetchAll(
            db, sql: "SELECT id, run_id, role, decision, signed_by, reason, recorded_at FROM sign_off WHERE \(condition) ORDER BY id",
            arguments: arguments
        ).map { row in
            let decisionText: String = row[3]
            guard let decision = SignOff.Decision(rawValue: decisionText) else {
                throw HistoryError.decoding(what: "sign-off \(row[0] as Int64)", message: "unknown decision '\(decisionText)'")
            }
            return SignOff(id: row[0], runID: row[1], role: row[2], decision: decision, signedBy: row[4], reason: row[5], recordedAt: row[6])
        }
    }
}
