import Foundation
import GRDB

/// A named person vouching for a run that could not pass by itself.
public struct Approval: Sendable, Equatable, Codable {
    public var runID: String
    public var approvedBy: String
    public var reason: String
    public var approvedAt: Date
}

extension HistoryStore {
    /// Makes an inconclusive run's version known-good on a person's word, with their name and reason.
    /// A run with a failed gate cannot be approved: approval bridges missing evidence, never bad evidence.
    public func approve(runID: String, approvedBy: String, reason: String, at date: Date) async throws {
        try await write { db in
            let id = try requireRunID(runID, db)
            let verdictText = try String.fetchOne(db, sql: "SELECT verdict FROM run WHERE id = ?", arguments: [id]) ?? ""
            let verdict = Verdict(rawValue: verdictText) ?? .fail
            guard verdict != .fail else { throw HistoryError.notPassing(runID: id, verdict: verdict) }
            try db.execute(
                sql: "INSERT INTO approval (run_id, approved_by, reason, approved_at) VALUES (?, ?, ?, ?)",
                arguments: [id, approvedBy, reason, date])
            let approvalID = db.lastInsertedRowID
            try Self.appendAudit(
                .approvalRecorded, actor: approvedBy, agent: try Self.agent(ofRun: id, db), runID: id, subject: String(approvalID),
                evidence: ["approval_sha256": try AuditDigest.approval(db, id: approvalID), "verdict": verdict.rawValue], db)
        }
    }

    public func approvals(runID: String) async throws -> [Approval] {
        try await read { db in
            let id = try requireRunID(runID, db)
            return try Row.fetchAll(
                db, sql: "SELECT run_id, approved_by, reason, approved_at FROM approval WHERE run_id = ? ORDER BY id", arguments: [id]
            ).map {
                Approval(runID: $0[0], approvedBy: $0[1], reason: $0[2], approvedAt: $0[3])
            }
        }
    }
}
