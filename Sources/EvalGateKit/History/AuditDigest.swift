import Crypto
import Foundation
import GRDB

/// SHA-256 digests of rows as stored, the evidence audit entries carry.
///
/// A digest covers a fixed list of columns per table (not `SELECT *`), so a later migration that
/// adds a column does not make every earlier entry disagree with its row; covering a new column
/// means a new evidence key. Each row is encoded as `row`, then per column its name and its value
/// tagged with SQLite's storage class (`-` null, `i:` integer, `d:` real, `s<n>:` text of n UTF-8
/// bytes, `b<n>:` blob), one line each.
enum AuditDigest {
    static let runColumns = [
        "id", "pipeline", "pipeline_file", "pipeline_hash", "agent", "version", "tier", "mode", "environment", "started_at", "ended_at", "verdict",
        "action", "stop_reason", "selected_cases", "passed", "failed", "errors", "pass_rate", "p95_latency_ms", "total_cost", "ci_commit",
        "ci_branch", "ci_job_url", "record_json", "known_good", "evalgate_version", "saved_at",
    ]
    static let gateColumns = [
        "run_id", "position", "name", "outcome", "measured", "threshold", "measured_value", "threshold_value", "sentence",
    ]
    static let approvalColumns = ["id", "run_id", "approved_by", "reason", "approved_at"]
    static let deploymentColumns = ["id", "agent", "environment", "version", "recorded_at", "recorded_by", "note", "run_id"]
    static let labelColumns = ["run_id", "case_id", "label", "reviewer", "note", "recorded_at"]
    static let signOffColumns = ["id", "run_id", "role", "decision", "signed_by", "reason", "recorded_at"]
    static let autonomyChangeColumns = [
        "id", "agent", "tier", "from_level", "to_level", "direction", "changed_by", "role", "reason", "evidence_json", "recorded_at",
    ]
    static let changeApprovalColumns = ["id", "agent", "change_id", "run_id", "approved_by", "role", "reason", "approved_at"]

    /// Digest of the rows `condition` selects from `table`, in `order` (no rows has a digest too).
    static func rows(
        _ db: Database, table: String, columns: [String], where condition: String, arguments: StatementArguments, order: String
    ) throws -> String {
        let sql = "SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE \(condition) ORDER BY \(order)"
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        var digest = RowsDigest(columns: columns)
        while let row = try cursor.next() {
            digest.add(Array(row.databaseValues))
        }
        return digest.finalize()
    }

    static func encode(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return "-"
        case .int64(let integer): return "i:\(integer)"
        case .double(let double): return "d:\(double)"
        case .string(let string): return "s\(string.utf8.count):" + string
        case .blob(let data): return "b\(data.count):" + data.base64EncodedString()
        }
    }

    static func run(_ db: Database, id: String) throws -> String {
        try rows(db, table: "run", columns: runColumns, where: "id = ?", arguments: [id], order: "id")
    }

    static func gates(_ db: Database, runID: String) throws -> String {
        try rows(db, table: "gate_result", columns: gateColumns, where: "run_id = ?", arguments: [runID], order: "position")
    }

    static func approval(_ db: Database, id: Int64) throws -> String {
        try rows(db, table: "approval", columns: approvalColumns, where: "id = ?", arguments: [id], order: "id")
    }

    static func signOff(_ db: Database, id: Int64) throws -> String {
        try rows(db, table: "sign_off", columns: signOffColumns, where: "id = ?", arguments: [id], order: "id")
    }

    static func changeApproval(_ db: Database, id: Int64) throws -> String {
        try rows(db, table: "change_approval", columns: changeApprovalColumns, where: "id = ?", arguments: [id], order: "id")
    }

    static func deployment(_ db: Database, id: Int64) throws -> String {
        try rows(db, table: "deployment", columns: deploymentColumns, where: "id = ?", arguments: [id], order: "id")
    }

    static func autonomyChange(_ db: Database, id: Int64) throws -> String {
        try rows(db, table: "autonomy_change", columns: autonomyChangeColumns, where: "id = ?", arguments: [id], order: "id")
    }

    static func label(_ db: Database, runID: String, caseID: String) throws -> String {
        try rows(db, table: "review_label", columns: labelColumns, where: "run_id = ? AND case_id = ?", arguments: [runID, caseID], order: "case_id")
    }

    /// The digest of a run's cases: the SHA-256 of each stored `result_json`, in case order.
    /// Built as cases are inserted (`CasesDigest`), so recording never reads cases back.
    static func cases(_ db: Database, runID: String) throws -> String {
        var digest = CasesDigest()
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT case_index, result_json FROM case_result WHERE run_id = ? ORDER BY case_index", arguments: [runID])
        while let row = try cursor.next() {
            digest.add(index: row[0], resultJSON: row[1])
        }
        return digest.finalize()
    }
}

/// The digest of rows, fed one row at a time as SQLite's storage classes (`DatabaseValue`): the
/// PostgreSQL history maps its columns to the values SQLite stores for them, so both backends give
/// the same digest for the same rows.
struct RowsDigest {
    let columns: [String]
    private var hasher = SHA256()
    private var count = 0

    init(columns: [String]) {
        self.columns = columns
    }

    mutating func add(_ values: [DatabaseValue]) {
        count += 1
        var text = "row\n"
        for (column, value) in zip(columns, values) {
            text += column + " " + AuditDigest.encode(value) + "\n"
        }
        hasher.update(data: Data(text.utf8))
    }

    func finalize() -> String {
        var hasher = hasher
        hasher.update(data: Data("rows \(count)\n".utf8))
        return hasher.finalize().hexString
    }
}

/// The cases digest, accumulated one stored case at a time in any order: 40 bytes a case are
/// kept (index and SHA-256), sorted by index at the end.
struct CasesDigest {
    private var entries: [(index: Int, digest: SHA256.Digest)] = []
    /// Streaming (`init(streaming: true)`): fed in increasing index order, as recording feeds a run's
    /// journal, nothing is kept (40 bytes a case otherwise, twice over while sorting).
    private var hasher: SHA256?
    private var last = Int.min
    private var count = 0
    /// Streaming, an index came out of order: `streamed` is nil and the digest must be read back.
    private(set) var outOfOrder = false

    init(streaming: Bool = false) {
        hasher = streaming ? SHA256() : nil
    }

    mutating func add(index: Int, resultJSON: String) {
        var text = resultJSON
        let digest = text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        guard hasher != nil else {
            entries.append((index, digest))
            return
        }
        count += 1
        guard !outOfOrder else { return }
        guard index > last else {
            outOfOrder = true
            return
        }
        last = index
        hasher!.update(data: Data("\(index) ".utf8))
        digest.withUnsafeBytes { hasher!.update(bufferPointer: $0) }
    }

    /// The streamed digest, equal to `finalize()` of the same entries; nil when they came out of order.
    var streamed: String? {
        guard var hasher, !outOfOrder else { return nil }
        hasher.update(data: Data("cases \(count)\n".utf8))
        return hasher.finalize().hexString
    }

    func finalize() -> String {
        var hasher = SHA256()
        for entry in entries.sorted(by: { $0.index < $1.index }) {
            hasher.update(data: Data("\(entry.index) ".utf8))
            entry.digest.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
        hasher.update(data: Data("cases \(entries.count)\n".utf8))
        return hasher.finalize().hexString
    }
}
