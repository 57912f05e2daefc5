import EvalGateTestSupport
import Foundation
import GRDB
import Testing

@testable import EvalGateKit

/// The change-control part of the `RunHistory` contract (migration v5): change approvals are
/// stored, read back, append-only, audit entries whose digest `verifyAudit` checks, and copied by
/// `evalgate history migrate`; a run's first change of gates is a `thresholds-changed` entry.
extension RunHistoryContractTests {
    static func approval(_ by: String, role: String, change: String = String(repeating: "ab", count: 32), run: String = "run-a") -> ChangeApproval {
        ChangeApproval(
            agent: "support-bot", changeID: change, runID: run, approvedBy: by, role: role, reason: "tier floor reviewed", approvedAt: F.epoch)
    }

    @Test(arguments: HistoryBackend.allCases)
    func changeApprovalsAreStoredAuditedAndAppendOnly(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            _ = try await F.save(history, id: "run-a")
            #expect(try await history.changeApprovals(agent: "support-bot").isEmpty)
            let first = try await history.approveChange(Self.approval("dana", role: "agent owner", run: "run"))
            #expect(first.id > 0 && first.runID == "run-a", "a unique prefix names the run")
            let second = try await history.approveChange(Self.approval("rita", role: "risk officer"))
            let stored = try await history.changeApprovals(agent: "support-bot")
            #expect(stored == [first, second])
            #expect(try await history.changeApprovals(agent: "other-bot").isEmpty)

            let entries = try await history.auditLog(agent: "support-bot", since: nil, limit: 10).filter { $0.event == .changeApproved }
            #expect(entries.map(\.actor) == ["dana", "rita"])
            #expect(entries.first?.subject == String(first.id) && entries.first?.evidence["role"] == "agent owner")
            #expect(entries.first?.evidence["change_approval_sha256"]?.count == 64 && entries.first?.evidence["change_id"] == first.changeID)
            #expect(try await history.verifyAudit().isIntact)

            // The same person cannot approve the same change twice; an unknown run is refused.
            await #expect(throws: (any Error).self) { try await history.approveChange(Self.approval("dana", role: "risk officer")) }
            await #expect(throws: HistoryError.self) { try await history.approveChange(Self.approval("bo", role: "agent owner", run: "nope")) }
            #expect(try await history.changeApprovals(agent: "support-bot").count == 2)

            // Append-only: the database itself refuses to edit or delete an approval.
            await #expect(throws: (any Error).self) { try await backend.sql(history, "UPDATE change_approval SET role = 'intern'", guards: true) }
            await #expect(throws: (any Error).self) { try await backend.sql(history, "DELETE FROM change_approval", guards: true) }
            #expect(try await history.changeApprovals(agent: "support-bot") == [first, second])

            // Edited around evalgate: verify names the row and the entry that recorded it.
            try await backend.sql(history, "UPDATE change_approval SET role = 'intern' WHERE approved_by = 'rita'", guards: false)
            let report = try await history.verifyAudit()
            #expect(!report.isIntact)
            #expect(report.problems.contains { $0.message.contains("change approval \(second.id) changed since audit entry") }, "\(report.problems)")
        }
    }

    @Test(arguments: HistoryBackend.allCases)
    func historyMigrateCopiesChangeApprovals(backend: HistoryBackend) async throws {
        try await F.withTemporaryFolder { folder in
            let source = try await HistoryStore.open(path: folder.appendingPathComponent("source.sqlite").path)
            _ = try await F.save(source, id: "run-a")
            let approval = try await source.approveChange(Self.approval("dana", role: "agent owner"))
            try await backend.withEmptyHistory { target in
                let report = try await HistoryCopy(from: source, to: target).run()
                #expect(report.counts[.changeApproval] == 1 && report.audit.isIntact)
                #expect(try await target.changeApprovals(agent: "support-bot") == [approval])
                // Ids continue after the copied ones.
                let next = try await target.approveChange(Self.approval("rita", role: "risk officer"))
                #expect(next.id == approval.id + 1)
                #expect(try await target.verifyAudit().isIntact)
            }
        }
    }

    @Test(arguments: HistoryBackend.allCases)
    func aRunThatFirstSeesChangedGatesIsAnAuditEntry(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            var run = F.record(id: "run-b")
            let thresholds = TierThresholds(minPassRate: Rate(exactly: "0.90"))
            run.changeControl = RunChangeControl(
                gates: EffectiveGates(tier: 3, thresholds: thresholds), gatesSHA256: "g2", datasetsSHA256: "d", scorersSHA256: "s",
                tierPolicySHA256: "p2", guardedCases: nil, referenceRunID: "run-a", referenceGatesSHA256: "g1", changes: [], peerDeviations: [],
                approvals: [], block: nil,
                changedSincePreviousRun: ThresholdChange(
                    previousRunID: "run-a", previousGatesSHA256: "g1", previousTierPolicySHA256: "p1", direction: "loosened",
                    summary: "min_pass_rate 0.95 → 0.9"))
            let entry = try await history.record(run, cases: CaseDocuments(results: F.cases(5)), knownGood: false, actor: "ci-bot")
            #expect(entry.event == .runDecided, "the run's own entry stays the head the result file names")
            let log = try await history.auditLog(agent: "support-bot", since: nil, limit: 10)
            let change = try #require(log.first { $0.event == .thresholdsChanged })
            #expect(change.sequence == entry.sequence - 1 && change.runID == "run-b" && change.actor == "ci-bot")
            #expect(change.evidence["previous_gates_sha256"] == "g1" && change.evidence["gates_sha256"] == "g2")
            #expect(change.evidence["direction"] == "loosened" && change.evidence["changes"] == "min_pass_rate 0.95 → 0.9")
            #expect(try await history.run(id: "run-b")?.changeControl == run.changeControl)

            // Re-recording the run (a resume, a review) does not repeat the entry.
            try await history.record(run, cases: nil, knownGood: false, actor: "ci-bot")
            #expect(try await history.auditLog(agent: "support-bot", since: nil, limit: 10).filter { $0.event == .thresholdsChanged }.count == 1)
            #expect(try await history.verifyAudit().isIntact)
        }
    }
}

extension HistoryBackend {
    /// Runs `sql` directly on the storage; with `guards: false`, the change-approval table's
    /// append-only triggers are removed first (someone with write access to the database).
    func sql(_ history: any RunHistory, _ sql: String, guards: Bool) async throws {
        switch self {
        case .sqlite:
            let queue = try DatabaseQueue(path: history.location)
            try await queue.writeWithoutTransaction { db in
                if !guards {
                    try db.execute(
                        sql: """
                            DROP TRIGGER IF EXISTS change_approval_is_append_only_update;
                            DROP TRIGGER IF EXISTS change_approval_is_append_only_delete;
                            """)
                }
                try db.execute(sql: sql)
            }
        case .postgres:
            let address = try #require(history as? PostgresHistory).address
            let statements =
                guards ? [sql] : ["ALTER TABLE change_approval DISABLE TRIGGER USER", sql, "ALTER TABLE change_approval ENABLE TRIGGER USER"]
            _ = try await TestPostgres.query(["BEGIN"] + statements + ["COMMIT"], location: address)
        }
    }
}
