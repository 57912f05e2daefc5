import Foundation
import GRDB

/// Whole tables, row by row, for `HistoryCopy` (`evalgate history migrate`).
extension HistoryStore: HistoryTables {
    func tableRows(_ table: HistoryTable, runID: String?) async throws -> [[DatabaseValue]] {
        try await read { db in try Self.rows(table, runID: runID, db) }
    }

    static func rows(_ table: HistoryTable, runID: String?, _ db: Database) throws -> [[DatabaseValue]] {
        var sql = "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.rawValue)"
        var arguments: StatementArguments = []
        if let runID {
            sql += table == .run ? " WHERE id = ?" : " WHERE run_id = ?"
            arguments = [runID]
        }
        sql += " ORDER BY " + table.key.joined(separator: ", ")
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { Array($0.databaseValues) }
    }

    func tableDigest(_ table: HistoryTable) async throws -> (count: Int, digest: String) {
        try await read { db in
            let sql = "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.rawValue) ORDER BY \(table.key.joined(separator: ", "))"
            let cursor = try Row.fetchCursor(db, sql: sql)
            var digest = RowsDigest(columns: table.columns)
            var count = 0
            while let row = try cursor.next() {
                count += 1
                digest.add(Array(row.databaseValues))
            }
            return (count, digest.finalize())
        }
    }

    func importRows(_ batches: [(HistoryTable, [[DatabaseValue]])]) async throws -> Int {
        try await write { db in
            var inserted = 0
            for (table, rows) in batches where !rows.isEmpty {
                let keyIndexes = table.keyIndexes
                let condition = table.key.map { "\($0) = ?" }.joined(separator: " AND ")
                let select = try db.cachedStatement(
                    sql: "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.rawValue) WHERE \(condition)")
                let insert = try db.cachedStatement(
                    sql: "INSERT INTO \(table.rawValue) (\(table.columns.joined(separator: ", "))) VALUES ("
                        + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")")
                for row in rows {
                    select.setUncheckedArguments(StatementArguments(keyIndexes.map { row[$0] }))
                    if let stored = try Row.fetchOne(select) {
                        guard Array(stored.databaseValues) == row else { throw HistoryCopy.Failure.conflict(table.name(of: row)) }
                        continue
                    }
                    insert.setUncheckedArguments(StatementArguments(row))
                    try insert.execute()
                    inserted += 1
                }
            }
            return inserted
        }
    }

    func removeFreshGenesis() async throws -> Bool {
        try await write { db in
            for table in HistoryTable.allCases where table != .auditEntry {
                guard try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.rawValue)") == 0 else { return false }
            }
            let events = try String.fetchAll(db, sql: "SELECT event FROM audit_entry")
            guard events == [AuditEvent.genesis.rawValue] else { return false }
            try db.execute(sql: "DROP TRIGGER audit_entry_is_append_only_delete")
            try db.execute(sql: "DELETE FROM audit_entry")
            try db.execute(sql: Self.auditDeleteTrigger)
            return true
        }
    }
}
