import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// What only the PostgreSQL history has: URLs, passwords, TLS modes, a server that is down,
/// read-only or newer, and the same digests as SQLite. The behaviour both backends share is the
/// contract suite's (`RunHistoryContractTests`).
@Suite("PostgreSQL history", .serialized)
struct PostgresHistoryTests {
    typealias F = HistoryFixtures

    // MARK: URLs

    @Test func urlsNameUserHostPortDatabaseAndTLS() throws {
        let full = try PostgresLocation(url: "postgres://gate:s3cr%40t@db.example.com:6543/evalgate?sslmode=verify-full", environment: [:])
        #expect(full.user == "gate" && full.password == "s3cr@t" && full.host == "db.example.com" && full.port == 6543)
        #expect(full.database == "evalgate" && full.sslMode == .verifyFull)
        #expect(full.description == "postgres://gate@db.example.com:6543/evalgate?sslmode=verify-full")
        #expect(!full.description.contains("s3cr"))
        #expect(full.secrets == ["s3cr@t"])

        let short = try PostgresLocation(url: "postgresql://gate@127.0.0.1/history", environment: ["PGPASSWORD": "from-environment"])
        #expect(short.port == 5432 && short.sslMode == .prefer && short.password == "from-environment")
        #expect(
            HistoryLocation("postgres://gate@127.0.0.1/history", environment: [:])
                == .postgres(try PostgresLocation(url: "postgres://gate@127.0.0.1/history", environment: [:])))
        #expect(HistoryLocation("sqlite:/tmp/h.sqlite") == .sqlite(path: "/tmp/h.sqlite"))
        #expect(HistoryLocation("/tmp/h.sqlite") == .sqlite(path: "/tmp/h.sqlite"))
        // The URL's password wins over PGPASSWORD.
        #expect(try PostgresLocation(url: "postgres://gate:mine@h/db", environment: ["PGPASSWORD": "other"]).password == "mine")
    }

    @Test(arguments: [
        ("postgres://gate@/evalgate", "it names no host"),
        ("postgres://db.example.com/evalgate", "it names no user"),
        ("postgres://gate@db.example.com", "it names no database"),
        ("postgres://gate@db.example.com:70000/evalgate", "port 70000 is out of range"),
        ("postgres://gate@db.example.com/evalgate?sslmode=sometimes", "sslmode 'sometimes' is not one of disable, prefer, require, verify-full"),
        ("postgres://gate@db.example.com/evalgate?pool=9", "parameter 'pool' is not supported"),
        ("postgres://gate:hunter22@db.example.com/evalgate?sslrootcert=/ca.pem", "sslrootcert is only used with sslmode=verify-full"),
        ("postgres:gate@db", "it is not a URL of the form postgres://USER@HOST:PORT/DATABASE"),
        ("postgres://gate?hunter22@db/evalgate", "it names no user"),
    ])
    func aBadURLSaysWhatIsWrong(url: String, reason: String) async throws {
        let location = HistoryLocation(url, environment: [:])
        guard case .invalid(let error) = location else {
            Issue.record("\(url) was accepted as \(location)")
            return
        }
        #expect(error.reason.hasPrefix(reason), "\(error.reason)")
        #expect(!error.localizedDescription.contains("hunter22"), "the password is never shown")
        await #expect(throws: RunPlan.Failure.self) { _ = try await location.open() }
    }

    // MARK: A real server

    @Test func thePasswordIsASecretEverywhere() async throws {
        let server = try TestPostgres.serverURL()
        let password = try #require(HistoryLocation(server).secrets.first)
        try await TestPostgres.withDatabase { url in
            let history = try await HistoryLocation(url).open()
            #expect(!history.location.contains(password))
            // A value that happens to carry the password is stored masked.
            let run = F.record(id: "leaky", cases: F.cases(2), ci: ["commit": "abc", "job_url": "https://ci.example.com/\(password)"])
            try await history.record(run, cases: CaseDocuments(results: F.cases(2)), knownGood: false, actor: "ci")
            await history.close()
            for column in ["record_json", "ci_job_url"] {
                let stored = try #require(try await TestPostgres.query(["SELECT \(column) FROM run"], url: url).first?.first ?? nil)
                #expect(!stored.contains(password) && stored.contains(Redactor.mask), "\(column): \(stored)")
            }
            // And the URL's password, unlike the PGPASSWORD way, is given to the run's redactor.
            #expect(HistoryLocation(url).secrets == [password])
            let fromEnvironment = HistoryLocation(url.replacingOccurrences(of: ":\(password)@", with: "@"), environment: ["PGPASSWORD": password])
            #expect(fromEnvironment.secrets == [password])
            #expect(!fromEnvironment.description.contains(password))
        }
    }

    @Test func anUnreachableServerIsAClearError() async throws {
        // Nothing listens on port 9.
        let location = HistoryLocation("postgres://evalgate:pw@127.0.0.1:9/evalgate?sslmode=disable")
        let started = Date()
        let error = await #expect(throws: RunPlan.Failure.self) { _ = try await location.open() }
        #expect(Date().timeIntervalSince(started) < 30)
        let message = "\(error.map { String(describing: $0) } ?? "")"
        #expect(message.contains("cannot reach the history database postgres://evalgate@127.0.0.1:9/evalgate"), "\(message)")
        #expect(!message.contains(":pw@"))
    }

    @Test func aWrongPasswordOrDatabaseIsAClearError() async throws {
        let server = try TestPostgres.serverURL()
        let password = try #require(HistoryLocation(server).secrets.first)
        let wrong = HistoryLocation(server.replacingOccurrences(of: ":\(password)@", with: ":not-the-password@"))
        let error = await #expect(throws: RunPlan.Failure.self) { _ = try await wrong.open() }
        #expect("\(error.map { String(describing: $0) } ?? "")".contains("authentication failed"))
        let missing = HistoryLocation(try TestPostgres.url(database: "no_such_history"))
        let noDatabase = await #expect(throws: RunPlan.Failure.self) { _ = try await missing.open() }
        #expect("\(noDatabase.map { String(describing: $0) } ?? "")".contains("no_such_history"))
    }

    /// The test server has TLS on with a throw-away certificate authority (scripts/postgres):
    /// each sslmode does what it says, checked on the server's side.
    @Test func tlsModesAreHonoured() async throws {
        let authority = try TestPostgres.certificateAuthority()
        try await TestPostgres.withDatabase { url in
            let database = String(url.split(separator: "/").last!.split(separator: "?").first!)
            /// Whether the server sees evalgate's connections to this database encrypted.
            func encrypted(_ mode: String) async throws -> Bool {
                let history = try await HistoryLocation(url.replacingOccurrences(of: "sslmode=disable", with: mode)).open()
                #expect(try await history.auditHead()?.sequence == 1)
                let rows = try await TestPostgres.query(
                    [
                        """
                        SELECT bool_and(s.ssl)::text FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
                        WHERE a.application_name = 'evalgate' AND a.datname = '\(database)'
                        """
                    ], url: url)
                await history.close()
                return rows.first?.first == "true"
            }
            let verified = try await encrypted("sslmode=verify-full&sslrootcert=\(authority)")
            let required = try await encrypted("sslmode=require")
            let preferred = try await encrypted("sslmode=prefer")
            let disabled = try await encrypted("sslmode=disable")
            #expect(
                verified && required && preferred && !disabled,
                "verify-full \(verified), require \(required), prefer \(preferred), disable \(disabled)")
            // verify-full checks the certificate: the system's roots do not know the test authority.
            let untrusted = HistoryLocation(url.replacingOccurrences(of: "sslmode=disable", with: "sslmode=verify-full"))
            let error = await #expect(throws: RunPlan.Failure.self) { _ = try await untrusted.open() }
            #expect("\(error.map { String(describing: $0) } ?? "")".contains("cannot reach the history database"), "\(String(describing: error))")
            let missing = HistoryLocation(
                url.replacingOccurrences(of: "sslmode=disable", with: "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem"))
            let missingError = await #expect(throws: RunPlan.Failure.self) { _ = try await missing.open() }
            #expect("\(missingError.map { String(describing: $0) } ?? "")".contains("sslrootcert /nonexistent/ca.pem is not a readable file"))
        }
    }

    @Test func aNewerSchemaAndAForeignDatabaseAreRefused() async throws {
        try await TestPostgres.withDatabase { url in
            let history = try await HistoryLocation(url).open()
            await history.close()
            try await TestPostgres.execute(
                ["INSERT INTO evalgate_migration (identifier, applied_at) VALUES ('v99', '2027-01-01 00:00:00.000')"], url: url)
            let error = await #expect(throws: RunPlan.Failure.self) { _ = try await HistoryLocation(url).open() }
            #expect("\(error.map { String(describing: $0) } ?? "")".contains("written by a newer evalgate (unknown migrations: v99)"))
        }
        try await TestPostgres.withDatabase { url in
            try await TestPostgres.execute(["CREATE TABLE invoices (id int)"], url: url)
            let error = await #expect(throws: RunPlan.Failure.self) { _ = try await HistoryLocation(url).open() }
            #expect("\(error.map { String(describing: $0) } ?? "")".contains("tables evalgate did not create: invoices"))
        }
    }

    @Test func aReadOnlyDatabaseIsAClearError() async throws {
        try await TestPostgres.withDatabase { url in
            let name = String(url.split(separator: "/").last!.split(separator: "?").first!)
            try await HistoryLocation(url).open().close()
            try await TestPostgres.execute(["ALTER DATABASE \(name) SET default_transaction_read_only = on"], url: url)
            let history = try await HistoryLocation(url).open()
            #expect(try await history.runs(agent: nil, pipeline: nil, verdict: nil, limit: 10).isEmpty, "reading works")
            let error = await #expect(throws: HistoryError.self) { try await F.save(history, id: "r1") }
            #expect(error?.localizedDescription.contains("is read-only") == true, "\(String(describing: error))")
            await history.close()
        }
    }

    @Test func auditEntriesCannotBeChangedInTheDatabase() async throws {
        try await TestPostgres.withDatabase { url in
            let history = try await HistoryLocation(url).open()
            try await F.save(history, id: "r1")
            await history.close()
            for statement in ["UPDATE audit_entry SET actor = 'mallory'", "DELETE FROM audit_entry", "TRUNCATE audit_entry"] {
                await #expect(throws: (any Error).self, "\(statement)") { try await TestPostgres.execute([statement], url: url) }
            }
            let rows = try await TestPostgres.query(["SELECT count(*)::text FROM audit_entry"], url: url)
            #expect(rows == [["2"]])
        }
    }

    /// Both backends store the same values and digest them the same way: the same decisions give
    /// the same evidence, so a history copied between them verifies.
    @Test func digestsAreTheSameAsSQLite() async throws {
        try await HistoryFixtures.withTemporaryFolder { folder in
            let sqlite = try await HistoryLocation(folder.appendingPathComponent("h.sqlite").path).open()
            try await TestPostgres.withDatabase { url in
                let postgres = try await HistoryLocation(url).open()
                for history in [sqlite, postgres] {
                    try await RunHistoryContractTests.fillAuditedHistory(history)
                }
                let fromSQLite = try await sqlite.auditLog(agent: nil, since: nil, limit: 100).dropFirst()
                let fromPostgres = try await postgres.auditLog(agent: nil, since: nil, limit: 100).dropFirst()
                #expect(fromSQLite.count == 6 && fromPostgres.count == 6)
                for (a, b) in zip(fromSQLite, fromPostgres) {
                    #expect(a.event == b.event && a.runID == b.runID && a.subject == b.subject)
                    // A run row holds when it was saved, which differs between the two; the copy
                    // test shows its digest agrees too (a copied run verifies against its entry).
                    var expected = a.evidence
                    var found = b.evidence
                    expected["run_sha256"] = nil
                    found["run_sha256"] = nil
                    #expect(expected == found, "entry \(a.sequence)")
                }
                await postgres.close()
            }
        }
    }

    /// `history migrate` in-process: SQLite → PostgreSQL → SQLite, rerun idempotent, conflicts refused.
    @Test func aHistoryCopiesBetweenBackendsAndBack() async throws {
        try await HistoryFixtures.withTemporaryFolder { folder in
            let original = try await HistoryLocation(folder.appendingPathComponent("original.sqlite").path).open()
            try await RunHistoryContractTests.fillAuditedHistory(original)
            try await F.save(original, id: "later", version: "1.5.0", minutes: 30, caseCount: 12)
            try await original.markKnownGood(runID: "later", true, actor: "bo")
            let anchor = try #require(try await original.auditHead())
            try await TestPostgres.withDatabase { url in
                let postgres = try await HistoryLocation(url).open()
                let first = try await HistoryCopy(from: original, to: postgres).run()
                #expect(first.inserted > 0 && first.counts[.run] == 3 && first.counts[.caseResult] == 22 && first.counts[.auditEntry] == 9)
                #expect(first.counts[.signOff] == 1)
                #expect(try await postgres.signOffs(runID: "run-pass") == original.signOffs(runID: "run-pass"))
                #expect(try await postgres.verifyAudit(anchor: anchor).isIntact, "an anchor of the source holds on the copy")
                #expect(try await postgres.run(id: "later") == original.run(id: "later"))
                #expect(try await postgres.caseResults(runID: "run-fail") == original.caseResults(runID: "run-fail"))
                #expect(try await postgres.knownGoodVersions(agent: "support-bot") == original.knownGoodVersions(agent: "support-bot"))
                #expect(try await postgres.deployments(agent: "support-bot") == original.deployments(agent: "support-bot"))
                #expect(try await postgres.approvals(runID: "run-pass") == original.approvals(runID: "run-pass"))
                #expect(try await postgres.reviewLabels(runID: "run-fail") == original.reviewLabels(runID: "run-fail"))

                let again = try await HistoryCopy(from: original, to: postgres).run()
                #expect(again.inserted == 0, "rerunning copies nothing twice")
                // A row the target holds with other values stops the copy.
                try await TestPostgres.execute(["UPDATE approval SET reason = 'changed'"], url: url)
                let error = await #expect(throws: HistoryCopy.Failure.self) { try await HistoryCopy(from: original, to: postgres).run() }
                #expect(error?.localizedDescription.contains("approval row (id 1)") == true, "\(String(describing: error))")
                try await TestPostgres.execute(["UPDATE approval SET reason = 'first release'"], url: url)

                // New writes on the copy chain on; copying it back gives the same history plus them.
                try await postgres.recordDeployment(
                    agent: "support-bot", environment: "staging", version: "1.5.0", recordedBy: "deployer", note: nil, runID: "later", at: F.epoch)
                let back = try await HistoryLocation(folder.appendingPathComponent("back.sqlite").path).open()
                let returned = try await HistoryCopy(from: postgres, to: back).run()
                #expect(returned.counts[.deployment] == 2 && returned.counts[.auditEntry] == 10 && returned.counts[.signOff] == 1)
                #expect(returned.checksums[.caseResult] == first.checksums[.caseResult])
                #expect(try await back.verifyAudit(anchor: anchor).isIntact)
                #expect(try await back.deployments(agent: "support-bot") == postgres.deployments(agent: "support-bot"))
                // The copy's next deployment id follows the copied ones.
                try await postgres.recordDeployment(
                    agent: "support-bot", environment: "dev", version: "1.5.0", recordedBy: "deployer", note: nil, runID: nil, at: F.epoch)
                #expect(try await postgres.deployments(agent: "support-bot", environment: "dev").first?.id == 3)

                // A target holding another history is refused.
                let foreign = await #expect(throws: HistoryCopy.Failure.self) { try await HistoryCopy(from: original, to: back).run() }
                #expect(foreign?.localizedDescription.contains("is not a copy of the source's") == true)
                await postgres.close()
            }
        }
    }

    /// How fast one run's cases go into each backend (one transaction each), and come back: the
    /// figures in docs/benchmarks.md. Run by scripts/test (EVALGATE_LOAD_TEST=1).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["EVALGATE_LOAD_TEST"] == "1"))
    func recordingThroughput() async throws {
        let count = 10_000
        let cases = F.cases(count)
        let run = F.record(id: "big", cases: cases)
        var lines: [String] = []
        try await HistoryFixtures.withTemporaryFolder { folder in
            try await TestPostgres.withDatabase { url in
                for (name, location) in [("sqlite", folder.appendingPathComponent("big.sqlite").path), ("postgres", url)] {
                    let history = try await HistoryLocation(location).open()
                    let documents = try CaseDocuments(results: cases)
                    let started = ContinuousClock.now
                    try await history.record(run, cases: documents, knownGood: false, actor: "bench")
                    let recorded = (ContinuousClock.now - started) / .seconds(1)
                    let readStart = ContinuousClock.now
                    let read = try await history.caseResults(runID: "big")
                    let readBack = (ContinuousClock.now - readStart) / .seconds(1)
                    #expect(read.count == count)
                    #expect(try await history.verifyAudit(anchor: nil).isIntact)
                    lines.append(
                        String(
                            format: "%@: record %d cases %.2f s (%.0f cases/s), read back %.2f s (%.0f cases/s)", name, count, recorded,
                            Double(count) / recorded, readBack, Double(count) / readBack))
                    await history.close()
                }
            }
        }
        print(lines.joined(separator: "\n"))
        try? lines.joined(separator: "\n").write(toFile: "/tmp/evalgate-postgres-throughput.txt", atomically: true, encoding: .utf8)
    }
}
