import Foundation
import GRDB

extension HistoryStore {
    /// Cases per multi-row `INSERT`: 12 columns × 64 rows = 768 parameters, well under SQLite's limit,
    /// and few enough statements that 100,000 cases are bound and stepped quickly.
    static let caseBatchSize = 64

    @discardableResult
    public func record(_ run: RunRecord, cases: CaseDocuments?, knownGood: Bool, actor: String) async throws -> AuditEntry {
        // The audit head is written to result files after recording; the stored record never has one.
        var withoutHead = run
        withoutHead.audit = nil
        let stored = withoutHead
        let recordJSON = try json(stored, what: "run \(run.id)", encoder: JSONCoding.encoder())
        return try await write { db in
            let previousMark = try Bool.fetchOne(db, sql: "SELECT known_good FROM run WHERE id = ?", arguments: [run.id])
            let marked = run.verdict == .pass && (knownGood || previousMark == true)
            if knownGood && run.verdict != .pass { throw HistoryError.notPassing(runID: run.id, verdict: run.verdict) }
            let row = RunRow(stored, recordJSON: recordJSON, knownGood: marked, savedAt: Date(), redactor: redactor)
            try row.upsert(db)
            try db.execute(sql: "DELETE FROM gate_result WHERE run_id = ?", arguments: [run.id])
            for (position, gate) in run.gates.enumerated() {
                try GateResultRow(gate, runID: run.id, position: position).insert(db)
            }
            var casesDigest: String?
            if let cases {
                try db.execute(sql: "DELETE FROM case_result WHERE run_id = ?", arguments: [run.id])
                casesDigest = try insertCases(cases, runID: run.id, checked: cases.checkedUnique, db)
                try cases.verify()
            }
            if previousMark == nil, let change = run.scope?.change {
                try Self.appendAudit(.scopeChanged, actor: actor, agent: run.agent, runID: run.id, subject: nil, evidence: change.auditEvidence, db)
            }
            if previousMark == nil, let change = run.changeControl?.auditEvidence {
                try Self.appendAudit(.thresholdsChanged, actor: actor, agent: run.agent, runID: run.id, subject: nil, evidence: change, db)
            }
            return try Self.auditRun(previousMark == nil ? .runDecided : .runRedecided, runID: run.id, casesDigest: casesDigest, actor: actor, db)
        }
    }

    /// Inserts a run's case documents (see `save(_:caseDocuments:)`), refusing duplicate ids or
    /// indexes: runs are paired case by case on the id. Returns the cases digest for the audit
    /// log, hashed from the documents as they are inserted (nothing is read back).
    @discardableResult
    func insertCases(_ documents: some Sequence<Data>, runID: String, checked: Bool = false, _ db: Database) throws -> String {
        var seenIDs = Set<String>()
        var seenIndexes = Set<Int>()
        var inserter = CaseInserter(db: db)
        // Streamed while the cases come in run order (a run's journal gives them so); else read back.
        var digest = CasesDigest(streaming: true)
        for document in documents {
            let caseRow = try row(document, runID: runID, seenIDs: &seenIDs, seenIndexes: &seenIndexes, checked: checked)
            digest.add(index: caseRow.caseIndex, resultJSON: caseRow.resultJSON)
            try inserter.add(caseRow)
        }
        try inserter.finish()
        return try digest.streamed ?? AuditDigest.cases(db, runID: runID)
    }

    /// Multi-row `INSERT`s of `caseBatchSize` rows through one cached statement, then one
    /// statement for the remainder.
    struct CaseInserter {
        let db: Database
        var pending: [(any DatabaseValueConvertible)?] = []
        var rows = 0

        init(db: Database) {
            self.db = db
            pending.reserveCapacity(HistoryStore.caseBatchSize * CaseResultRow.CodingKeys.allCases.count)
        }

        mutating func add(_ row: CaseResultRow) throws {
            pending.append(contentsOf: row.values)
            rows += 1
            if rows == HistoryStore.caseBatchSize { try flush() }
        }

        mutating func finish() throws {
            if rows > 0 { try flush() }
        }

        private mutating func flush() throws {
            let statement =
                rows == HistoryStore.caseBatchSize
                ? try db.cachedStatement(sql: CaseResultRow.insertSQL(rows: rows))
                : try db.makeStatement(sql: CaseResultRow.insertSQL(rows: rows))
            statement.setUncheckedArguments(StatementArguments(pending))
            try statement.execute()
            pending.removeAll(keepingCapacity: true)
            rows = 0
        }
    }

