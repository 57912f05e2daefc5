import Foundation
import GRDB
import PostgresNIO

/// The audit log: appended to by every write in that write's transaction (which holds the write
/// lock, so the chain head read here is the newest), and read and verified here. Entries, hashes
/// and row digests are the SQLite history's (`AuditEntry`, `AuditDigest`). See docs/audit.md.
extension PostgresHistory {
    // MARK: - Appending

    @discardableResult
    static func appendAudit(
        _ event: AuditEvent, actor: String, agent: String?, runID: String?, subject: String?, evidence: [String: String], at date: Date = Date(),
        _ connection: PostgresConnection
    ) async throws -> AuditEntry {
        var previousSequence: Int64 = 0
        var previousHash = AuditEntry.noPreviousHash
        for try await (sequence, hash) in try await connection.query(
            "SELECT sequence, hash FROM audit_entry ORDER BY sequence DESC LIMIT 1", logger: logger
        ).decode((Int64, String).self) {
            previousSequence = sequence
            previousHash = hash
        }
        var entry = AuditEntry(
            sequence: previousSequence + 1, recordedAt: AuditEntry.timestamp(date), actor: actor, event: event, agent: agent, runID: runID,
            subject: subject, evidence: evidence, previousHash: previousHash)
        entry.hash = entry.computedHash
        try await insert(AuditEntryRow(entry), connection)
        return entry
    }

