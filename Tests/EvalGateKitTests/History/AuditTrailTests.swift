import Foundation
import GRDB
import Testing

@testable import EvalGateKit

/// What the SQLite history adds to the audit contract: the schema refuses to change entries, a
/// history written before the audit log is sealed by a genesis entry, and the encoding is stable.
@Suite("Audit trail (SQLite)", .serialized)
struct AuditTrailTests {
    typealias F = HistoryFixtures

    @Test func theSchemaRefusesToUpdateOrDeleteEntries() async throws {
        try await F.withStore { store in
            try await F.save(store, id: "run-1")
            for sql in ["UPDATE audit_entry SET actor = 'mallory'", "DELETE FROM audit_entry WHERE sequence = 2"] {
                #expect(throws: DatabaseError.self, "\(sql)") {
                    try store.writer.writeWithoutTransaction { db in try db.execute(sql: sql) }
                }
            }
            #expect(try await store.verifyAudit().isIntact)
            #expect(try await store.auditLog().map(\.actor).last == AuditActor.resolve(by: nil))
        }
    }

    /// A history written by an evalgate without the audit log: opening it adds the log, whose
    /// genesis entry is followed by one `sealed` entry per stored row, in one migration.
    @Test func anOlderHistoryIsSealedAtMigration() async throws {
        try await F.withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("v2.sqlite").path
            let cases = F.cases(3)
            let old = F.record(id: "old-run", cases: cases)
            do {
                let pool = try DatabasePool(path: path)
                try HistoryStore.migrator.migrate(pool, upTo: "v2")
                try await pool.write { db in
                    let json = String(decoding: try JSONCoding.encoder().encode(old), as: UTF8.self)
                    try RunRow(old, recordJSON: json, knownGood: true, savedAt: F.epoch, redactor: .none).insert(db)
                    for (position, gate) in old.gates.enumerated() { try GateResultRow(gate, runID: old.id, position: position).insert(db) }
                    for result in cases {
                        try db.execute(
                            sql: """
                                INSERT INTO case_result (run_id, case_index, case_id, dataset, status, score, critical, tags, latency_ms, result_json)
                                VALUES (?, ?, ?, ?, ?, ?, ?, '[]', ?, ?)
                                """,
                            arguments: [
                                old.id, result.index, result.id, result.dataset, result.status.rawValue, result.score, result.critical,
                                result.latencyMilliseconds, String(decoding: try JSONCoding.encoder().encode(result), as: UTF8.self),
                            ])
                    }
                    try db.execute(
                        sql: "INSERT INTO approval (run_id, approved_by, reason, approved_at) VALUES (?, 'dana', 'first release', ?)",
                        arguments: [old.id, F.epoch])
                    try db.execute(
                        sql:
                            "INSERT INTO deployment (agent, environment, version, recorded_at, run_id) VALUES ('support-bot', 'production', '1.4.0', ?, ?)",
                        arguments: [F.epoch, old.id])
                    try db.execute(
                        sql: "INSERT INTO review_label (run_id, case_id, label, reviewer, recorded_at) VALUES (?, 'case-1', 'pass', 'rita', ?)",
                        arguments: [old.id, F.epoch])
                }
            }

            let store = try HistoryStore(path: path)
            let log = try await store.auditLog()
            #expect(log.map(\.event) == [.genesis, .sealed, .sealed, .sealed, .sealed])
            #expect(log[0].evidence == ["runs": "1", "approvals": "1", "deployments": "1", "review_labels": "1"])
            #expect(log.dropFirst().map { $0.evidence["object"] } == ["run", "approval", "deployment", "review-label"])
            #expect(log[1].runID == "old-run" && log[1].evidence["verdict"] == "pass" && log[1].evidence["cases_sha256"] != nil)
            #expect(log.allSatisfy { $0.actor.hasPrefix("evalgate ") })
            #expect(try await store.verifyAudit().isIntact)

            // From now on the old run is verified like any other, and new decisions chain on.
            let entry = try await store.record(F.record(id: "new-run", startedAt: F.date(minutes: 9)), cases: nil, knownGood: false, actor: "ci")
            #expect(entry.sequence == 6 && entry.previousHash == log[4].hash)
            try await HistoryBackend.sqlite.tamper(store, "UPDATE run SET verdict = 'fail', known_good = 0 WHERE id = 'old-run'")
            let problems = try await store.verifyAudit().problems
            #expect(problems.map(\.kind) == [.changed] && problems.first?.sequence == 2, "\(problems)")
            // Opening it again does not seal it twice.
            #expect(try await HistoryStore(path: path).auditLog().count == 6)
        }
    }

    /// The canonical encoding is part of the file format: an auditor's own tool recomputes it.
    @Test func theCanonicalEncodingIsFixed() throws {
        var entry = AuditEntry(
            sequence: 7, recordedAt: "2026-11-30T10:55:00.123Z", actor: "Zoë", event: .approvalRecorded, agent: "support-bot", runID: "run-1",
            subject: nil, evidence: ["verdict": "inconclusive", "approval_sha256": "ab"], previousHash: AuditEntry.noPreviousHash)
        entry.hash = entry.computedHash
        let expected = """
            evalgate.audit/v1
            sequence 1:7
            recorded_at 24:2026-11-30T10:55:00.123Z
            actor 4:Zoë
            event 17:approval-recorded
            agent 11:support-bot
            run_id 5:run-1
            subject -
            evidence.approval_sha256 2:ab
            evidence.verdict 12:inconclusive
            previous_hash 64:\(AuditEntry.noPreviousHash)

            """
        #expect(String(decoding: entry.canonicalEncoding, as: UTF8.self) == expected)
        // The same digest Python's hashlib.sha256 gives for these bytes (docs/audit.md).
        #expect(entry.hash == "94c3773fd3ab23341e5debca29e36c1a095e041a7017b3687f4128c9df062e8f")
        #expect(AuditEntry.timestamp(Date(timeIntervalSince1970: 1_764_500_100.125)) == "2025-11-30T10:55:00.125Z")
    }

    @Test(arguments: [
        (String?.none, ["GITHUB_ACTOR": "octocat", "USER": "alice"], "octocat"), ("dana", ["GITHUB_ACTOR": "octocat"], "dana"),
        (nil, ["GITLAB_USER_LOGIN": "jdoe", "USER": "alice"], "jdoe"), (nil, ["USER": "alice"], "alice"), (" ", [:], "unknown"),
    ])
    func theActorIsTheFlagTheCIIdentityOrTheUser(by: String?, environment: [String: String], actor: String) {
        #expect(AuditActor.resolve(by: by, environment: environment) == actor)
    }
}
