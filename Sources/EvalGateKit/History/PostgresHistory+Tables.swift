import Foundation
import GRDB
import PostgresNIO

/// Whole tables, row by row, for `HistoryCopy` (`evalgate history migrate`), with values as the
/// SQLite history stores them.
extension PostgresHistory: HistoryTables {
    func tableRows(_ table: HistoryTable, runID: String?) async throws -> [[DatabaseValue]] {
        try await read { connection in try await Self.rows(table, runID: runID, connection) }
    }

    static func rows(_ table: HistoryTable, runID: String?, _ connection: PostgresConnection) async throws -> [[DatabaseValue]] {
        var sql = "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.rawValue)"
        var values: [(any PostgresDynamicTypeEncodable)?] = []
        if let runID {
            sql += table == .run ? " WHERE id = $1" : " WHERE run_id = $1"
            values = [runID]
        }
        sql += " ORDER BY " + table.key.joined(separator: ", ")
        var rows: [[DatabaseValue]] = []
        for try await row in try await connection.query(query(sql, values), logger: logger) {
            rows.append(try row.map { try databaseValue($0) })
        }
        return rows
    }

    func tableDigest(_ table: HistoryTable) async throws -> (count: Int, digest: String) {
        try await read { connection in
            let sql = "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.rawValue) ORDER BY \(table.key.joined(separator: ", "))"
            var digest = RowsDigest(columns: table.columns)
            var count = 0
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger) {
                count += 1
                digest.add(try row.map { try Self.databaseValue($0) })
            }
            return (count, digest.finalize())
        }
    }

    func importRows(_ batches: [(HistoryTable, [[DatabaseValue]])]) async throws -> Int {
        try await write { connection in
            var inserted = 0
            for (table, rows) in batches where !rows.isEmpty {
                let keyIndexes = table.keyIndexes
                let condition = table.key.enumerated().map { "\($1) = $\($0 + 1)" }.joined(separator: " AND ")
                let select = "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.rawValue) WHERE \(condition)"
                let insert =
                    "INSERT INTO \(table.rawValue) (\(table.columns.joined(separator: ", "))) VALUES ("
                    + (1...table.columns.count).map { "$\($0)" }.joined(separator: ", ") + ")"
                for row in rows {
                    let keyValues = keyIndexes.map { Self.bind(row[$0], boolean: table.booleanColumns.contains(table.columns[$0])) }
                    var stored: [DatabaseValue]?
                    for try await existing in try await connection.query(Self.query(select, keyValues), logger: Self.logger) {
                        stored = try existing.map { try Self.databaseValue($0) }
                    }
                    if let stored {
                        guard stored == row else { throw HistoryCopy.Failure.conflict(table.name(of: row)) }
                        continue
                    }
                    let values = zip(table.columns, row).map { column, value in Self.bind(value, boolean: table.booleanColumns.contains(column)) }
                    try await connection.query(Self.query(insert, values), logger: Self.logger)
                    inserted += 1
                }
                // Rows copied with their ids: the next id generated must come after them.
                if table == .approval || table == .deployment || table == .signOff || table == .autonomyChange || table == .changeApproval {
                    try await connection.query(
                        PostgresQuery(
                            unsafeSQL:
                                "SELECT setval(pg_get_serial_sequence('\(table.rawValue)', 'id'), (SELECT max(id) FROM \(table.rawValue)))"),
                        logger: Self.logger)
                }
            }
            return inserted
        }
    }

    func removeFreshGenesis() async throws -> Bool {
        try await write { connection in
            for table in HistoryTable.allCases where table != .auditEntry {
                var count: Int64 = 0
                for try await (rows) in try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table.rawValue)"), logger: Self.logger
                ).decode(Int64.self) {
                    count = rows
                }
                guard count == 0 else { return false }
            }
            var events: [String] = []
            for try await (event) in try await connection.query("SELECT event FROM audit_entry", logger: Self.logger).decode(String.self) {
                events.append(event)
            }
            guard events == [AuditEvent.genesis.rawValue] else { return false }
            try await connection.query("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_is_append_only_delete", logger: Self.logger)
            try await connection.query("DELETE FROM audit_entry", logger: Self.logger)
            try await connection.query("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_is_append_only_delete", logger: Self.logger)
            return true
        }
    }

    /// A value as its PostgreSQL column takes it.
    static func bind(_ value: DatabaseValue, boolean: Bool) -> (any PostgresDynamicTypeEncodable)? {
        switch value.storage {
        case .null: return nil
        case .int64(let integer): return boolean ? integer != 0 : integer
        case .double(let double): return double
        case .string(let string): return string
        case .blob(let data): return String(decoding: data, as: UTF8.self)
        }
    }
}
