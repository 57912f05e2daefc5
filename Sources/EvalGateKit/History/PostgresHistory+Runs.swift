import Foundation
import PostgresNIO

extension PostgresHistory {
    /// Cases per multi-row `INSERT`: 12 columns × 500 rows = 6,000 parameters, well under
    /// PostgreSQL's 65,535, and few round trips for 100,000 cases.
    static let caseBatchSize = 500

    static let runColumns = AuditDigest.runColumns

    @discardableResult
    public func record(_ run: RunRecord, cases: CaseDocuments?, knownGood: Bool, actor: String) async throws -> AuditEntry {
        // The audit head is written to result files after recording; the stored record never has one.
        var withoutHead = run
        withoutHead.audit = nil
        let stored = withoutHead
        let recordJSON = try json(stored, what: "run \(run.id)", encoder: JSONCoding.encoder())
        if knownGood && run.verdict != .pass { throw HistoryError.notPassing(runID: run.id, verdict: run.verdict) }
        // A retried transaction iterates the documents again (they are re-read from the journal).
        return try await write { connection in
            var previousMark: Bool?
            for try await (mark) in try await connection.query("SELECT known_good FROM run WHERE id = \(run.id)", logger: Self.logger)
                .decode(Bool.self)
            {
                previousMark = mark
            }
            let marked = run.verdict == .pass && (knownGood || previousMark == true)
            let row = RunRow(stored, recordJSON: recordJSON, knownGood: marked, savedAt: Date(), redactor: redactor)
            try await Self.upsert(row, connection)
            try await connection.query("DELETE FROM gate_result WHERE run_id = \(run.id)", logger: Self.logger)
            for (position, gate) in run.gates.enumerated() {
                let gateRow = GateResultRow(gate, runID: run.id, position: position)
                try await connection.query(
                    """
                    INSERT INTO gate_result (run_id, position, name, outcome, measured, threshold, measured_value, threshold_value, sentence)
                    VALUES (\(gateRow.runID), \(gateRow.position), \(gateRow.name), \(gateRow.outcome), \(gateRow.measured), \(gateRow.threshold),
                            \(gateRow.measuredValue), \(gateRow.thresholdValue), \(gateRow.sentence))
                    """, logger: Self.logger)
            }
            var casesDigest: String?
            if let cases {
                try await connection.query("DELETE FROM case_result WHERE run_id = \(run.id)", logger: Self.logger)
                casesDigest = try await insertCases(cases, runID: run.id, checked: cases.checkedUnique, connection)
                try cases.verify()
            }
            if previousMark == nil, let change = run.scope?.change {
                try await Self.appendAudit(
                    .scopeChanged, actor: actor, agent: run.agent, runID: run.id, subject: nil, evidence: change.auditEvidence, connection)
            }
            if previousMark == nil, let change = run.changeControl?.auditEvidence {
                try await Self.appendAudit(
                    .thresholdsChanged, actor: actor, agent: run.agent, runID: run.id, subject: nil, evidence: change, connection)
            }
            return try await Self.auditRun(
                previousMark == nil ? .runDecided : .runRedecided, runID: run.id, casesDigest: casesDigest, actor: actor, connection)
        }
    }

    /// Inserts or replaces a run's row.
    static func upsert(_ row: RunRow, _ connection: PostgresConnection) async throws {
        let values: [(any PostgresDynamicTypeEncodable)?] = [
            row.id, row.pipeline, row.pipelineFile, row.pipelineHash, row.agent, row.version, Int64(row.tier), row.mode, row.environment,
            text(row.startedAt), text(row.endedAt), row.verdict, row.action, row.stopReason, Int64(row.selectedCases), Int64(row.passed),
            Int64(row.failed), Int64(row.errors), row.passRate, row.p95LatencyMilliseconds, row.totalCost, row.ciCommit, row.ciBranch,
            row.ciJobURL, row.recordJSON, row.knownGood, row.evalgateVersion, text(row.savedAt),
        ]
        let placeholders = (1...runColumns.count).map { "$\($0)" }.joined(separator: ", ")
        let updates = runColumns.dropFirst().map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        try await connection.query(
            query(
                "INSERT INTO run (\(runColumns.joined(separator: ", "))) VALUES (\(placeholders)) ON CONFLICT (id) DO UPDATE SET \(updates)", values),
            logger: logger)
    }

