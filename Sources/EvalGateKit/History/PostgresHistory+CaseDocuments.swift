import Foundation
import PostgresNIO

extension PostgresHistory {
    public func caseDocuments(runID: String, fromIndex: Int, limit: Int) async throws -> [(index: Int, document: Data)] {
        try await read { connection in
            let id = try await Self.requireRunID(runID, connection)
            let rows = try await connection.query(
                Self.query(
                    "SELECT case_index, result_json FROM case_result WHERE run_id = $1 AND case_index >= $2 ORDER BY case_index LIMIT $3",
                    [id, Int64(fromIndex), Int64(max(0, limit))]), logger: Self.logger)
            var page: [(index: Int, document: Data)] = []
            for try await (index, text) in rows.decode((Int64, String).self) {
                page.append((Int(index), Data(text.utf8)))
            }
            return page
        }
    }
}
