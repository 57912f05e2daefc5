import Foundation
import GRDB

extension HistoryStore {
    /// The shard group in a run's document, as the index `run_on_shard_group` (v7) holds it; a
    /// query must use this very expression for SQLite to use the index.
    static let shardGroupExpression = "json_extract(record_json, '$.shard.group')"

    public func shardRuns(group: String) async throws -> [RunRecord] {
        try await read { db in
            let request = RunRow.filter(sql: "\(Self.shardGroupExpression) = ?", arguments: [group])
                .order(RunRow.Columns.startedAt.asc, RunRow.Columns.id.asc)
            return try records(request, db)
        }
    }
}
