import EvalGateTestSupport
import Foundation
import GRDB
import Testing

@testable import EvalGateKit

extension HistoryBackend {
    /// Runs `sql` on the backend's storage directly, the way someone with write access to the
    /// database (not evalgate) would: with the append-only guards removed first.
    func tamper(_ history: any RunHistory, _ sql: String) async throws {
        switch self {
        case .sqlite:
            let queue = try DatabaseQueue(path: history.location)
            try await queue.writeWithoutTransaction { db in
                try db.execute(
                    sql: """
                        DROP TRIGGER IF EXISTS audit_entry_is_append_only_update;
                        DROP TRIGGER IF EXISTS audit_entry_is_append_only_delete;
                        DROP TRIGGER IF EXISTS sign_off_is_append_only_update;
                        DROP TRIGGER IF EXISTS sign_off_is_append_only_delete;
                        """)
                try db.execute(sql: sql)
            }
        case .postgres:
            let address = try #require(history as? PostgresHistory).address
            // The same SQL, but PostgreSQL's booleans are not integers.
            let statements = sql.replacingOccurrences(of: "known_good = 0", with: "known_good = false").split(separator: ";")
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            _ = try await TestPostgres.query(
                ["BEGIN", "ALTER TABLE audit_entry DISABLE TRIGGER USER", "ALTER TABLE sign_off DISABLE TRIGGER USER"] + statements + [
                    "ALTER TABLE audit_entry ENABLE TRIGGER USER", "ALTER TABLE sign_off ENABLE TRIGGER USER", "COMMIT",
                ],
                location: address)
        }
    }
}

/// The audit log part of the `RunHistory` contract: every change of a decision is an entry in the
/// same transaction, the chain links, and `verifyAudit` names what was tampered with.
extension RunHistoryContractTests {
    /// Six entries after genesis: a passing run, a failing run (its cases labelled), an approval,
    /// a deployment and a release sign-off.
    static func fillAuditedHistory(_ history: any RunHistory) async throws {
        let cases = F.cases(5)
        try await history.record(F.record(id: "run-pass", cases: cases), cases: CaseDocuments(results: cases), knownGood: true, actor: "ci-bot")
        try await history.record(
            F.record(id: "run-fail", verdict: .fail, startedAt: F.date(minutes: 1), cases: cases), cases: CaseDocuments(results: cases),
            knownGood: false, actor: "ci-bot")
        try await history.approve(runID: "run-pass", approvedBy: "dana", reason: "first release", at: F.epoch)
        try await history.recordDeployment(
            agent: "support-bot", environment: "production", version: "1.4.0", recordedBy: "deployer", note: nil, runID: "run-pass", at: F.epoch)
        try await history.recordReviewLabel(runID: "run-fail", caseID: "case-4", label: .pass, reviewer: "rita", note: nil, at: F.epoch)
        _ = try await history.recordSignOff(runID: "run-pass", role: "risk officer", decision: .approve, signedBy: "dana", reason: nil, at: F.epoch)
    }

    @Test(arguments: HistoryBackend.allCases)
    func everyDecisionIsAnAuditEntry(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            let genesis = try #require(try await history.auditHead())
            #expect(genesis.sequence == 1)

            let cases = F.cases(5)
            var run = F.record(id: "run-a", cases: cases)
            let entry = try await history.record(run, cases: CaseDocuments(results: cases), knownGood: true, actor: "ci-bot")
            #expect(entry.sequence == 2 && entry.event == .runDecided && entry.actor == "ci-bot")
            #expect(entry.runID == "run-a" && entry.agent == "support-bot" && entry.previousHash == genesis.hash)
            #expect(entry.evidence["verdict"] == "pass" && entry.evidence["known_good"] == "true" && entry.evidence["version"] == "1.4.0")
            #expect(entry.evidence["cases_sha256"]?.count == 64 && entry.evidence["run_sha256"]?.count == 64)
            #expect(try await history.auditHead() == entry.head)

            // The record's audit head is for result files; the history stores the record without it.
            run.audit = entry.head
            let again = try await history.record(run, cases: nil, knownGood: false, actor: "ana")
            #expect(again.event == .runRedecided && again.evidence["cases_sha256"] == nil)
            #expect(try await history.run(id: "run-a")?.audit == nil)
            try await history.markKnownGood(runID: "run-a", false, actor: "bo")
            try await history.markKnownGood(runID: "run-a", true, actor: "bo")
            try await history.approve(runID: "run-a", approvedBy: "dana", reason: "judge outage", at: F.epoch)
            try await history.recordDeployment(
                agent: "support-bot", environment: "production", version: "1.4.0", recordedBy: "deployer", note: nil, runID: "run-a", at: F.epoch)
            try await history.recordReviewLabel(runID: "run-a", caseID: "case-1", label: .fail, reviewer: "rita", note: nil, at: F.epoch)

            let log = try await history.auditLog(agent: nil, since: nil, limit: 100)
            #expect(
                log.map(\.event) == [
                    .genesis, .runDecided, .runRedecided, .knownGoodUnmarked, .knownGoodMarked, .approvalRecorded, .deploymentRecorded,
                    .reviewLabelRecorded,
                ])
            #expect(Array(log.map(\.actor).dropFirst()) == ["ci-bot", "ana", "bo", "bo", "dana", "deployer", "rita"])
            #expect(log.map(\.sequence) == Array(1...8))
            #expect(log[0].previousHash == AuditEntry.noPreviousHash)
            for (earlier, later) in zip(log, log.dropFirst()) { #expect(later.previousHash == earlier.hash) }
            for entry in log { #expect(entry.computedHash == entry.hash, "entry \(entry.sequence)") }
            #expect(log[3].evidence["known_good"] == "false" && log[4].evidence["known_good"] == "true")
            #expect(log[6].subject != nil && log[6].evidence["environment"] == "production")
            #expect(log[7].subject == "case-1" && log[7].evidence["label"] == "fail")

            let verification = try await history.verifyAudit(anchor: log[3].head)
            #expect(verification.isIntact, "\(verification.problems)")
            #expect(verification.entries == 8 && verification.head == log.last?.head)
        }
    }

