import EvalGateTestSupport
import Foundation
import GRDB
import Testing

@testable import EvalGateKit

/// Release sign-offs (`sign_off`, docs/signoff.md) and scope changes in the `RunHistory` contract:
/// append-only rows with their audit entries, one person per role, and what `verifyAudit` sees.
extension RunHistoryContractTests {
    @Test(arguments: HistoryBackend.allCases)
    func signOffsAreAppendedWithTheirAuditEntries(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await F.save(history, id: "run-release")
            let approved = try await history.recordSignOff(
                runID: "run-rel", role: "risk officer", decision: .approve, signedBy: "Dana Okafor", reason: nil, at: F.date(minutes: 5))
            #expect(approved.id == 1 && approved.runID == "run-release" && approved.role == "risk officer" && approved.decision == .approve)
            #expect(approved.signedBy == "Dana Okafor" && approved.reason == nil && approved.recordedAt == F.date(minutes: 5))
            let entry = try #require(try await history.auditLog(agent: nil, since: nil, limit: 1).last)
            #expect(entry.event == .releaseSignedOff && entry.actor == "Dana Okafor" && entry.runID == "run-release" && entry.subject == "1")
            #expect(entry.evidence["role"] == "risk officer" && entry.evidence["decision"] == "approve" && entry.evidence["verdict"] == "pass")
            #expect(entry.evidence["sign_off_sha256"]?.count == 64)

            let rejected = try await history.recordSignOff(
                runID: "run-release", role: "agent owner", decision: .reject, signedBy: "Omar", reason: "the refund cap is untested",
                at: F.date(minutes: 6))
            #expect(rejected.id == 2 && rejected.decision == .reject && rejected.reason == "the refund cap is untested")
            let last = try #require(try await history.auditLog(agent: "support-bot", since: nil, limit: 1).last)
            #expect(last.event == .releaseRejected && last.actor == "Omar" && last.subject == "2")
            #expect(try await history.signOffs(runID: "run-release") == [approved, rejected])
            #expect(try await history.verifyAudit(anchor: nil).isIntact)
            await #expect(throws: HistoryError.runNotFound("nope")) {
                try await history.recordSignOff(runID: "nope", role: "risk officer", decision: .approve, signedBy: "x", reason: nil, at: F.epoch)
            }
        }
    }

    /// One person cannot sign off two roles of one run; the refused sign-off leaves no row and no entry.
    @Test(arguments: HistoryBackend.allCases)
    func onePersonSignsOffOneRole(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await F.save(history, id: "run-release")
            _ = try await history.recordSignOff(
                runID: "run-release", role: "agent owner", decision: .approve, signedBy: "dana", reason: nil, at: F.epoch)
            let head = try await history.auditHead()
            await #expect(throws: HistoryError.signOffConflict(runID: "run-release", signer: "dana", role: "agent owner")) {
                try await history.recordSignOff(
                    runID: "run-release", role: "risk officer", decision: .approve, signedBy: "dana", reason: nil, at: F.epoch)
            }
            #expect(try await history.auditHead() == head)
            #expect(try await history.signOffs(runID: "run-release").count == 1)
            // The same role again, by the same person, supersedes (the newest decision is in force).
            _ = try await history.recordSignOff(
                runID: "run-release", role: "agent owner", decision: .approve, signedBy: "dana", reason: "re-checked", at: F.epoch)
            #expect(try await history.signOffs(runID: "run-release").count == 2)
        }
    }

    /// The rows cannot be changed or removed through the database either.
    @Test(arguments: HistoryBackend.allCases)
    func signOffsCannotBeChangedInTheDatabase(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await F.save(history, id: "run-release")
            _ = try await history.recordSignOff(
                runID: "run-release", role: "risk officer", decision: .approve, signedBy: "dana", reason: nil, at: F.epoch)
            for statement in ["UPDATE sign_off SET signed_by = 'mallory'", "DELETE FROM sign_off"] {
                switch backend {
                case .sqlite:
                    let queue = try DatabaseQueue(path: history.location)
                    #expect(throws: (any Error).self, "\(statement)") { try queue.write { db in try db.execute(sql: statement) } }
                case .postgres:
                    let address = try #require(history as? PostgresHistory).address
                    await #expect(throws: (any Error).self, "\(statement)") { _ = try await TestPostgres.query([statement], location: address) }
                }
            }
            #expect(try await history.signOffs(runID: "run-release").map(\.signedBy) == ["dana"])
        }
    }

    /// A run recorded with a scope change gets a `scope-changed` entry just before its decision;
    /// recording it again adds none.
    @Test(arguments: HistoryBackend.allCases)
    func aScopeChangeIsAnAuditEntry(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            var run = F.record(id: "run-scope")
            run.scope = RunScope(tools: ["issue_refund", "lookup_order"], dataSources: ["orders"]).compared(
                with: RunScope(tools: ["lookup_order"], dataSources: []), runID: "run-before", version: "1.3.2")
            let change = try #require(run.scope?.change)
            #expect(change.addedTools == ["issue_refund"] && change.addedDataSources == ["orders"] && change.isExpansion)
            let entry = try await history.record(run, cases: CaseDocuments(results: F.cases(5)), knownGood: true, actor: "ci-bot")
            let log = try await history.auditLog(agent: nil, since: nil, limit: 10)
            let scope = try #require(log.first { $0.event == .scopeChanged })
            #expect(scope.sequence == entry.sequence - 1 && scope.runID == "run-scope" && scope.actor == "ci-bot")
            #expect(scope.evidence["added_tools"] == "issue_refund" && scope.evidence["added_data_sources"] == "orders")
            #expect(scope.evidence["compared_with_run"] == "run-before" && scope.evidence["expansion"] == "true")
            #expect(try await history.run(id: "run-scope")?.scope == run.scope)
            try await history.record(run, cases: nil, knownGood: true, actor: "ci-bot")
            #expect(try await history.auditLog(agent: nil, since: nil, limit: 20).filter { $0.event == .scopeChanged }.count == 1)
            #expect(try await history.verifyAudit(anchor: nil).isIntact)
        }
    }
}
