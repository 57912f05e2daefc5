import GRDB

/// A table of the history, with every column, for copying whole histories between backends
/// (`HistoryCopy`). Values travel as SQLite stores them (`DatabaseValue`): the PostgreSQL
/// history converts its booleans to and from 0 and 1.
public enum HistoryTable: String, CaseIterable, Sendable {
    case run
    case gateResult = "gate_result"
    case caseResult = "case_result"
    case approval
    case deployment
    case reviewLabel = "review_label"
    case auditEntry = "audit_entry"
    case signOff = "sign_off"
    case autonomyChange = "autonomy_change"
    case changeApproval = "change_approval"

    /// Every column, in the order values travel.
    var columns: [String] {
        switch self {
        case .run: AuditDigest.runColumns
        case .gateResult: AuditDigest.gateColumns
        case .caseResult: CaseResultRow.CodingKeys.allCases.map(\.rawValue)
        case .approval: AuditDigest.approvalColumns
        case .deployment: AuditDigest.deploymentColumns
        case .reviewLabel: AuditDigest.labelColumns
        case .signOff: AuditDigest.signOffColumns
        case .changeApproval: AuditDigest.changeApprovalColumns
        case .auditEntry: ["sequence", "recorded_at", "actor", "event", "agent", "run_id", "subject", "evidence", "previous_hash", "hash"]
        case .autonomyChange: AuditDigest.autonomyChangeColumns
        }
    }

    /// The columns that identify a row (its primary or unique key), a prefix of `columns` order-wise irrelevant.
    var key: [String] {
        switch self {
        case .run: ["id"]
        case .gateResult: ["run_id", "position"]
        case .caseResult: ["run_id", "case_index"]
        case .approval, .deployment, .signOff, .autonomyChange, .changeApproval: ["id"]
        case .reviewLabel: ["run_id", "case_id"]
        case .auditEntry: ["sequence"]
        }
    }

    /// Columns PostgreSQL keeps as `boolean` (SQLite: 0 or 1).
    var booleanColumns: Set<String> {
        switch self {
        case .run: ["known_good"]
        case .caseResult: ["critical"]
        default: []
        }
    }

    /// The positions of `key` in `columns`.
    var keyIndexes: [Int] { key.map { column in columns.firstIndex(of: column)! } }

    /// How a message names one row.
    func name(of row: [DatabaseValue]) -> String {
        let parts = zip(key, keyIndexes).map { column, index in "\(column) \(row[index].description)" }
        return "\(rawValue) row (\(parts.joined(separator: ", ")))"
    }
}

/// A history whose tables can be read and written row by row, as `HistoryCopy` does: both
/// backends. Nothing else writes around the audit log.
protocol HistoryTables: RunHistory {
    /// The rows of `table` (all, or those of one run for tables keyed by run), in key order.
    func tableRows(_ table: HistoryTable, runID: String?) async throws -> [[DatabaseValue]]
    /// Count and `RowsDigest` of every row of `table` in key order.
    func tableDigest(_ table: HistoryTable) async throws -> (count: Int, digest: String)
    /// In one transaction (holding the write lock): inserts every row whose key is not stored,
    /// skips a row stored with the same values, and fails on a row stored with other values.
    /// Returns how many rows were inserted.
    func importRows(_ batches: [(HistoryTable, [[DatabaseValue]])]) async throws -> Int
    /// Removes the genesis entry of a history that has recorded nothing else (no rows in any
    /// table, one audit entry), so a copied log can take its place; false when the history is not
    /// like that.
    func removeFreshGenesis() async throws -> Bool
}
