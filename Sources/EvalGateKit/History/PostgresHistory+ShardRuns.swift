import Foundation
import PostgresNIO

extension PostgresHistory {
    /// The shard group in a run's document, as the index `run_on_shard_group` (v7) holds it; a
    /// query must use this very expression for PostgreSQL to use the index. `text::jsonb` is
    /// immutable, as an index expression must be.
    static let shardGroupExpression = "(record_json::jsonb -> 'shard' ->> 'group')"

    public func shardRuns(group: String) async throws -> [RunRecord] {
        let sql = "SELECT id, record_json FROM run WHERE \(Self.shardGroupExpression) = $1 ORDER BY started_at, id"
        return try await read { connection in try await records(Self.query(sql, [group]), connection) }
    }
}
