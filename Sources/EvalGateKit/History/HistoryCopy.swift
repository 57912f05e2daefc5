import Foundation
import GRDB

/// Copies a whole history to another (`evalgate history migrate`), between SQLite and PostgreSQL
/// in either direction: runs with their gates, cases and review labels, approvals, deployments
/// (known-good marks are a column of the run), autonomy level changes and the audit log.
///
/// The audit log is copied as it is: the same entries, sequence numbers and hashes. Both backends
/// store the same values for the same rows and digest them the same way, so the copy's chain and
/// row digests check out (`audit verify` passes on the target, and an anchor taken on the source
/// still holds). A target that has recorded nothing but its own genesis entry has that entry
/// removed so the source's log takes its place; any other target must hold a copy of the source's
/// log's beginning (an earlier, interrupted or completed copy), or nothing is copied.
///
/// Each run (row, gates, cases, labels) is copied in one transaction; a row already in the target
/// with the same values is skipped, with other values it is a conflict and the copy stops, so
/// running it again is safe and finishes an interrupted copy. At the end every table's row count
/// and checksum (the `RowsDigest` of all its rows) must be equal on both sides, and the target's
/// audit log must verify.
public struct HistoryCopy: Sendable {
    public enum Failure: LocalizedError, Equatable {
        case unsupported(String)
        /// The target holds a row with the same key as a source row but other values.
        case conflict(String)
        /// The target's audit log is not the beginning of the source's: it is another history.
        case foreignAuditLog(String)
        /// After copying, a table differs between source and target.
        case mismatch(table: String, source: String, target: String)
        /// The copied audit log does not verify.
        case notIntact([String])

        public var errorDescription: String? {
            switch self {
            case .unsupported(let what): return "cannot copy \(what)"
            case .conflict(let row):
                return "the target already holds \(row) with other values; it is another history (nothing of that run was copied)"
            case .foreignAuditLog(let reason): return "the target's audit log is not a copy of the source's: \(reason); migrate into an empty history"
            case .mismatch(let table, let source, let target):
                return "table \(table) differs after copying: source \(source), target \(target)"
            case .notIntact(let problems): return "the copied audit log does not verify: \(problems.prefix(5).joined(separator: "; "))"
            }
        }
    }

    /// What was copied and checked.
    public struct Report: Sendable {
        /// Rows inserted into the target (0 for everything on a rerun).
        public var inserted: Int
        /// Rows per table, equal on both sides.
        public var counts: [HistoryTable: Int]
        /// Checksums per table, equal on both sides.
        public var checksums: [HistoryTable: String]
        public var audit: AuditVerification
    }

    public let source: any RunHistory
    public let target: any RunHistory

    public init(from source: any RunHistory, to target: any RunHistory) {
        self.source = source
        self.target = target
    }

    /// Audit entries per transaction.
    static let auditBatch = 1000

    public func run(progress: (@Sendable (String) -> Void)? = nil) async throws -> Report {
        guard let source = source as? any HistoryTables else { throw Failure.unsupported("from \(source.location)") }
        guard let target = target as? any HistoryTables else { throw Failure.unsupported("to \(target.location)") }

        // The logs first: the target's must be the beginning of the source's.
        let sourceLog = try await source.tableRows(.auditEntry, runID: nil)
        var targetLog = try await target.tableRows(.auditEntry, runID: nil)
        if !isPrefix(targetLog, of: sourceLog) {
            if targetLog.count == 1, try await target.removeFreshGenesis() {
                targetLog = []
            } else {
                let sequenceIndex = HistoryTable.auditEntry.columns.firstIndex(of: "sequence")!
                let first = zip(targetLog, sourceLog).first { $0 != $1 }?.0[sequenceIndex].description ?? "\(sourceLog.count + 1)"
                throw Failure.foreignAuditLog("its entry \(first) differs from the source's (or the source has none)")
            }
        }

        var inserted = 0
        let runs = try await source.tableRows(.run, runID: nil)
        let idIndex = HistoryTable.run.columns.firstIndex(of: "id")!
        for (number, run) in runs.enumerated() {
            guard let id = String.fromDatabaseValue(run[idIndex]) else { continue }
            var batches: [(HistoryTable, [[DatabaseValue]])] = [(.run, [run])]
            for table in [HistoryTable.gateResult, .caseResult, .reviewLabel] {
                batches.append((table, try await source.tableRows(table, runID: id)))
            }
            inserted += try await target.importRows(batches)
            if (number + 1) % 100 == 0 || number + 1 == runs.count { progress?("runs: \(number + 1)/\(runs.count)") }
        }
        inserted += try await target.importRows([(.approval, try await source.tableRows(.approval, runID: nil))])
        inserted += try await target.importRows([(.deployment, try await source.tableRows(.deployment, runID: nil))])
        inserted += try await target.importRows([(.signOff, try await source.tableRows(.signOff, runID: nil))])
        inserted += try await target.importRows([(.autonomyChange, try await source.tableRows(.autonomyChange, runID: nil))])
        inserted += try await target.importRows([(.changeApproval, try await source.tableRows(.changeApproval, runID: nil))])
        var start = 0
        while start < sourceLog.count {
            let end = min(start + Self.auditBatch, sourceLog.count)
            inserted += try await target.importRows([(.auditEntry, Array(sourceLog[start..<end]))])
            start = end
        }
        progress?("audit entries: \(sourceLog.count)")

        var counts: [HistoryTable: Int] = [:]
        var checksums: [HistoryTable: String] = [:]
        for table in HistoryTable.allCases {
            let (sourceCount, sourceDigest) = try await source.tableDigest(table)
            let (targetCount, targetDigest) = try await target.tableDigest(table)
            guard sourceCount == targetCount, sourceDigest == targetDigest else {
                throw Failure.mismatch(
                    table: table.rawValue, source: "\(sourceCount) rows, sha256 \(sourceDigest.prefix(12))…",
                    target: "\(targetCount) rows, sha256 \(targetDigest.prefix(12))…")
            }
            counts[table] = sourceCount
            checksums[table] = sourceDigest
        }
        let audit = try await target.verifyAudit(anchor: nil)
        guard audit.isIntact else { throw Failure.notIntact(audit.problems.map(\.message)) }
        return Report(inserted: inserted, counts: counts, checksums: checksums, audit: audit)
    }

    private func isPrefix(_ prefix: [[DatabaseValue]], of log: [[DatabaseValue]]) -> Bool {
        prefix.count <= log.count && zip(prefix, log).allSatisfy { $0 == $1 }
    }
}
