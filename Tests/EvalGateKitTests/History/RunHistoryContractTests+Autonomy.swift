import EvalGateTestSupport
import Foundation
import GRDB
import Testing

@testable import EvalGateKit

/// The autonomy part of the `RunHistory` contract: changes are appended with their audit entry,
/// read back newest first, never updated or deleted, refused when the level moved meanwhile,
/// checked by `verifyAudit` and copied by `HistoryCopy`.
extension RunHistoryContractTests {
    static func change(
        _ from: String, _ to: String, _ direction: AutonomyChange.Direction = .promote, role: String? = "risk officer", minutes: Int = 0
    ) -> AutonomyChange {
        AutonomyChange(
            agent: "support-bot", tier: 3, fromLevel: from, toLevel: to, direction: direction, changedBy: "Priya Raman", role: role,
            reason: direction == .demote ? "monitor run failed" : nil, evidenceJSON: #"{"level":"\#(from)"}"#, recordedAt: F.date(minutes: minutes))
    }

    @Test(arguments: HistoryBackend.allCases)
    func autonomyChangesAreAppendedWithTheirAuditEntry(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            #expect(try await history.autonomyChanges(agent: "support-bot", limit: 10).isEmpty)
            let up = try await history.recordAutonomyChange(Self.change("draft-only", "approve-each"), expectedCurrent: nil)
            #expect(up.id == 1 && up.recordedAt == F.date(minutes: 0) && up.evidenceJSON == #"{"level":"draft-only"}"#)
            let entry = try #require(try await history.auditLog(agent: "support-bot", since: nil, limit: 10).last)
            #expect(entry.event == .autonomyChanged && entry.actor == "Priya Raman" && entry.subject == "1" && entry.runID == nil)
            #expect(entry.evidence["from"] == "draft-only" && entry.evidence["to"] == "approve-each" && entry.evidence["role"] == "risk officer")
            #expect(entry.evidence["direction"] == "promote" && entry.evidence["autonomy_change_sha256"]?.count == 64)

            let down = try await history.recordAutonomyChange(
                Self.change("approve-each", "draft-only", .demote, role: nil, minutes: 5), expectedCurrent: "approve-each")
            #expect(down.id == 2)
            let changes = try await history.autonomyChanges(agent: "support-bot", limit: 10)
            #expect(changes == [down, up])
            #expect(try await history.autonomyChanges(agent: "support-bot", limit: 1) == [down])
            #expect(try await history.autonomyChanges(agent: "other-bot", limit: 10).isEmpty)
            #expect(try await history.verifyAudit().isIntact)
        }
    }

    /// Two people promoting at once: the second starts from a level that is no longer current, and
    /// nothing of it is written.
    @Test(arguments: HistoryBackend.allCases)
    func aChangeFromALevelNoLongerCurrentIsRefused(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await history.recordAutonomyChange(Self.change("draft-only", "approve-each"), expectedCurrent: nil)
            let head = try await history.auditHead()
            let error = await #expect(throws: HistoryError.self) {
                try await history.recordAutonomyChange(Self.change("draft-only", "approve-each"), expectedCurrent: nil)
            }
            #expect(error == .autonomyLevelChanged(agent: "support-bot", expected: nil, found: "approve-each"))
            #expect(try await history.auditHead() == head)
            #expect(try await history.autonomyChanges(agent: "support-bot", limit: 10).count == 1)
        }
    }

    @Test(arguments: HistoryBackend.allCases)
    func autonomyChangesAreAppendOnlyAndAnEditIsDetected(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await history.recordAutonomyChange(Self.change("draft-only", "approve-each"), expectedCurrent: nil)
            // The schema refuses updates and deletes.
            switch backend {
            case .sqlite:
                let queue = try DatabaseQueue(path: history.location)
                await #expect(throws: (any Error).self) {
                    try await queue.write { try $0.execute(sql: "UPDATE autonomy_change SET to_level = 'broadened'") }
                }
                await #expect(throws: (any Error).self) { try await queue.write { try $0.execute(sql: "DELETE FROM autonomy_change") } }
            case .postgres:
                let address = try #require(history as? PostgresHistory).address
                await #expect(throws: (any Error).self) {
                    _ = try await TestPostgres.query(["UPDATE autonomy_change SET to_level = 'broadened'"], location: address)
                }
                await #expect(throws: (any Error).self) { _ = try await TestPostgres.query(["DELETE FROM autonomy_change"], location: address) }
            }
            #expect(try await history.verifyAudit().isIntact)

            // Someone with write access removes the guard and edits the row: verify names it.
            switch backend {
            case .sqlite:
                let queue = try DatabaseQueue(path: history.location)
                try await queue.writeWithoutTransaction { db in
                    try db.execute(sql: "DROP TRIGGER autonomy_change_is_append_only_update")
                    try db.execute(sql: "UPDATE autonomy_change SET to_level = 'broadened' WHERE id = 1")
                }
            case .postgres:
                let address = try #require(history as? PostgresHistory).address
                _ = try await TestPostgres.query(
                    [
                        "ALTER TABLE autonomy_change DISABLE TRIGGER USER", "UPDATE autonomy_change SET to_level = 'broadened' WHERE id = 1",
                        "ALTER TABLE autonomy_change ENABLE TRIGGER USER",
                    ], location: address)
            }
            let verification = try await history.verifyAudit()
            #expect(verification.problems.map(\.kind) == [.changed])
            #expect(verification.problems.first?.message == "autonomy change 1 changed since audit entry 2 recorded it", "\(verification.problems)")
        }
    }

    @Test(arguments: HistoryBackend.allCases)
    func aCopiedHistoryKeepsItsAutonomyChanges(backend: HistoryBackend) async throws {
        try await F.withTemporaryFolder { folder in
            let source = try await HistoryStore.open(path: folder.appendingPathComponent("source.sqlite").path)
            try await F.save(source, id: "run-a")
            try await source.recordAutonomyChange(Self.change("draft-only", "approve-each"), expectedCurrent: nil)
            try await source.recordAutonomyChange(Self.change("approve-each", "draft-only", .demote, minutes: 1), expectedCurrent: "approve-each")
            try await backend.withEmptyHistory { target in
                let report = try await HistoryCopy(from: source, to: target).run()
                #expect(report.counts[.autonomyChange] == 2 && report.audit.isIntact)
                #expect(
                    try await target.autonomyChanges(agent: "support-bot", limit: 10)
                        == (try await source.autonomyChanges(agent: "support-bot", limit: 10)))
                // The next change gets the next id on the target too.
                let next = try await target.recordAutonomyChange(Self.change("draft-only", "approve-each", minutes: 2), expectedCurrent: "draft-only")
                #expect(next.id == 3)
            }
        }
    }
}
