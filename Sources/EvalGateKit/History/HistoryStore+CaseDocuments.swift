import Foundation
import GRDB

extension HistoryStore {
    public func caseDocuments(runID: String, fromIndex: Int, limit: Int) async throws -> [(index: Int, document: Data)] {
        try await read { db in
            let id = try requireRunID(runID, db)
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT case_index, result_json FROM case_result WHERE run_id = ? AND case_index >= ? ORDER BY case_index LIMIT ?",
                arguments: [id, fromIndex, max(0, limit)])
            var page: [(index: Int, document: Data)] = []
            while let row = try cursor.next() {
                let text: String = row[1]
                page.append((row[0], Data(text.utf8)))
            }
            return page
        }
    }
}
