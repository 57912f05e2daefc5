import Foundation
import GRDB
import Testing

@testable import EvalGateKit

@Suite("Run history: concurrency, damage and schema")
struct ReliabilityHistoryTests {
    typealias F = HistoryFixtures

    @Test func twoStoresOnOneNewFileSaveAtOnceAndEverythingLands() async throws {
        try await F.withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("shared/history.sqlite").path
            // Each CI job opens its own store on the same (not yet existing) file, then saves.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for job in ["job-a", "job-b"] {
                    group.addTask {
                        let store = try HistoryStore(path: path)
                        for index in 0..<50 {
                            try await F.save(store, id: "\(job)-\(index)", pipeline: job, minutes: index, caseCount: 20)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let store = try HistoryStore(path: path)
            #expect(try await store.runs(limit: 1000).count == 100)
            #expect(try await store.recentRuns(pipeline: "job-a", limit: 100).map(\.id) == (0..<50).map { "job-a-\($0)" })
            #expect(try await store.read { db in try CaseResultRow.fetchCount(db) } == 100 * 20)
            #expect(try await store.verifyIntegrity())
        }
    }

    @Test func storesOpeningANewFileAtTheSameMomentAllMigrateIt() async throws {
        try await F.withTemporaryFolder { folder in
            for round in 0..<10 {
                let path = folder.appendingPathComponent("round-\(round)/history.sqlite").path
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 {
                        group.addTask { _ = try HistoryStore(path: path) }
                    }
                    try await group.waitForAll()
                }
                let store = try HistoryStore(path: path)
                #expect(
                    try await store.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
                        == HistoryStore.migrator.migrations.sorted())
                // The audit log was created once: one genesis entry, however many processes raced.
                #expect(try await store.auditLog().map(\.event) == [.genesis])
            }
        }
    }

    @Test func aWriterKilledMidSaveLeavesTheFileIntact() async throws {
        try await F.withTemporaryFolder { folder in
            let store = try HistoryStore(path: folder.appendingPathComponent("live/history.sqlite").path)
            let kept = try await F.save(store, id: "run-kept", caseCount: 10)
            let snapshot = folder.appendingPathComponent("killed")
            try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)

            // Half-way through a large save, with a tiny page cache so uncommitted pages spill to the
            // WAL, copy the files as they are on disk: what a `kill -9` at that moment would leave.
            let cases = F.cases(3000)
            let record = F.record(id: "run-lost", cases: cases)
            struct Abort: Error {}
            #expect(throws: Abort.self) {
                try store.writer.write { db in
                    try db.execute(sql: "PRAGMA cache_size = 8")
                    try RunRow(record, recordJSON: "{}", knownGood: false, savedAt: Date(), redactor: .none).insert(db)
                    try store.insertCases(cases.map { try JSONCoding.encoder().encode($0) }, runID: record.id, db)
                    for suffix in ["", "-wal", "-shm"] {
                        let source = URL(fileURLWithPath: store.path + suffix)
                        guard FileManager.default.fileExists(atPath: source.path) else { continue }
                        try FileManager.default.copyItem(at: source, to: snapshot.appendingPathComponent("history.sqlite" + suffix))
                    }
                    throw Abort()
                }
            }
            #expect(try await store.run(id: "run-lost") == nil)
            #expect(try await store.verifyIntegrity())

            let recovered = try HistoryStore(path: snapshot.appendingPathComponent("history.sqlite").path)
            #expect(try await recovered.verifyIntegrity())
            #expect(try await recovered.runs().map(\.id) == ["run-kept"])
            #expect(try await recovered.run(id: "run-kept") == kept)
            #expect(try await recovered.read { db in try CaseResultRow.fetchCount(db) } == 10)
        }
    }

    @Test(arguments: [
        ("text", Data(String(repeating: "this is not a database\n", count: 200).utf8)),
        ("damaged", Data("SQLite format 3\u{0}".utf8) + Data(repeating: 0xAB, count: 8192)),
    ])
    func refusesFilesThatAreNotSQLite(kind: String, contents: Data) async throws {
        try await F.withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("\(kind).sqlite").path
            try contents.write(to: URL(fileURLWithPath: path))
            let error = try #require(throws: HistoryError.self) { try HistoryStore(path: path) }
            guard case .notAHistoryDatabase(let errorPath, _) = error else {
                Issue.record("expected notAHistoryDatabase, got \(error)")
                return
            }
            #expect(errorPath == path)
            #expect(error.localizedDescription.hasPrefix("not an evalgate history database: \(path)"))
            // Nothing was written over the file.
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == contents)
        }
    }

    @Test func refusesAnotherToolsSQLiteDatabase() async throws {
        try await F.withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            try DatabaseQueue(path: path).write { db in
                try db.execute(sql: "CREATE TABLE player (id INTEGER PRIMARY KEY, name TEXT)")
            }
            #expect(throws: HistoryError.notAHistoryDatabase(path: path, reason: "it holds tables evalgate did not create: player")) {
                try HistoryStore(path: path)
            }
        }
    }

    @Test func refusesAHistoryANewerEvalgateMigrated() async throws {
        try await F.withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("history.sqlite").path
            let store = try HistoryStore(path: path)
            try store.writer.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
            #expect(throws: HistoryError.newerSchema(path: path, unknownMigrations: ["v99"])) { try HistoryStore(path: path) }
        }
    }

    @Test func newFilesGetLargePagesAndOldOnesKeepTheirs() async throws {
        try await F.withTemporaryFolder { folder in
            let fresh = try HistoryStore(path: folder.appendingPathComponent("new.sqlite").path)
            #expect(try await fresh.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == 16384)

            // A history written by an earlier evalgate, with SQLite's default 4 KiB pages, opens and saves as before.
            let path = folder.appendingPathComponent("old.sqlite").path
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in try db.execute(sql: "PRAGMA page_size = 4096; CREATE TABLE placeholder (x); DROP TABLE placeholder") }
            try queue.close()
            let old = try HistoryStore(path: path)
            try await F.save(old, id: "run-old", caseCount: 5)
            #expect(try await old.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == 4096)
            #expect(try await old.caseOutcomes(runID: "run-old").count == 5)
        }
    }

    @Test func refusesAFolder() async throws {
        try await F.withTemporaryFolder { folder in
            #expect(throws: HistoryError.cannotOpen(path: folder.path, message: "it is a folder")) { try HistoryStore(path: folder.path) }
        }
    }

    @Test func openingAgainMigratesNothingAndKeepsData() async throws {
        try await F.withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("history.sqlite").path
            let first = try HistoryStore(path: path)
            let record = try await F.save(first, id: "run-1")
            let schema = try await first.read { db in
                try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            }

            for _ in 0..<2 {
                let again = try HistoryStore(path: path)
                #expect(try await again.run(id: "run-1") == record)
                #expect(
                    try await again.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
                        == HistoryStore.migrator.migrations.sorted())
                #expect(
                    try await again.read { db in try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name") }
                        == schema)
            }
            #expect(try await first.run(id: "run-1") == record)
        }
    }

    @Test func theSchemaEnforcesItsInvariants() async throws {
        try await F.withStore { store in
            try await F.save(store, id: "run-fail", verdict: .fail)
            let mode = try await store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
            #expect(try await store.read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") } == true)
            // Known-good needs a pass, even when written around the API.
            await #expect(throws: HistoryError.self) {
                try await store.write { db in try db.execute(sql: "UPDATE run SET known_good = 1 WHERE id = 'run-fail'") }
            }
            // Case results need their run.
            await #expect(throws: HistoryError.self) {
                try await store.write { db in
                    var row = try #require(try CaseResultRow.fetchOne(db))
                    row.runID = "no-such-run"
                    try row.insert(db)
                }
            }
            // Deleting a run takes its cases, gates and labels with it.
            try await store.recordReviewLabel(runID: "run-fail", caseID: "case-1", label: .fail, reviewer: "dana")
            try await store.write { db in try db.execute(sql: "DELETE FROM run") }
            let leftovers = try await store.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT (SELECT COUNT(*) FROM case_result) + (SELECT COUNT(*) FROM gate_result) + (SELECT COUNT(*) FROM review_label)")
            }
            #expect(leftovers == 0)
        }
    }

    /// One save of many cases, in one transaction with batched inserts: 10,000 cases by default,
    /// 100,000 with `EVALGATE_SLOW_TESTS=1`.
    ///
    /// Prints the parts' times; figures that matter come from `scripts/bench` (release build).
    /// A run saves its journal's records as they are (`save(_:caseDocuments:)`), so only the
    /// columns are decoded; decoding full `CaseResult`s is far slower, which is also why
    /// `caseOutcomes` reads columns.
    @Test func savesManyCasesInOneTransaction() async throws {
        let count = ProcessInfo.processInfo.environment["EVALGATE_SLOW_TESTS"] == nil ? 10_000 : 100_000
        try await F.withStore { store in
            let cases = F.cases(count)
            let record = F.record(id: "run-big", cases: Array(cases.prefix(10)))
            let clock = ContinuousClock()
            // The parts apart (on another run id), then the whole of `save`.
            var documents: [Data] = []
            let encoder = JSONCoding.encoder()
            let encoding = try clock.measure { documents = try cases.map { try encoder.encode($0) } }
            let encoded = documents
            let inserting = try await clock.measure {
                try await store.write { db in
                    try RunRow(F.record(id: "run-parts"), recordJSON: "{}", knownGood: false, savedAt: Date(), redactor: .none).insert(db)
                    try store.insertCases(encoded, runID: "run-parts", db)
                }
            }
            let saving = try await clock.measure { try await store.save(record, cases: cases) }
            var outcomes: [CaseOutcome] = []
            let reading = try await clock.measure { outcomes = try await store.caseOutcomes(runID: "run-big") }
            print("history: saved \(count) cases in \(saving); encoding \(encoding), write transaction \(inserting); outcomes read in \(reading)")
            #expect(outcomes.count == count)
            #expect(outcomes.last?.id == "case-\(count - 1)")
            #expect(outcomes[count / 2].status == cases[count / 2].status)
            let middle = try await store.read { db in
                try String.fetchOne(
                    db, sql: "SELECT result_json FROM case_result WHERE run_id = 'run-big' AND case_index = ?", arguments: [count / 2])
            }
            #expect(try JSONCoding.decoder().decode(CaseResult.self, from: Data(try #require(middle).utf8)) == cases[count / 2])
        }
    }
}
