import EvalGateTestSupport
import Foundation
import GRDB
import Testing

@testable import EvalGateKit

/// `evalgate audit log | verify | anchor`, run as the built binary against a real history file.
@Suite("audit (CLI)", .serialized)
struct AuditCommandTests {
    typealias F = HistoryFixtures

    /// A history with a passing and a failing run, an approval, and a deployment recorded through
    /// the CLI by a CI job (whose identity the audit log names).
    static func history(_ folder: TemporaryDirectory) async throws -> (path: String, tool: CommandLineTool) {
        let path = folder.file("history.sqlite")
        let store = try await HistoryStore.open(path: path)
        try await F.save(store, id: "run-pass")
        try await F.save(store, id: "run-fail", verdict: .fail, minutes: 1)
        try await store.approve(runID: "run-pass", approvedBy: "dana", reason: "first release")
        let tool = CommandLineTool(workingDirectory: folder.path, environment: ["GITHUB_ACTOR": "octocat", "EVALGATE_HISTORY": path])
        let deploy = try tool.run(["deploy", "record", "support-bot", "1.4.0", "--run", "run-pass"])
        #expect(deploy.status == 0, "\(deploy.stderr)")
        return (path, tool)
    }

    @Test func logListsTheEntriesAndVerifyFindsThemIntact() async throws {
        let folder = TemporaryDirectory()
        let (_, tool) = try await Self.history(folder)

        let json = try tool.run(["audit", "log", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let entries = try JSONCoding.decoder().decode([AuditEntry].self, from: Data(json.stdout.utf8))
        #expect(entries.map(\.event) == [.genesis, .runDecided, .runDecided, .approvalRecorded, .deploymentRecorded])
        #expect(entries.last?.actor == "octocat" && entries[3].actor == "dana")
        let keys = try #require(try JSONValue(parsing: json.stdout).arrayValue?.first?.objectValue?.keys)
        #expect(Set(keys) == ["sequence", "recordedAt", "actor", "event", "evidence", "previousHash", "hash"])

        let table = try tool.run(["audit", "log", "--agent", "support-bot", "--since", "1d"])
        #expect(table.status == 0 && table.stdout.hasPrefix("SEQ "), "\(table.stdout)\(table.stderr)")
        #expect(table.stdout.contains("run-decided") && !table.stdout.contains("genesis"))
        #expect(try tool.run(["audit", "log", "--since", "yesterday"]).status == EvalGateKit.ExitStatus.usage.rawValue)

        let verify = try tool.run(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("audit log intact: 5 entries up to entry 5 (sha256:\(entries[4].hash))"), "\(verify.stdout)")
    }

    @Test func verifyNamesTamperingAndEndsWithItsOwnCode() async throws {
        let folder = TemporaryDirectory()
        let (path, tool) = try await Self.history(folder)
        let anchor = try tool.run(["audit", "anchor", "--out", folder.file("anchor.json")])
        #expect(anchor.status == 0 && anchor.stdout.hasPrefix("anchored entry 5"), "\(anchor.stdout)\(anchor.stderr)")
        #expect(try AuditAnchor.read(path: folder.file("anchor.json")).head.sequence == 5)
        #expect(try tool.run(["audit", "verify", "--anchor", folder.file("anchor.json")]).status == 0)

        // A verdict edited in the runs table.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: "UPDATE run SET verdict = 'pass' WHERE id = 'run-fail'") }
        let edited = try tool.run(["audit", "verify"])
        #expect(edited.status == EvalGateKit.ExitStatus.auditBroken.rawValue)
        #expect(edited.stderr.contains("error: run run-fail has verdict 'pass', but audit entry 3 recorded 'fail'"), "\(edited.stderr)")
        let report = try JSONCoding.decoder().decode(
            AuditVerification.self, from: Data(try tool.run(["audit", "verify", "--format", "json"]).stdout.utf8))
        #expect(report.problems.map(\.kind) == [.changed] && report.problems.first?.sequence == 3)

        // The newest entries removed: the chain left is valid, the anchor says it was cut short.
        try await queue.write { db in
            try db.execute(sql: "UPDATE run SET verdict = 'fail' WHERE id = 'run-fail'")
            try db.execute(sql: "DROP TRIGGER audit_entry_is_append_only_delete")
            try db.execute(sql: "DELETE FROM audit_entry WHERE sequence = 5")
        }
        let truncated = try tool.run(["audit", "verify", "--anchor", folder.file("anchor.json")])
        #expect(truncated.status == EvalGateKit.ExitStatus.auditBroken.rawValue)
        #expect(truncated.stderr.contains("the log does not extend the anchor: it has no entry 5"), "\(truncated.stderr)")
        #expect(truncated.stderr.contains("deployment 1 is in the history but not in the audit log"), "\(truncated.stderr)")

        folder.write("not-an-anchor.json", "{}")
        #expect(
            try tool.run(["audit", "verify", "--anchor", folder.file("not-an-anchor.json")]).status == EvalGateKit.ExitStatus.invalidInput.rawValue)
    }

    @Test func runNamesTheActorGivenWithBy() throws {
        #expect(try CommandLineTool().run(["run", "--help"]).stdout.contains("--by"))
    }
}
