import Foundation
import PostgresNIO

extension PostgresHistory {
    /// A migration: its identifier (the SQLite history's, `v` + a number) and its statements.
    struct Migration: Sendable {
        var identifier: String
        var statements: [String]
        /// Runs after the statements, in the same transaction.
        var after: (@Sendable (PostgresConnection) async throws -> Void)?
    }

    /// A timestamp column holds GRDB's UTC `yyyy-MM-dd HH:mm:ss.SSS`, as in the SQLite history.
    static func timestamp(_ column: String) -> String {
        "CHECK (\(column) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}$')"
    }

    /// The schema, as migrations applied in order and recorded in `evalgate_migration`.
    ///
    /// Text columns use the "C" collation: they sort byte-wise, as SQLite's do, so lists come in
    /// the same order from both backends whatever the database's locale, and the primary key
    /// serves run-id prefix lookups.
    ///
    /// Append-only, like the SQLite history's: a migration that has shipped is never edited,
    /// renamed or removed; change the schema by appending `v4`, `v5`, … with the same identifier
    /// in both backends. The tables, columns, keys and checks are the SQLite history's, so the
    /// two backends hold the same rows and give the same audit digests.
    static let migrations: [Migration] = [
        Migration(
            identifier: "v1",
            statements: [
                """
                CREATE TABLE run (
                    id text COLLATE "C" PRIMARY KEY,
                    pipeline text COLLATE "C" NOT NULL,
                    pipeline_file text COLLATE "C" NOT NULL,
                    pipeline_hash text COLLATE "C" NOT NULL,
                    agent text COLLATE "C" NOT NULL,
                    version text COLLATE "C" NOT NULL,
                    tier bigint NOT NULL,
                    mode text COLLATE "C" NOT NULL,
                    environment text COLLATE "C" NOT NULL,
                    started_at text COLLATE "C" NOT NULL \(timestamp("started_at")),
                    ended_at text COLLATE "C" NOT NULL \(timestamp("ended_at")),
                    verdict text COLLATE "C" NOT NULL,
                    action text COLLATE "C" NOT NULL,
                    stop_reason text COLLATE "C",
                    selected_cases bigint NOT NULL,
                    passed bigint NOT NULL,
                    failed bigint NOT NULL,
                    errors bigint NOT NULL,
                    pass_rate double precision NOT NULL,
                    p95_latency_ms double precision,
                    total_cost double precision,
                    ci_commit text COLLATE "C",
                    ci_branch text COLLATE "C",
                    ci_job_url text COLLATE "C",
                    record_json text COLLATE "C" NOT NULL,
                    known_good boolean NOT NULL DEFAULT false,
                    evalgate_version text COLLATE "C" NOT NULL,
                    saved_at text COLLATE "C" NOT NULL \(timestamp("saved_at")),
                    CHECK (known_good = false OR verdict = 'pass')
                )
                """,
                "CREATE INDEX run_on_agent_started_at ON run (agent, started_at)",
                "CREATE INDEX run_on_pipeline_started_at ON run (pipeline, started_at)",
                """
                CREATE TABLE case_result (
                    run_id text COLLATE "C" NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                    case_index bigint NOT NULL,
                    case_id text COLLATE "C" NOT NULL,
                    dataset text COLLATE "C" NOT NULL,
                    status text COLLATE "C" NOT NULL,
                    score double precision NOT NULL,
                    critical boolean NOT NULL,
                    cluster text COLLATE "C",
                    tags text COLLATE "C" NOT NULL,
                    latency_ms double precision NOT NULL,
                    cost double precision,
                    result_json text COLLATE "C" NOT NULL,
                    PRIMARY KEY (run_id, case_index),
                    UNIQUE (run_id, case_id)
                )
                """,
                """
                CREATE TABLE gate_result (
                    run_id text COLLATE "C" NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                    position bigint NOT NULL,
                    name text COLLATE "C" NOT NULL,
                    outcome text COLLATE "C" NOT NULL,
                    measured text COLLATE "C" NOT NULL,
                    threshold text COLLATE "C" NOT NULL,
                    measured_value double precision,
                    threshold_value double precision,
                    sentence text COLLATE "C" NOT NULL,
                    PRIMARY KEY (run_id, position)
                )
                """,
                """
                CREATE TABLE deployment (
                    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    agent text COLLATE "C" NOT NULL,
                    environment text COLLATE "C" NOT NULL,
                    version text COLLATE "C" NOT NULL,
                    recorded_at text COLLATE "C" NOT NULL \(timestamp("recorded_at")),
                    recorded_by text COLLATE "C",
                    note text COLLATE "C",
                    run_id text COLLATE "C" REFERENCES run (id) ON DELETE SET NULL
                )
                """,
                "CREATE INDEX deployment_on_agent_environment_recorded_at ON deployment (agent, environment, recorded_at)",
                "CREATE INDEX deployment_on_run_id ON deployment (run_id)",
                """
                CREATE TABLE review_label (
                    run_id text COLLATE "C" NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                    case_id text COLLATE "C" NOT NULL,
                    label text COLLATE "C" NOT NULL CHECK (label IN ('pass', 'fail')),
                    reviewer text COLLATE "C" NOT NULL,
                    note text COLLATE "C",
                    recorded_at text COLLATE "C" NOT NULL \(timestamp("recorded_at")),
                    UNIQUE (run_id, case_id)
                )
                """,
            ]),
        Migration(
            identifier: "v2",
            statements: [
                """
                CREATE TABLE approval (
                    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    run_id text COLLATE "C" NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                    approved_by text COLLATE "C" NOT NULL,
                    reason text COLLATE "C" NOT NULL,
                    approved_at text COLLATE "C" NOT NULL \(timestamp("approved_at"))
                )
                """,
                "CREATE INDEX approval_on_run_id ON approval (run_id)",
            ]),
        // The audit log (docs/audit.md). Append-only: triggers refuse UPDATE, DELETE and TRUNCATE.
        Migration(
            identifier: "v3",
            statements: [
                """
                CREATE TABLE audit_entry (
                    sequence bigint PRIMARY KEY CHECK (sequence > 0),
                    recorded_at text COLLATE "C" NOT NULL,
                    actor text COLLATE "C" NOT NULL,
                    event text COLLATE "C" NOT NULL,
                    agent text COLLATE "C",
                    run_id text COLLATE "C",
                    subject text COLLATE "C",
                    evidence text COLLATE "C" NOT NULL,
                    previous_hash text COLLATE "C" NOT NULL,
                    hash text COLLATE "C" NOT NULL UNIQUE
                )
                """,
                "CREATE INDEX audit_entry_on_agent_sequence ON audit_entry (agent, sequence)",
                "CREATE INDEX audit_entry_on_recorded_at ON audit_entry (recorded_at)",
                """
                CREATE FUNCTION evalgate_audit_entry_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'audit entries are append-only';
                END
                $$
                """,
                """
                CREATE TRIGGER audit_entry_is_append_only_update BEFORE UPDATE ON audit_entry
                FOR EACH ROW EXECUTE FUNCTION evalgate_audit_entry_is_append_only()
                """,
                """
                CREATE TRIGGER audit_entry_is_append_only_delete BEFORE DELETE ON audit_entry
                FOR EACH ROW EXECUTE FUNCTION evalgate_audit_entry_is_append_only()
                """,
                """
                CREATE TRIGGER audit_entry_is_append_only_truncate BEFORE TRUNCATE ON audit_entry
                FOR EACH STATEMENT EXECUTE FUNCTION evalgate_audit_entry_is_append_only()
                """,
            ],
            after: { connection in try await writeGenesis(connection) }),
        // Release sign-offs (docs/signoff.md). Append-only: triggers refuse UPDATE, DELETE and TRUNCATE.
        Migration(
            identifier: "v4",
            statements: [
                """
                CREATE TABLE sign_off (
                    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    run_id text COLLATE "C" NOT NULL REFERENCES run (id),
                    role text COLLATE "C" NOT NULL,
                    decision text COLLATE "C" NOT NULL CHECK (decision IN ('approve', 'reject')),
                    signed_by text COLLATE "C" NOT NULL,
                    reason text COLLATE "C",
                    recorded_at text COLLATE "C" NOT NULL \(timestamp("recorded_at")),
                    CHECK (decision = 'approve' OR length(trim(reason)) > 0)
                )
                """,
                "CREATE INDEX sign_off_on_run_id ON sign_off (run_id)",
                """
                CREATE FUNCTION evalgate_sign_off_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'sign-offs are append-only';
                END
                $$
                """,
                """
                CREATE TRIGGER sign_off_is_append_only_update BEFORE UPDATE ON sign_off
                FOR EACH ROW EXECUTE FUNCTION evalgate_sign_off_is_append_only()
                """,
                """
                CREATE TRIGGER sign_off_is_append_only_delete BEFORE DELETE ON sign_off
                FOR EACH ROW EXECUTE FUNCTION evalgate_sign_off_is_append_only()
                """,
                """
                CREATE TRIGGER sign_off_is_append_only_truncate BEFORE TRUNCATE ON sign_off
                FOR EACH STATEMENT EXECUTE FUNCTION evalgate_sign_off_is_append_only()
                """,
            ]),
        // v5: approvals of changes of an agent's effective gates (docs/change-control.md), append-only.
        Migration(
            identifier: "v5",
            statements: [
                """
                CREATE TABLE change_approval (
                    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    agent text COLLATE "C" NOT NULL,
                    change_id text COLLATE "C" NOT NULL,
                    run_id text COLLATE "C" NOT NULL REFERENCES run (id),
                    approved_by text COLLATE "C" NOT NULL,
                    role text COLLATE "C" NOT NULL,
                    reason text COLLATE "C" NOT NULL,
                    approved_at text COLLATE "C" NOT NULL \(timestamp("approved_at")),
                    UNIQUE (change_id, run_id, approved_by)
                )
                """,
                "CREATE INDEX change_approval_on_agent ON change_approval (agent, change_id)",
                """
                CREATE FUNCTION evalgate_change_approval_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'change approvals are append-only';
                END
                $$
                """,
                """
                CREATE TRIGGER change_approval_is_append_only_update BEFORE UPDATE ON change_approval
                FOR EACH ROW EXECUTE FUNCTION evalgate_change_approval_is_append_only()
                """,
                """
                CREATE TRIGGER change_approval_is_append_only_delete BEFORE DELETE ON change_approval
                FOR EACH ROW EXECUTE FUNCTION evalgate_change_approval_is_append_only()
                """,
                """
                CREATE TRIGGER change_approval_is_append_only_truncate BEFORE TRUNCATE ON change_approval
                FOR EACH STATEMENT EXECUTE FUNCTION evalgate_change_approval_is_append_only()
                """,
            ]),
        // Autonomy level changes (docs/autonomy.md). Append-only: triggers refuse UPDATE, DELETE and TRUNCATE.
        Migration(
            identifier: "v6",
            statements: [
                """
                CREATE TABLE autonomy_change (
                    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    agent text COLLATE "C" NOT NULL,
                    tier bigint NOT NULL,
                    from_level text COLLATE "C" NOT NULL,
                    to_level text COLLATE "C" NOT NULL,
                    direction text COLLATE "C" NOT NULL CHECK (direction IN ('promote', 'demote')),
                    changed_by text COLLATE "C" NOT NULL,
                    role text COLLATE "C",
                    reason text COLLATE "C",
                    evidence_json text COLLATE "C" NOT NULL,
                    recorded_at text COLLATE "C" NOT NULL \(timestamp("recorded_at"))
                )
                """,
                "CREATE INDEX autonomy_change_on_agent_id ON autonomy_change (agent, id)",
                """
                CREATE FUNCTION evalgate_autonomy_change_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'autonomy changes are append-only';
                END
                $$
                """,
                """
                CREATE TRIGGER autonomy_change_is_append_only_update BEFORE UPDATE ON autonomy_change
                FOR EACH ROW EXECUTE FUNCTION evalgate_autonomy_change_is_append_only()
                """,
                """
                CREATE TRIGGER autonomy_change_is_append_only_delete BEFORE DELETE ON autonomy_change
                FOR EACH ROW EXECUTE FUNCTION evalgate_autonomy_change_is_append_only()
                """,
                """
                CREATE TRIGGER autonomy_change_is_append_only_truncate BEFORE TRUNCATE ON autonomy_change
                FOR EACH STATEMENT EXECUTE FUNCTION evalgate_autonomy_change_is_append_only()
                """,
            ]),
        // `evalgate merge --group` finds a group's shards by an index on the group in the run
        // document (`RunHistory.shardRuns(group:)`); runs that are not shards have NULL there.
        Migration(
            identifier: "v7",
            statements: ["CREATE INDEX run_on_shard_group ON run ((\(shardGroupExpression)))"]),
        // The runs whose review queue is not empty, by agent and start, for the portfolio
        // (docs/serve.md, Performance): a partial index, so finding them reads no record. Its
        // condition is `PostgresHistory.hasReviewQueue`, spelled exactly so by the query that uses it.
        Migration(
            identifier: "v8",
            statements: [#"CREATE INDEX run_with_review_queue ON run (agent, started_at) WHERE position('"reviewQueue":[]' in record_json) = 0"#]),
        // Append new migrations here ("v9", …); never edit the ones above.
    ]

    /// Held while the schema is checked and migrated, so processes opening a new database
    /// together migrate it once: "evalmigr".
    static let migrationLock: Int64 = 0x6576_616c_6d69_6772

    /// Connects once, refuses a database some other tool filled or a newer evalgate migrated,
    /// and applies pending migrations, all in one transaction.
    static func migrate(_ address: PostgresLocation) async throws {
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try address.connectionConfiguration()
        } catch {
            throw HistoryError.cannotOpen(path: address.description, message: "TLS: \(error)")
        }
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            throw HistoryError.wrap(postgres: error, location: address.description)
        }
        do {
            try await connection.query("BEGIN", logger: logger)
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            let applied = try await checkOwnership(connection, location: address.description)
            for migration in migrations where !applied.contains(migration.identifier) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await migration.after?(connection)
                try await connection.query(
                    "INSERT INTO evalgate_migration (identifier, applied_at) VALUES (\(migration.identifier), \(text(Date())))", logger: logger)
            }
            try await connection.query("COMMIT", logger: logger)
            try? await connection.close()
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            try? await connection.close()
            throw HistoryError.wrap(postgres: error, location: address.description)
        }
    }

    /// The migrations already applied; creates the version table in an empty database.
    static func checkOwnership(_ connection: PostgresConnection, location: String) async throws -> Set<String> {
        var tables: [String] = []
        for try await (name) in try await connection.query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name", logger: logger
        ).decode(String.self) {
            tables.append(name)
        }
        if tables.isEmpty {
            try await connection.query(
                "CREATE TABLE evalgate_migration (identifier text PRIMARY KEY, applied_at text NOT NULL)", logger: logger)
            return []
        }
        guard tables.contains("evalgate_migration") else {
            throw HistoryError.notAHistoryDatabase(
                path: location, reason: "it holds tables evalgate did not create: \(tables.prefix(5).joined(separator: ", "))")
        }
        var applied = Set<String>()
        for try await (identifier) in try await connection.query("SELECT identifier FROM evalgate_migration", logger: logger).decode(String.self) {
            applied.insert(identifier)
        }
        let known = Set(migrations.map(\.identifier))
        let unknown = applied.subtracting(known).sorted()
        if !unknown.isEmpty {
            throw HistoryError.newerSchema(path: location, unknownMigrations: unknown)
        }
        return applied
    }

    /// The audit log's first entry. A PostgreSQL history has had its audit log from the start, so
    /// there is nothing to seal.
    static func writeGenesis(_ connection: PostgresConnection) async throws {
        let actor = "evalgate \(EvalGate.version) (audit log created)"
        try await appendAudit(
            .genesis, actor: actor, agent: nil, runID: nil, subject: nil,
            evidence: ["runs": "0", "approvals": "0", "deployments": "0", "review_labels": "0"], connection)
    }
}