    static func insert(_ row: AuditEntryRow, _ connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO audit_entry (sequence, recorded_at, actor, event, agent, run_id, subject, evidence, previous_hash, hash)
            VALUES (\(row.sequence), \(row.recordedAt), \(row.actor), \(row.event), \(row.agent), \(row.runID), \(row.subject), \(row.evidence),
                    \(row.previousHash), \(row.hash))
            """, logger: logger)
    }

    /// The evidence of a run as stored now: its row and its gates (and cases, when given).
    static func runEvidence(
        _ connection: PostgresConnection, runID: String, casesDigest: String?
    ) async throws -> (agent: String?, evidence: [String: String]) {
        var evidence = [
            "run_sha256": try await runDigest(connection, id: runID),
            "gates_sha256": try await gatesDigest(connection, runID: runID),
        ]
        var agent: String?
        for try await (rowAgent, version, verdict, action, knownGood) in try await connection.query(
            "SELECT agent, version, verdict, action, known_good FROM run WHERE id = \(runID)", logger: logger
        ).decode((String, String, String, String, Bool).self) {
            agent = rowAgent
            evidence["version"] = version
            evidence["verdict"] = verdict
            evidence["action"] = action
            evidence["known_good"] = knownGood ? "true" : "false"
        }
        if let casesDigest { evidence["cases_sha256"] = casesDigest }
        return (agent, evidence)
    }

    @discardableResult
    static func auditRun(
        _ event: AuditEvent, runID: String, casesDigest: String?, actor: String, _ connection: PostgresConnection
    ) async throws -> AuditEntry {
        let (agent, evidence) = try await runEvidence(connection, runID: runID, casesDigest: casesDigest)
        return try await appendAudit(event, actor: actor, agent: agent, runID: runID, subject: nil, evidence: evidence, connection)
    }

    static func agent(ofRun runID: String?, _ connection: PostgresConnection) async throws -> String? {
        guard let runID else { return nil }
        var agent: String?
        for try await (name) in try await connection.query("SELECT agent FROM run WHERE id = \(runID)", logger: logger).decode(String.self) {
            agent = name
        }
        return agent
    }

    // MARK: - Digests (the SQLite history's, over the same columns)

    static func runDigest(_ connection: PostgresConnection, id: String) async throws -> String {
        try await digest(connection, table: "run", columns: AuditDigest.runColumns, where: "id = $1", [id], order: "id")
    }

    static func gatesDigest(_ connection: PostgresConnection, runID: String) async throws -> String {
        try await digest(connection, table: "gate_result", columns: AuditDigest.gateColumns, where: "run_id = $1", [runID], order: "position")
    }

    static func approvalDigest(_ connection: PostgresConnection, id: Int64) async throws -> String {
        try await digest(connection, table: "approval", columns: AuditDigest.approvalColumns, where: "id = $1", [id], order: "id")
    }

    static func deploymentDigest(_ connection: PostgresConnection, id: Int64) async throws -> String {
        try await digest(connection, table: "deployment", columns: AuditDigest.deploymentColumns, where: "id = $1", [id], order: "id")
    }

    static func labelDigest(_ connection: PostgresConnection, runID: String, caseID: String) async throws -> String {
        try await digest(
            connection, table: "review_label", columns: AuditDigest.labelColumns, where: "run_id = $1 AND case_id = $2", [runID, caseID],
            order: "case_id")
    }

    static func casesDigest(_ connection: PostgresConnection, runID: String) async throws -> String {
        var digest = CasesDigest()
        for try await (index, resultJSON) in try await connection.query(
            "SELECT case_index, result_json FROM case_result WHERE run_id = \(runID) ORDER BY case_index", logger: logger
        ).decode((Int64, String).self) {
            digest.add(index: Int(index), resultJSON: resultJSON)
        }
        return digest.finalize()
    }

    // MARK: - Reading

    public func auditLog(agent: String?, since: Date?, limit: Int) async throws -> [AuditEntry] {
        var conditions: [String] = []
        var values: [(any PostgresDynamicTypeEncodable)?] = []
        if let agent {
            values.append(agent)
            conditions.append("agent = $\(values.count)")
        }
        if let since {
            // Timestamps are ISO 8601 in UTC with milliseconds, so they compare as text (byte-wise).
            values.append(AuditEntry.timestamp(since))
            conditions.append("recorded_at COLLATE \"C\" >= $\(values.count)")
        }
        values.append(Int64(max(0, limit)))
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql =
            "SELECT * FROM (SELECT \(Self.auditColumns) FROM audit_entry \(filter) ORDER BY sequence DESC LIMIT $\(values.count)) AS newest ORDER BY sequence"
        return try await read { connection in
            var entries: [AuditEntry] = []
            for try await row in try await connection.query(Self.query(sql, values), logger: Self.logger) {
                entries.append(try Self.auditRow(row).entry())
            }
            return entries
        }
    }

    public func auditHead() async throws -> AuditHead? {
        try await read { connection in
            var head: AuditHead?
            for try await (sequence, hash) in try await connection.query(
                "SELECT sequence, hash FROM audit_entry ORDER BY sequence DESC LIMIT 1", logger: Self.logger
            ).decode((Int64, String).self) {
                head = AuditHead(sequence: sequence, hash: hash)
            }
            return head
        }
    }

    /// Reads what the verifier needs in one `REPEATABLE READ` snapshot (digests computed as rows
    /// stream in), then verifies exactly as the SQLite history does.
    public func verifyAudit(anchor: AuditHead?) async throws -> AuditVerification {
        let snapshot = try await read { connection in try await PostgresAuditSnapshot.read(connection) }
        return try AuditVerifier(rows: snapshot).verify(anchor: anchor)
    }

    static let auditColumns = "sequence, recorded_at, actor, event, agent, run_id, subject, evidence, previous_hash, hash"

    static func auditRow(_ row: PostgresRow) throws -> AuditEntryRow {
        let (sequence, recordedAt, actor, event, agent, runID, subject, evidence, previousHash, hash) = try row.decode(
            (Int64, String, String, String, String?, String?, String?, String, String, String).self)
        return AuditEntryRow(
            sequence: sequence, recordedAt: recordedAt, actor: actor, event: event, agent: agent, runID: runID, subject: subject,
            evidence: evidence, previousHash: previousHash, hash: hash)
    }
}

/// Everything `AuditVerifier` reads of a PostgreSQL history, from one snapshot: the log, and the
/// digest of every run, gate list, case list, approval, deployment and review label.
struct PostgresAuditSnapshot: AuditedRows {
    var entries: [AuditEntryRow] = []
    var runList: [(id: String, verdict: String)] = []
    var runDigests: [String: String] = [:]
    var gateDigests: [String: String] = [:]
    var caseDigests: [String: String] = [:]
    var approvals: [Int64] = []
    var approvalDigests: [Int64: String] = [:]
    var deployments: [Int64] = []
    var changeApprovals: [Int64] = []
    var changeApprovalDigests: [Int64: String] = [:]
    var deploymentDigests: [Int64: String] = [:]
    var labels: [(runID: String, caseID: String)] = []
    var labelDigests: [String: String] = [:]
    var signOffs: [Int64] = []
    var signOffDigests: [Int64: String] = [:]
    var autonomyChanges: [Int64] = []
    var autonomyChangeDigests: [Int64: String] = [:]

    static func labelKey(_ runID: String, _ caseID: String) -> String { runID + "\u{0}" + caseID }

    static func read(_ connection: PostgresConnection) async throws -> PostgresAuditSnapshot {
        typealias H = PostgresHistory
        var snapshot = PostgresAuditSnapshot()
        for try await row in try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT \(H.auditColumns) FROM audit_entry ORDER BY sequence"), logger: H.logger)
        {
            snapshot.entries.append(try H.auditRow(row))
        }
        for try await (id, verdict) in try await connection.query(
            "SELECT id, verdict FROM run ORDER BY started_at, id", logger: H.logger
        ).decode((String, String).self) {
            snapshot.runList.append((id, verdict))
        }
        snapshot.runDigests = try await digests(connection, table: "run", columns: AuditDigest.runColumns, key: "id", order: "id")
        snapshot.gateDigests = try await digests(
            connection, table: "gate_result", columns: AuditDigest.gateColumns, key: "run_id", order: "run_id, position")
        var caseDigests: [String: CasesDigest] = [:]
        for try await (runID, index, resultJSON) in try await connection.query(
            "SELECT run_id, case_index, result_json FROM case_result ORDER BY run_id, case_index", logger: H.logger
        ).decode((String, Int64, String).self) {
            caseDigests[runID, default: CasesDigest()].add(index: Int(index), resultJSON: resultJSON)
        }
        snapshot.caseDigests = caseDigests.mapValues { $0.finalize() }
        for id in try await ids(connection, "SELECT id FROM approval ORDER BY id") {
            snapshot.approvals.append(id)
            snapshot.approvalDigests[id] = try await H.approvalDigest(connection, id: id)
        }
        for id in try await ids(connection, "SELECT id FROM sign_off ORDER BY id") {
            snapshot.signOffs.append(id)
            snapshot.signOffDigests[id] = try await H.signOffDigest(connection, id: id)
        }
        for id in try await ids(connection, "SELECT id FROM deployment ORDER BY id") {
            snapshot.deployments.append(id)
            snapshot.deploymentDigests[id] = try await H.deploymentDigest(connection, id: id)
        }
        for id in try await ids(connection, "SELECT id FROM autonomy_change ORDER BY id") {
            snapshot.autonomyChanges.append(id)
            snapshot.autonomyChangeDigests[id] = try await H.autonomyChangeDigest(connection, id: id)
        }
        for id in try await ids(connection, "SELECT id FROM change_approval ORDER BY id") {
            snapshot.changeApprovals.append(id)
            snapshot.changeApprovalDigests[id] = try await H.changeApprovalDigest(connection, id: id)
        }
        var labelKeys: [(String, String)] = []
        for try await (runID, caseID) in try await connection.query(
            "SELECT run_id, case_id FROM review_label ORDER BY run_id, case_id", logger: H.logger
        ).decode((String, String).self) {
            labelKeys.append((runID, caseID))
        }
        for (runID, caseID) in labelKeys {
            snapshot.labels.append((runID, caseID))
            snapshot.labelDigests[labelKey(runID, caseID)] = try await H.labelDigest(connection, runID: runID, caseID: caseID)
        }
        return snapshot
    }

    /// The digest of each group of rows sharing `key`, in one pass over the table.
    static func digests(
        _ connection: PostgresConnection, table: String, columns: [String], key: String, order: String
    ) async throws -> [String: String] {
        let keyIndex = columns.firstIndex(of: key) ?? 0
        var groups: [String: RowsDigest] = [:]
        for try await row in try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY \(order)"), logger: PostgresHistory.logger)
        {
            let values = try row.map { try PostgresHistory.databaseValue($0) }
            let groupKey = String.fromDatabaseValue(values[keyIndex]) ?? ""
            groups[groupKey, default: RowsDigest(columns: columns)].add(values)
        }
        return groups.mapValues { $0.finalize() }
    }

    static func ids(_ connection: PostgresConnection, _ sql: String) async throws -> [Int64] {
        var ids: [Int64] = []
        for try await (id) in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: PostgresHistory.logger).decode(Int64.self) {
            ids.append(id)
        }
        return ids
    }

    func sequencesByHash() throws -> [String: Int64] {
        Dictionary(entries.map { ($0.hash, $0.sequence) }, uniquingKeysWith: { first, _ in first })
    }

    func forEachEntry(_ body: (AuditEntryRow) throws -> Void) throws {
        for entry in entries { try body(entry) }
    }

    func hash(atSequence sequence: Int64) throws -> String? {
        entries.first { $0.sequence == sequence }?.hash
    }

    func runs() throws -> [(id: String, verdict: String)] { runList }

    /// A missing group digests no rows, as the SQLite history's query for it would.
    private func none(_ columns: [String]) -> String { RowsDigest(columns: columns).finalize() }

    func runDigest(id: String) throws -> String { runDigests[id] ?? none(AuditDigest.runColumns) }
    func gatesDigest(runID: String) throws -> String { gateDigests[runID] ?? none(AuditDigest.gateColumns) }
    func casesDigest(runID: String) throws -> String { caseDigests[runID] ?? CasesDigest().finalize() }
    func approvalIDs() throws -> [Int64] { approvals }
    func approvalDigest(id: Int64) throws -> String { approvalDigests[id] ?? none(AuditDigest.approvalColumns) }
    func deploymentIDs() throws -> [Int64] { deployments }
    func deploymentDigest(id: Int64) throws -> String { deploymentDigests[id] ?? none(AuditDigest.deploymentColumns) }
    func labelKeys() throws -> [(runID: String, caseID: String)] { labels }
    func signOffIDs() throws -> [Int64] { signOffs }
    func signOffDigest(id: Int64) throws -> String { signOffDigests[id] ?? none(AuditDigest.signOffColumns) }
    func autonomyChangeIDs() throws -> [Int64] { autonomyChanges }
    func autonomyChangeDigest(id: Int64) throws -> String { autonomyChangeDigests[id] ?? none(AuditDigest.autonomyChangeColumns) }
    func changeApprovalIDs() throws -> [Int64] { changeApprovals }
    func changeApprovalDigest(id: Int64) throws -> String { changeApprovalDigests[id] ?? none(AuditDigest.changeApprovalColumns) }

    func labelDigest(runID: String, caseID: String) throws -> String {
        labelDigests[Self.labelKey(runID, caseID)] ?? none(AuditDigest.labelColumns)
    }
}

extension AuditEntryRow {
    init(
        sequence: Int64, recordedAt: String, actor: String, event: String, agent: String?, runID: String?, subject: String?, evidence: String,
        previousHash: String, hash: String
    ) {
        self.sequence = sequence
        self.recordedAt = recordedAt
        self.actor = actor
        self.event = event
        self.agent = agent
        self.runID = runID
        self.subject = subject
        self.evidence = evidence
        self.previousHash = previousHash
        self.hash = hash
    }
}
