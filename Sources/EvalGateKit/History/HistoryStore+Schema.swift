import Foundation
import GRDB

extension HistoryStore {
    /// The schema, as a list of migrations applied in order and recorded in `grdb_migrations`.
    ///
    /// Append-only: a migration that has shipped is never edited, renamed or removed, because
    /// history files created by that release have already run it and will never run it again.
    /// Change the schema by registering `v2`, `v3`, … at the end. Identifiers are `v` + a number so
    /// an unknown identifier can be recognised as "a newer evalgate" rather than "another tool".
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1") { db in
            try db.create(table: "run") { t in
                t.primaryKey("id", .text)
                t.column("pipeline", .text).notNull()
                t.column("pipeline_file", .text).notNull()
                t.column("pipeline_hash", .text).notNull()
                t.column("agent", .text).notNull()
                t.column("version", .text).notNull()
                t.column("tier", .integer).notNull()
                t.column("mode", .text).notNull()
                t.column("environment", .text).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("ended_at", .datetime).notNull()
                t.column("verdict", .text).notNull()
                t.column("action", .text).notNull()
                t.column("stop_reason", .text)
                t.column("selected_cases", .integer).notNull()
                t.column("passed", .integer).notNull()
                t.column("failed", .integer).notNull()
                t.column("errors", .integer).notNull()
                t.column("pass_rate", .double).notNull()
                t.column("p95_latency_ms", .double)
                t.column("total_cost", .double)
                t.column("ci_commit", .text)
                t.column("ci_branch", .text)
                t.column("ci_job_url", .text)
                t.column("record_json", .jsonText).notNull()
                t.column("known_good", .boolean).notNull().defaults(to: false)
                t.column("evalgate_version", .text).notNull()
                t.column("saved_at", .datetime).notNull()
                // Only a passing run can vouch for its version.
                t.check(sql: "known_good = 0 OR verdict = 'pass'")
            }
            try db.create(index: "run_on_agent_started_at", on: "run", columns: ["agent", "started_at"])
            try db.create(index: "run_on_pipeline_started_at", on: "run", columns: ["pipeline", "started_at"])

            try db.create(table: "case_result") { t in
                t.column("run_id", .text).notNull().references("run", onDelete: .cascade)
                t.column("case_index", .integer).notNull()
                t.column("case_id", .text).notNull()
                t.column("dataset", .text).notNull()
                t.column("status", .text).notNull()
                t.column("score", .double).notNull()
                t.column("critical", .boolean).notNull()
                t.column("cluster", .text)
                t.column("tags", .jsonText).notNull()
                t.column("latency_ms", .double).notNull()
                t.column("cost", .double)
                t.column("result_json", .jsonText).notNull()
                // Also the order cases are read back in.
                t.primaryKey(["run_id", "case_index"])
                // Runs are paired case by case on the id.
                t.uniqueKey(["run_id", "case_id"])
            }

            try db.create(table: "gate_result") { t in
                t.column("run_id", .text).notNull().references("run", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("name", .text).notNull()
                t.column("outcome", .text).notNull()
                t.column("measured", .text).notNull()
                t.column("threshold", .text).notNull()
                t.column("measured_value", .double)
                t.column("threshold_value", .double)
                t.column("sentence", .text).notNull()
                t.primaryKey(["run_id", "position"])
            }

            try db.create(table: "deployment") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("agent", .text).notNull()
                t.column("environment", .text).notNull()
                t.column("version", .text).notNull()
                t.column("recorded_at", .datetime).notNull()
                t.column("recorded_by", .text)
                t.column("note", .text)
                // The deployment stays in the history when its run is deleted.
                t.column("run_id", .text).references("run", onDelete: .setNull)
            }
            try db.create(index: "deployment_on_agent_environment_recorded_at", on: "deployment", columns: ["agent", "environment", "recorded_at"])
            try db.create(index: "deployment_on_run_id", on: "deployment", columns: ["run_id"])

