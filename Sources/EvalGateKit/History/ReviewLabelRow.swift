import Foundation
import GRDB

/// One row of the `review_label` table; a case has at most one label per run (the latest wins).
struct ReviewLabelRow: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "review_label"

    var runID: String
    var caseID: String
    var label: String
    var reviewer: String
    var note: String?
    var recordedAt: Date

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case caseID = "case_id"
        case label, reviewer, note
        case recordedAt = "recorded_at"
    }
}
