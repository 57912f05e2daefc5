import Foundation
import GRDB

/// One row of the `case_result` table: the full `CaseResult` as JSON, plus the columns a
/// `CaseOutcome` is built from, so baseline comparisons never decode whole results.
struct CaseResultRow: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "case_result"

    var runID: String
    var caseIndex: Int
    var caseID: String
    var dataset: String
    var status: String
    var score: Double
    var critical: Bool
    var cluster: String?
    /// JSON array of strings.
    var tags: String
    var latencyMilliseconds: Double
    var cost: Double?
    var resultJSON: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case runID = "run_id"
        case caseIndex = "case_index"
        case caseID = "case_id"
        case dataset, status, score, critical, cluster, tags
        case latencyMilliseconds = "latency_ms"
        case cost
        case resultJSON = "result_json"
    }

    /// The members of a `CaseResult` document the columns come from; decoding only these skips
    /// building the answer, trajectory and scores.
    struct Columns: Decodable {
        var index: Int
        var id: String
        var dataset: String
        var status: CaseResult.Status
        var score: Double
        var critical: Bool
        var cluster: String?
        var tags: [String]
        var latencyMilliseconds: Double
        var cost: Double?
    }

    init(_ columns: Columns, runID: String, tags: String, resultJSON: String) {
        self.runID = runID
        caseIndex = columns.index
        caseID = columns.id
        dataset = columns.dataset
        status = columns.status.rawValue
        score = columns.score
        critical = columns.critical
        cluster = columns.cluster
        self.tags = tags
        latencyMilliseconds = columns.latencyMilliseconds
        cost = columns.cost
        self.resultJSON = resultJSON
    }

    /// Column values in `CodingKeys.allCases` order, for the batched insert statement.
    var values: [(any DatabaseValueConvertible)?] {
        [runID, caseIndex, caseID, dataset, status, score, critical, cluster, tags, latencyMilliseconds, cost, resultJSON]
    }

    /// `INSERT INTO case_result (...) VALUES (...), (...), ...` for `rows` rows at once.
    static func insertSQL(rows: Int) -> String {
        let columns = CodingKeys.allCases.map(\.rawValue)
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        return "INSERT INTO case_result (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: tuple, count: rows).joined(separator: ",")
    }
}