    /// Stored runs, newest first, optionally only those of one agent, pipeline or verdict.
    public func runs(agent: String?, pipeline: String?, verdict: Verdict?, limit: Int) async throws -> [RunRecord] {
        try await read { db in
            var request = RunRow.all()
            if let agent { request = request.filter(RunRow.Columns.agent == agent) }
            if let pipeline { request = request.filter(RunRow.Columns.pipeline == pipeline) }
            if let verdict { request = request.filter(RunRow.Columns.verdict == verdict.rawValue) }
            return try records(request.order(RunRow.Columns.startedAt.desc, RunRow.Columns.id.desc).limit(max(0, limit)), db)
        }
    }

    /// The run with this id, or with the only id that starts with it (like a short git hash).
    ///
    /// Returns nil when nothing matches; throws `HistoryError.ambiguousRunID` when several ids do.
    public func run(id: String) async throws -> RunRecord? {
        try await read { db in
            guard let resolved = try resolveRunID(id, db) else { return nil }
            return try records(RunRow.filter(key: resolved), db).first
        }
    }

    /// The full results of a run's cases, in run order. `runID` may be a unique prefix.
    public func caseResults(runID: String) async throws -> [CaseResult] {
        try await read { db in
            let id = try requireRunID(runID, db)
            let decoder = JSONCoding.decoder()
            let cursor = try String.fetchCursor(db, sql: "SELECT result_json FROM case_result WHERE run_id = ? ORDER BY case_index", arguments: [id])
            var results: [CaseResult] = []
            while let text = try cursor.next() {
                results.append(try decode(CaseResult.self, from: text, what: "a case result of run \(id)", decoder: decoder))
            }
            return results
        }
    }

    /// What baseline comparisons need of each case, in run order, read from columns without
    /// decoding full results. `runID` may be a unique prefix.
    public func caseOutcomes(runID: String) async throws -> [CaseOutcome] {
        try await read { db in
            let id = try requireRunID(runID, db)
            let decoder = JSONDecoder()
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT case_id, status, score, cluster, tags, critical FROM case_result WHERE run_id = ? ORDER BY case_index",
                arguments: [id])
            var outcomes: [CaseOutcome] = []
            while let row = try cursor.next() {
                let caseID: String = row[0]
                let statusText: String = row[1]
                guard let status = CaseResult.Status(rawValue: statusText) else {
                    throw HistoryError.decoding(what: "case \(caseID) of run \(id)", message: "unknown status '\(statusText)'")
                }
                let tagsText: String = row[4]
                let tags = tagsText == "[]" ? [] : try decode([String].self, from: tagsText, what: "the tags of case \(caseID)", decoder: decoder)
                outcomes.append(CaseOutcome(id: caseID, status: status, score: row[2], cluster: row[3], tags: tags, critical: row[5]))
            }
            return outcomes
        }
    }

    /// The last `limit` runs of a pipeline that went through all their cases, oldest first: the
    /// series a drift test looks at.
    public func recentRuns(pipeline: String, limit: Int) async throws -> [RunRecord] {
        try await read { db in
            let request =
                RunRow
                .filter(RunRow.Columns.pipeline == pipeline && RunRow.Columns.stopReason == nil)
                .order(RunRow.Columns.startedAt.desc, RunRow.Columns.id.desc)
                .limit(max(0, limit))
            return try records(request, db).reversed()
        }
    }

    // MARK: - Helpers

    /// Decodes the `record_json` of the runs `request` selects, in its order.
    func records(_ request: QueryInterfaceRequest<RunRow>, _ db: Database) throws -> [RunRecord] {
        let decoder = JSONCoding.decoder()
        let rows = try Row.fetchAll(db, request.select(RunRow.Columns.id, RunRow.Columns.recordJSON))
        return try rows.map { row in
            let id: String = row[0]
            return try decode(RunRecord.self, from: row[1], what: "run \(id)", decoder: decoder)
        }
    }

    /// The stored id `idOrPrefix` names: itself when stored, else the only id starting with it.
    func resolveRunID(_ idOrPrefix: String, _ db: Database) throws -> String? {
        if try RunRow.exists(db, key: idOrPrefix) { return idOrPrefix }
        guard !idOrPrefix.isEmpty else { return nil }
        // A range scan on the primary key; U+10FFFF sorts after any character that can follow the prefix.
        let candidates = try String.fetchAll(
            db, sql: "SELECT id FROM run WHERE id > ? AND id < ? ORDER BY id LIMIT 11", arguments: [idOrPrefix, idOrPrefix + "\u{10FFFF}"])
        let matches = candidates.filter { $0.hasPrefix(idOrPrefix) }
        switch matches.count {
        case 0: return nil
        case 1: return matches[0]
        default: throw HistoryError.ambiguousRunID(prefix: idOrPrefix, matches: Array(matches.prefix(10)))
        }
    }

    func requireRunID(_ idOrPrefix: String, _ db: Database) throws -> String {
        guard let id = try resolveRunID(idOrPrefix, db) else { throw HistoryError.runNotFound(idOrPrefix) }
        return id
    }
}