    /// Inserts a run's case documents in batches, refusing duplicate ids or indexes; returns the
    /// cases digest for the audit log, hashed from the documents as they are inserted.
    func insertCases(_ documents: some Sequence<Data>, runID: String, checked: Bool = false, _ connection: PostgresConnection) async throws -> String
    {
        var seenIDs = Set<String>()
        var seenIndexes = Set<Int>()
        // Streamed while the cases come in run order (a run's journal gives them so); else read back.
        var digest = CasesDigest(streaming: true)
        var batch: [CaseResultRow] = []
        batch.reserveCapacity(Self.caseBatchSize)
        for document in documents {
            let caseRow = try row(document, runID: runID, seenIDs: &seenIDs, seenIndexes: &seenIndexes, checked: checked)
            digest.add(index: caseRow.caseIndex, resultJSON: caseRow.resultJSON)
            batch.append(caseRow)
            if batch.count == Self.caseBatchSize {
                try await Self.insert(batch, connection)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try await Self.insert(batch, connection) }
        if let streamed = digest.streamed { return streamed }
        return try await Self.casesDigest(connection, runID: runID)
    }

    static func insert(_ rows: [CaseResultRow], _ connection: PostgresConnection) async throws {
        let columns = CaseResultRow.CodingKeys.allCases.map(\.rawValue)
        var values: [(any PostgresDynamicTypeEncodable)?] = []
        values.reserveCapacity(rows.count * columns.count)
        var tuples: [String] = []
        tuples.reserveCapacity(rows.count)
        for row in rows {
            let base = values.count
            tuples.append("(" + (1...columns.count).map { "$\(base + $0)" }.joined(separator: ",") + ")")
            values +=
                [
                    row.runID, Int64(row.caseIndex), row.caseID, row.dataset, row.status, row.score, row.critical, row.cluster, row.tags,
                    row.latencyMilliseconds, row.cost, row.resultJSON,
                ] as [(any PostgresDynamicTypeEncodable)?]
        }
        try await connection.query(
            query("INSERT INTO case_result (\(columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ","))", values), logger: logger)
    }

    public func runs(agent: String?, pipeline: String?, verdict: Verdict?, limit: Int) async throws -> [RunRecord] {
        var conditions: [String] = []
        var values: [(any PostgresDynamicTypeEncodable)?] = []
        for (column, value) in [("agent", agent), ("pipeline", pipeline), ("verdict", verdict?.rawValue)] {
            guard let value else { continue }
            values.append(value)
            conditions.append("\(column) = $\(values.count)")
        }
        values.append(Int64(max(0, limit)))
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT id, record_json FROM run \(filter) ORDER BY started_at DESC, id DESC LIMIT $\(values.count)"
        return try await read { connection in try await records(Self.query(sql, values), connection) }
    }

    public func run(id: String) async throws -> RunRecord? {
        try await read { connection in
            guard let resolved = try await Self.resolveRunID(id, connection) else { return nil }
            return try await records("SELECT id, record_json FROM run WHERE id = \(resolved)", connection).first
        }
    }

    public func caseResults(runID: String) async throws -> [CaseResult] {
        try await read { connection in
            let id = try await Self.requireRunID(runID, connection)
            let decoder = JSONCoding.decoder()
            var results: [CaseResult] = []
            let rows = try await connection.query(
                "SELECT result_json FROM case_result WHERE run_id = \(id) ORDER BY case_index", logger: Self.logger)
            for try await (text) in rows.decode(String.self) {
                results.append(try decode(CaseResult.self, from: text, what: "a case result of run \(id)", decoder: decoder))
            }
            return results
        }
    }

    public func caseOutcomes(runID: String) async throws -> [CaseOutcome] {
        try await read { connection in
            let id = try await Self.requireRunID(runID, connection)
            let decoder = JSONDecoder()
            var outcomes: [CaseOutcome] = []
            let rows = try await connection.query(
                "SELECT case_id, status, score, cluster, tags, critical FROM case_result WHERE run_id = \(id) ORDER BY case_index",
                logger: Self.logger)
            for try await (caseID, statusText, score, cluster, tagsText, critical) in rows.decode(
                (String, String, Double, String?, String, Bool).self)
            {
                guard let status = CaseResult.Status(rawValue: statusText) else {
                    throw HistoryError.decoding(what: "case \(caseID) of run \(id)", message: "unknown status '\(statusText)'")
                }
                let tags = tagsText == "[]" ? [] : try decode([String].self, from: tagsText, what: "the tags of case \(caseID)", decoder: decoder)
                outcomes.append(CaseOutcome(id: caseID, status: status, score: score, cluster: cluster, tags: tags, critical: critical))
            }
            return outcomes
        }
    }

    public func recentRuns(pipeline: String, limit: Int) async throws -> [RunRecord] {
        try await read { connection in
            try await records(
                """
                SELECT id, record_json FROM run WHERE pipeline = \(pipeline) AND stop_reason IS NULL
                ORDER BY started_at DESC, id DESC LIMIT \(Int64(max(0, limit)))
                """, connection
            ).reversed()
        }
    }

    // MARK: - Helpers

    /// Decodes the `record_json` of the runs `query` selects (`id, record_json`), in its order.
    func records(_ query: PostgresQuery, _ connection: PostgresConnection) async throws -> [RunRecord] {
        let decoder = JSONCoding.decoder()
        var records: [RunRecord] = []
        for try await (id, text) in try await connection.query(query, logger: Self.logger).decode((String, String).self) {
            records.append(try decode(RunRecord.self, from: text, what: "run \(id)", decoder: decoder))
        }
        return records
    }

    /// The stored id `idOrPrefix` names: itself when stored, else the only id starting with it.
    static func resolveRunID(_ idOrPrefix: String, _ connection: PostgresConnection) async throws -> String? {
        var exact = false
        for try await _ in try await connection.query("SELECT 1 FROM run WHERE id = \(idOrPrefix)", logger: logger) { exact = true }
        if exact { return idOrPrefix }
        guard !idOrPrefix.isEmpty else { return nil }
        // A range scan on the primary key ("C" collation); U+10FFFF sorts after anything that can follow the prefix.
        var matches: [String] = []
        let upper = idOrPrefix + "\u{10FFFF}"
        for try await (id) in try await connection.query(
            "SELECT id FROM run WHERE id > \(idOrPrefix) AND id < \(upper) ORDER BY id LIMIT 11", logger: logger
        ).decode(String.self) where id.hasPrefix(idOrPrefix) {
            matches.append(id)
        }
        switch matches.count {
        case 0: return nil
        case 1: return matches[0]
        default: throw HistoryError.ambiguousRunID(prefix: idOrPrefix, matches: Array(matches.prefix(10)))
        }
    }

    static func requireRunID(_ idOrPrefix: String, _ connection: PostgresConnection) async throws -> String {
        guard let id = try await resolveRunID(idOrPrefix, connection) else { throw HistoryError.runNotFound(idOrPrefix) }
        return id
    }
}
