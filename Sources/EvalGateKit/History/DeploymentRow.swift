import Foundation
import GRDB

/// One row of the `deployment` table.
struct DeploymentRow: Codable, Equatable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "deployment"

    var id: Int64?
    var agent: String
    var environment: String
    var version: String
    var recordedAt: Date
    var recordedBy: String?
    var note: String?
    var runID: String?

    enum CodingKeys: String, CodingKey {
        case id, agent, environment, version
        case recordedAt = "recorded_at"
        case recordedBy = "recorded_by"
        case note
        case runID = "run_id"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let agent = Column(CodingKeys.agent)
        static let environment = Column(CodingKeys.environment)
        static let version = Column(CodingKeys.version)
        static let recordedAt = Column(CodingKeys.recordedAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var deployment: Deployment {
        Deployment(
            id: id ?? 0, agent: agent, environment: environment, version: version, recordedAt: recordedAt, recordedBy: recordedBy, note: note,
            runID: runID)
    }
}