            try db.create(table: "review_label") { t in
                t.column("run_id", .text).notNull().references("run", onDelete: .cascade)
                t.column("case_id", .text).notNull()
                t.column("label", .text).notNull().check(sql: "label IN ('pass', 'fail')")
                t.column("reviewer", .text).notNull()
                t.column("note", .text)
                t.column("recorded_at", .datetime).notNull()
                t.uniqueKey(["run_id", "case_id"])
            }
        }

        // v2: a person's approval that makes a run's version known-good although the run could not
        // pass on its own (the first release of a tier that requires a baseline has none).
        migrator.registerMigration("v2") { db in
            try db.create(table: "approval") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run_id", .text).notNull().references("run", onDelete: .cascade)
                t.column("approved_by", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("approved_at", .datetime).notNull()
            }
            try db.create(index: "approval_on_run_id", on: "approval", columns: ["run_id"])
        }

        // v3: the audit log (docs/audit.md). Append-only: triggers refuse UPDATE and DELETE, and
        // no code issues either. The genesis entry, and a `sealed` entry per run, approval,
        // deployment and review label already in the history, are written in the same transaction.
        migrator.registerMigration("v3") { db in
            try db.create(table: "audit_entry") { t in
                t.primaryKey("sequence", .integer).check { $0 > 0 }
                t.column("recorded_at", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("event", .text).notNull()
                t.column("agent", .text)
                t.column("run_id", .text)
                t.column("subject", .text)
                t.column("evidence", .jsonText).notNull()
                t.column("previous_hash", .text).notNull()
                t.column("hash", .text).notNull().unique()
            }
            try db.create(index: "audit_entry_on_agent_sequence", on: "audit_entry", columns: ["agent", "sequence"])
            try db.create(index: "audit_entry_on_recorded_at", on: "audit_entry", columns: ["recorded_at"])
            try db.execute(sql: auditUpdateTrigger + ";\n" + auditDeleteTrigger)
            try sealExistingHistory(db)
        }

        // v4: release sign-offs by named reviewers (docs/signoff.md). Append-only like the audit
        // log: a decision is superseded by a newer one of the same role, never edited.
        migrator.registerMigration("v4") { db in
            try db.create(table: "sign_off") { t in
                t.autoIncrementedPrimaryKey("id")
                // No cascade: a run with sign-offs is not deleted.
                t.column("run_id", .text).notNull().references("run")
                t.column("role", .text).notNull()
                t.column("decision", .text).notNull().check(sql: "decision IN ('approve', 'reject')")
                t.column("signed_by", .text).notNull()
                t.column("reason", .text)
                t.column("recorded_at", .datetime).notNull()
                // A rejection says why.
                t.check(sql: "decision = 'approve' OR length(trim(reason)) > 0")
            }
            try db.create(index: "sign_off_on_run_id", on: "sign_off", columns: ["run_id"])
            try db.execute(sql: signOffUpdateTrigger + ";\n" + signOffDeleteTrigger)
        }

        // v5: approvals of changes of an agent's effective gates (docs/change-control.md).
        // Append-only like the audit log: triggers refuse UPDATE and DELETE.
        migrator.registerMigration("v5") { db in
            try db.create(table: "change_approval") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("agent", .text).notNull()
                t.column("change_id", .text).notNull()
                t.column("run_id", .text).notNull().references("run")
                t.column("approved_by", .text).notNull()
                t.column("role", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("approved_at", .datetime).notNull()
                t.uniqueKey(["change_id", "run_id", "approved_by"])
            }
            try db.create(index: "change_approval_on_agent", on: "change_approval", columns: ["agent", "change_id"])
            try db.execute(sql: changeApprovalUpdateTrigger + ";\n" + changeApprovalDeleteTrigger)
        }

        // v6: autonomy level changes (docs/autonomy.md). Append-only like the audit log: triggers
        // refuse UPDATE and DELETE; each row has its audit entry.
        migrator.registerMigration("v6") { db in
            try db.create(table: "autonomy_change") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("agent", .text).notNull()
                t.column("tier", .integer).notNull()
                t.column("from_level", .text).notNull()
                t.column("to_level", .text).notNull()
                t.column("direction", .text).notNull().check(sql: "direction IN ('promote', 'demote')")
                t.column("changed_by", .text).notNull()
                t.column("role", .text)
                t.column("reason", .text)
                t.column("evidence_json", .jsonText).notNull()
                t.column("recorded_at", .datetime).notNull()
            }
            try db.create(index: "autonomy_change_on_agent_id", on: "autonomy_change", columns: ["agent", "id"])
            try db.execute(sql: autonomyUpdateTrigger + ";\n" + autonomyDeleteTrigger)
        }

        // v7: `evalgate merge --group` finds a group's shards by an index on the group in the run
        // document (`RunHistory.shardRuns(group:)`); runs that are not shards have NULL there.
        migrator.registerMigration("v7") { db in
            try db.execute(sql: "CREATE INDEX run_on_shard_group ON run (\(shardGroupExpression))")
        }

        // v8: the runs whose review queue is not empty, by agent and start, for the portfolio
        // (docs/serve.md, Performance): a partial index, so finding them reads no record. Its
        // condition is `HistoryStore.hasReviewQueue`, spelled exactly so by the query that uses it.
        migrator.registerMigration("v8") { db in
            try db.execute(sql: #"CREATE INDEX run_with_review_queue ON run (agent, started_at) WHERE instr(record_json, '"reviewQueue":[]') = 0"#)
        }

        // Append new migrations here ("v9", …); never edit the ones above.
        return migrator
    }

    /// The append-only guards of `audit_entry` (migration v3).
    static let auditUpdateTrigger = """
        CREATE TRIGGER audit_entry_is_append_only_update BEFORE UPDATE ON audit_entry
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END
        """
    static let auditDeleteTrigger = """
        CREATE TRIGGER audit_entry_is_append_only_delete BEFORE DELETE ON audit_entry
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END
        """

    /// The append-only guards of `sign_off` (migration v4).
    static let signOffUpdateTrigger = """
        CREATE TRIGGER sign_off_is_append_only_update BEFORE UPDATE ON sign_off
        BEGIN SELECT RAISE(ABORT, 'sign-offs are append-only'); END
        """
    static let signOffDeleteTrigger = """
        CREATE TRIGGER sign_off_is_append_only_delete BEFORE DELETE ON sign_off
        BEGIN SELECT RAISE(ABORT, 'sign-offs are append-only'); END
        """

    /// The append-only guards of `change_approval` (migration v5).
    static let changeApprovalUpdateTrigger = """
        CREATE TRIGGER change_approval_is_append_only_update BEFORE UPDATE ON change_approval
        BEGIN SELECT RAISE(ABORT, 'change approvals are append-only'); END
        """
    static let changeApprovalDeleteTrigger = """
        CREATE TRIGGER change_approval_is_append_only_delete BEFORE DELETE ON change_approval
        BEGIN SELECT RAISE(ABORT, 'change approvals are append-only'); END
        """

    /// The append-only guards of `autonomy_change` (migration v6).
    static let autonomyUpdateTrigger = """
        CREATE TRIGGER autonomy_change_is_append_only_update BEFORE UPDATE ON autonomy_change
        BEGIN SELECT RAISE(ABORT, 'autonomy changes are append-only'); END
        """
    static let autonomyDeleteTrigger = """
        CREATE TRIGGER autonomy_change_is_append_only_delete BEFORE DELETE ON autonomy_change
        BEGIN SELECT RAISE(ABORT, 'autonomy changes are append-only'); END
        """

    /// Runs pending migrations. Two processes opening a new file at the same moment can both see
    /// `v1` pending (GRDB reads the applied list outside the migration's transaction); the loser's
    /// transaction fails and rolls back, and a second pass finds nothing left to do.
    static func migrate(_ writer: DatabasePool) throws {
        let migrator = Self.migrator
        var attempt = 0
        while true {
            do {
                try migrator.migrate(writer)
                return
            } catch let error as DatabaseError where error.resultCode != .SQLITE_NOTADB && error.resultCode != .SQLITE_CORRUPT && attempt < 2 {
                attempt += 1
                let complete = try writer.read { db in try migrator.hasCompletedMigrations(db) }
                if complete { return }
            }
        }
    }

    /// Refuses SQLite files that some other tool created, and files a newer evalgate migrated,
    /// before any migration touches them.
    static func checkOwnership(_ writer: DatabasePool, path: String) throws {
        try writer.read { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            guard !tables.isEmpty else { return }
            guard tables.contains("grdb_migrations") else {
                throw HistoryError.notAHistoryDatabase(
                    path: path, reason: "it holds tables evalgate did not create: \(tables.prefix(5).joined(separator: ", "))")
            }
            let known = Set(migrator.migrations)
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            let unknown = applied.filter { !known.contains($0) }
            guard !unknown.isEmpty else { return }
            if unknown.allSatisfy(isEvalGateMigration) {
                throw HistoryError.newerSchema(path: path, unknownMigrations: unknown)
            }
            throw HistoryError.notAHistoryDatabase(
                path: path, reason: "its migrations are not evalgate's: \(unknown.prefix(5).joined(separator: ", "))")
        }
    }

    private static func isEvalGateMigration(_ identifier: String) -> Bool {
        identifier.first == "v" && identifier.count > 1 && identifier.dropFirst().allSatisfy(\.isNumber)
    }
}