    /// A refused change is refused whole: no audit entry without its change, and no change without one.
    @Test(arguments: HistoryBackend.allCases)
    func aRefusedChangeAppendsNoEntry(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await F.save(history, id: "failed", verdict: .fail)
            let head = try await history.auditHead()
            var cases = F.cases(4)
            cases[3].id = cases[0].id
            let duplicated = try CaseDocuments(results: cases)
            await #expect(throws: HistoryError.self) {
                try await history.record(F.record(id: "dup"), cases: duplicated, knownGood: false, actor: "x")
            }
            await #expect(throws: HistoryError.self) { try await history.markKnownGood(runID: "failed", true, actor: "x") }
            await #expect(throws: HistoryError.self) { try await history.approve(runID: "failed", approvedBy: "x", reason: "no", at: F.epoch) }
            await #expect(throws: HistoryError.self) {
                try await history.recordReviewLabel(runID: "failed", caseID: "case-99", label: .pass, reviewer: "x", note: nil, at: F.epoch)
            }
            await #expect(throws: HistoryError.self) {
                try await history.recordDeployment(
                    agent: "support-bot", environment: "production", version: "9", recordedBy: "x", note: nil, runID: "missing", at: F.epoch)
            }
            #expect(try await history.auditHead() == head)
            #expect(try await history.auditLog(agent: nil, since: nil, limit: 100).map(\.event) == [.genesis, .runDecided])
            #expect(try await history.verifyAudit(anchor: nil).isIntact)
        }
    }

    @Test(arguments: HistoryBackend.allCases)
    func theLogIsFilteredByAgentTimeAndLimit(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await F.save(history, id: "a1", agent: "support-bot")
            try await F.save(history, id: "b1", agent: "other-bot", minutes: 1)
            try await F.save(history, id: "a2", agent: "support-bot", minutes: 2)
            #expect(try await history.auditLog(agent: "support-bot", since: nil, limit: 100).map(\.runID) == ["a1", "a2"])
            #expect(try await history.auditLog(agent: "other-bot", since: nil, limit: 100).map(\.runID) == ["b1"])
            // The newest entries, oldest first.
            #expect(try await history.auditLog(agent: nil, since: nil, limit: 2).map(\.runID) == ["b1", "a2"])
            #expect(try await history.auditLog(agent: nil, since: Date().addingTimeInterval(3600), limit: 100).isEmpty)
            #expect(try await history.auditLog(agent: nil, since: Date().addingTimeInterval(-3600), limit: 100).count == 4)
        }
    }

    /// Concurrent writers append one after the other: no sequence number twice, no fork.
    @Test(arguments: HistoryBackend.allCases)
    func concurrentWritersKeepOneChain(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<6 {
                    group.addTask {
                        for run in 0..<3 { try await F.save(history, id: "w\(writer)-r\(run)", minutes: writer * 10 + run) }
                    }
                }
                try await group.waitForAll()
            }
            let log = try await history.auditLog(agent: nil, since: nil, limit: 100)
            #expect(log.map(\.sequence) == Array(1...19))
            #expect(try await history.verifyAudit(anchor: nil).isIntact)
        }
    }

    // MARK: Tampering

    /// An entry edited, deleted or swapped with its neighbour in the database is named by its
    /// sequence number.
    @Test(
        arguments: HistoryBackend.allCases,
        [
            ("UPDATE audit_entry SET actor = 'mallory' WHERE sequence = 3", AuditProblem.Kind.edited, Int64(3)),
            ("UPDATE audit_entry SET evidence = replace(evidence, '\"fail\"', '\"pass\"') WHERE sequence = 3", .edited, 3),
            ("DELETE FROM audit_entry WHERE sequence = 4", .deleted, 4),
            (
                """
                UPDATE audit_entry SET sequence = 1000 WHERE sequence = 3;
                UPDATE audit_entry SET sequence = 3 WHERE sequence = 4;
                UPDATE audit_entry SET sequence = 4 WHERE sequence = 1000;
                """, .reordered, 3
            ),
        ])
    func aTamperedEntryIsNamed(backend: HistoryBackend, tampering: (String, AuditProblem.Kind, Int64)) async throws {
        let (sql, kind, sequence) = tampering
        try await backend.withEmptyHistory { history in
            try await Self.fillAuditedHistory(history)
            #expect(try await history.verifyAudit(anchor: nil).isIntact)
            try await backend.tamper(history, sql)
            let verification = try await history.verifyAudit(anchor: nil)
            let first = try #require(verification.problems.first)
            #expect(first.kind == kind && first.sequence == sequence, "\(verification.problems)")
        }
    }

    /// Rows edited, added or removed around evalgate are caught as surely as an edited entry.
    @Test(
        arguments: HistoryBackend.allCases,
        [
            ("UPDATE run SET verdict = 'pass' WHERE id = 'run-fail'", AuditProblem.Kind.changed, Int64?(3), "run run-fail has verdict 'pass'"),
            ("UPDATE run SET known_good = 0 WHERE id = 'run-pass'", .changed, 2, "the row of run run-pass changed"),
            ("UPDATE gate_result SET outcome = 'pass' WHERE run_id = 'run-fail'", .changed, 3, "the gate results of run run-fail changed"),
            (
                "UPDATE case_result SET status = 'passed', result_json = replace(result_json, 'failed', 'passed') WHERE run_id = 'run-fail'",
                .changed, 3, "the cases of run run-fail changed"
            ),
            ("UPDATE approval SET approved_by = 'mallory'", .changed, 4, "approval 1 changed"),
            ("DELETE FROM deployment", .missing, 5, "deployment 1, recorded by audit entry 5, is no longer"),
            ("UPDATE review_label SET label = 'fail'", .changed, 6, "the review label of case case-4 of run run-fail changed"),
            ("UPDATE sign_off SET role = 'agent owner'", .changed, 7, "sign-off 1 changed"),
            ("DELETE FROM sign_off", .missing, 7, "sign-off 1, recorded by audit entry 7, is no longer"),
            (
                "INSERT INTO deployment (agent, environment, version, recorded_at) VALUES ('support-bot', 'production', '6.6.6', '2026-01-01 00:00:00.000')",
                .unrecorded, nil, "deployment 2 is in the history but not in the audit log"
            ),
        ])
    func aRowThatNoLongerMatchesItsEntryIsNamed(
        backend: HistoryBackend, tampering: (String, AuditProblem.Kind, Int64?, String)
    ) async throws {
        let (sql, kind, sequence, message) = tampering
        try await backend.withEmptyHistory { history in
            try await Self.fillAuditedHistory(history)
            try await backend.tamper(history, sql)
            let verification = try await history.verifyAudit(anchor: nil)
            #expect(verification.problems.count == 1, "\(verification.problems)")
            let problem = try #require(verification.problems.first)
            #expect(problem.kind == kind && problem.sequence == sequence, "\(problem)")
            #expect(problem.message.contains(message), "\(problem.message)")
        }
    }

    /// Truncating the log keeps the rest of the chain valid; an anchor kept elsewhere catches it.
    @Test(arguments: HistoryBackend.allCases)
    func anAnchorCatchesATruncatedLog(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await Self.fillAuditedHistory(history)
            let anchor = try #require(try await history.auditHead())
            try await F.save(history, id: "later", minutes: 5)
            #expect(try await history.verifyAudit(anchor: anchor).isIntact, "the log extends the anchor")
            try await backend.tamper(history, "DELETE FROM audit_entry WHERE sequence >= \(anchor.sequence)")
            let problems = try await history.verifyAudit(anchor: anchor).problems
            #expect(problems.map(\.kind).contains(.anchor), "\(problems)")
            #expect(problems.first { $0.kind == .anchor }?.sequence == anchor.sequence)
            let forged = AuditHead(sequence: 2, hash: String(repeating: "f", count: 64))
            #expect(try await history.verifyAudit(anchor: forged).problems.map(\.kind).contains(.anchor))
        }
    }
}
