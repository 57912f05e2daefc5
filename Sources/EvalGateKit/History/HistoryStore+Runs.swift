import Foundation
import GRDB

extension HistoryStore {
    /// Cases per multi-row `INSERT`: 12 columns × 64 rows = 768 parameters, well under SQLite's limit,
    /// and few enough statements that 100,000 cases are bound and stepped quickly.
    static let caseBatchSize = 64

    /// Stores a run with its gates and cases in one write transaction.
    ///
    /// Saving a run id that is already stored replaces its row, gates and cases (a resumed run is
    /// saved again when it finishes). What people added stays: review labels, deployments pointing
    /// at it, and its known-good mark as long as the new verdict is still pass.
    ///
    /// Cases are encoded before the write lock is taken, so a large run keeps other writers (parallel
    /// CI jobs on the same file) waiting only for the inserts, not for JSON encoding.
    public func save(_ record: RunRecord, cases: some Sequence<CaseResult>) throws {
        let encoder = JSONCoding.encoder()
        let recordJSON = try json(record, what: "run \(record.id)", encoder: encoder)
        let caseRows = try caseRows(cases, runID: record.id, encoder: encoder)
        try write { db in
            let wasKnownGood = try Bool.fetchOne(db, sql: "SELECT known_good FROM run WHERE id = ?", arguments: [record.id]) ?? false
            let row = RunRow(record, recordJSON: recordJSON, knownGood: wasKnownGood && record.verdict == .pass, savedAt: Date(), redactor: redactor)
            try row.upsert(db)
            try db.execute(sql: "DELETE FROM gate_result WHERE run_id = ?", arguments: [record.id])
            try db.execute(sql: "DELETE FROM case_result WHERE run_id = ?", arguments: [record.id])
            for (position, gate) in record.gates.enumerated() {
                try GateResultRow(gate, runID: record.id, position: position).insert(db)
            }
            try insert(caseRows, db)
        }
    }

    /// Encodes and redacts cases, refusing duplicate ids or indexes (runs are paired case by case on the id).
    func caseRows(_ cases: some Sequence<CaseResult>, runID: String, encoder: JSONEncoder) throws -> [CaseResultRow] {
        var rows: [CaseResultRow] = []
        rows.reserveCapacity(cases.underestimatedCount)
        var seenIDs = Set<String>()
        var seenIndexes = Set<Int>()
        for result in cases {
            guard seenIDs.insert(result.id).inserted else {
                throw HistoryError.invalidCases(runID: runID, reason: "case id '\(result.id)' appears twice")
            }
            guard seenIndexes.insert(result.index).inserted else {
                throw HistoryError.invalidCases(runID: runID, reason: "case index \(result.index) appears twice (second: '\(result.id)')")
            }
            rows.append(
                CaseResultRow(
                    result, runID: runID,
                    tags: try json(result.tags, what: "the tags of case \(result.id)", encoder: encoder),
                    resultJSON: try json(result, what: "case \(result.id) of run \(runID)", encoder: encoder)))
        }
        return rows
    }

    /// Multi-row `INSERT`s through one cached statement, then one statement for the remainder.
    func insert(_ rows: [CaseResultRow], _ db: Database) throws {
        let batchSize = Self.caseBatchSize
        var pending: [(any DatabaseValueConvertible)?] = []
        pending.reserveCapacity(batchSize * CaseResultRow.CodingKeys.allCases.count)
        var start = rows.startIndex
        while start < rows.endIndex {
            let end = min(start + batchSize, rows.endIndex)
            for row in rows[start..<end] { pending.append(contentsOf: row.values) }
            let statement =
                end - start == batchSize
                ? try db.cachedStatement(sql: CaseResultRow.insertSQL(rows: batchSize))
                : try db.makeStatement(sql: CaseResultRow.insertSQL(rows: end - start))
            statement.setUncheckedArguments(StatementArguments(pending))
            try statement.execute()
            pending.removeAll(keepingCapacity: true)
            start = end
        }
    }

    /// Stored runs, newest first, optionally only those of one agent, pipeline or verdict.
    public func runs(agent: String? = nil, pipeline: String? = nil, verdict: Verdict? = nil, limit: Int = 50) throws -> [RunRecord] {
        try read { db in
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
    public func run(id: String) throws -> RunRecord? {
        try read { db in
            guard let resolved = try resolveRunID(id, db) else { return nil }
            return try records(RunRow.filter(key: resolved), db).first
        }
    }

    /// The full results of a run's cases, in run order. `runID` may be a unique prefix.
    public func caseResults(runID: String) throws -> [CaseResult] {
        try read { db in
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
    public func caseOutcomes(runID: String) throws -> [CaseOutcome] {
        try read { db in
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
    public func recentRuns(pipeline: String, limit: Int = 20) throws -> [RunRecord] {
        try read { db in
            let request = RunRow
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
