import Foundation
import GRDB

/// The audit log: appended to by every write that changes a decision, in that write's
/// transaction, and read and verified here. See docs/audit.md.
extension HistoryStore {
    // MARK: - Appending

    /// Appends an entry in the caller's transaction and returns it. The next sequence number and
    /// the previous hash are read in the same (`BEGIN IMMEDIATE`) transaction, so concurrent
    /// writers, even in other processes, append one after the other.
    @discardableResult
    static func appendAudit(
        _ event: AuditEvent, actor: String, agent: String?, runID: String?, subject: String?, evidence: [String: String], at date: Date = Date(),
        _ db: Database
    ) throws -> AuditEntry {
        var previousSequence: Int64 = 0
        var previousHash = AuditEntry.noPreviousHash
        if let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit_entry ORDER BY sequence DESC LIMIT 1") {
            previousSequence = last[0]
            previousHash = last[1]
        }
        var entry = AuditEntry(
            sequence: previousSequence + 1, recordedAt: AuditEntry.timestamp(date), actor: actor, event: event, agent: agent, runID: runID,
            subject: subject, evidence: evidence, previousHash: previousHash)
        entry.hash = entry.computedHash
        try AuditEntryRow(entry).insert(db)
        return entry
    }

    /// The evidence of a run as stored now: its row and its gates (and cases, when given).
    static func runEvidence(_ db: Database, runID: String, casesDigest: String?) throws -> (agent: String?, evidence: [String: String]) {
        let row = try Row.fetchOne(db, sql: "SELECT agent, version, verdict, action, known_good FROM run WHERE id = ?", arguments: [runID])
        var evidence = [
            "run_sha256": try AuditDigest.run(db, id: runID),
            "gates_sha256": try AuditDigest.gates(db, runID: runID),
        ]
        var agent: String?
        if let row {
            agent = row[0] as String
            evidence["version"] = row[1] as String
            evidence["verdict"] = row[2] as String
            evidence["action"] = row[3] as String
            evidence["known_good"] = (row[4] as Bool) ? "true" : "false"
        }
        if let casesDigest { evidence["cases_sha256"] = casesDigest }
        return (agent, evidence)
    }

    /// Appends the entry for a run just recorded or marked.
    @discardableResult
    static func auditRun(_ event: AuditEvent, runID: String, casesDigest: String?, actor: String, _ db: Database) throws -> AuditEntry {
        let (agent, evidence) = try runEvidence(db, runID: runID, casesDigest: casesDigest)
        return try appendAudit(event, actor: actor, agent: agent, runID: runID, subject: nil, evidence: evidence, db)
    }

    // MARK: - Reading

    public func auditLog(agent: String?, since: Date?, limit: Int) async throws -> [AuditEntry] {
        try await read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let agent {
                conditions.append("agent = ?")
                arguments += [agent]
            }
            if let since {
                // Timestamps are ISO 8601 in UTC with milliseconds, so they compare as text.
                conditions.append("recorded_at >= ?")
                arguments += [AuditEntry.timestamp(since)]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [max(0, limit)]
            let rows = try AuditEntryRow.fetchAll(
                db, sql: "SELECT * FROM (SELECT * FROM audit_entry \(filter) ORDER BY sequence DESC LIMIT ?) ORDER BY sequence", arguments: arguments)
            return try rows.map { try $0.entry() }
        }
    }

    public func auditHead() async throws -> AuditHead? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit_entry ORDER BY sequence DESC LIMIT 1").map {
                AuditHead(sequence: $0[0], hash: $0[1])
            }
        }
    }

    // MARK: - Verifying

    public func verifyAudit(anchor: AuditHead?) async throws -> AuditVerification {
        try await read { db in try AuditVerifier(rows: SQLiteAuditedRows(db: db)).verify(anchor: anchor) }
    }

    // MARK: - Sealing an existing history

    /// The genesis entry and, for a history written before the audit log existed, one `sealed`
    /// entry per run, approval, deployment and review label as they are at that moment. From then
    /// on they are verified like everything recorded later; what happened to them before cannot
    /// be (docs/audit.md, "Histories older than the audit log").
    static func sealExistingHistory(_ db: Database, at date: Date = Date()) throws {
        let actor = "evalgate \(EvalGate.version) (audit log created)"
        let runIDs = try String.fetchAll(db, sql: "SELECT id FROM run ORDER BY started_at, id")
        let approvals = try Int64.fetchAll(db, sql: "SELECT id FROM approval ORDER BY id")
        let deployments = try Int64.fetchAll(db, sql: "SELECT id FROM deployment ORDER BY id")
        let labels = try Row.fetchAll(db, sql: "SELECT run_id, case_id FROM review_label ORDER BY run_id, case_id")
        try appendAudit(
            .genesis, actor: actor, agent: nil, runID: nil, subject: nil,
            evidence: [
                "runs": String(runIDs.count), "approvals": String(approvals.count), "deployments": String(deployments.count),
                "review_labels": String(labels.count),
            ], at: date, db)
        for id in runIDs {
            let (agent, evidence) = try runEvidence(db, runID: id, casesDigest: try AuditDigest.cases(db, runID: id))
            try appendAudit(
                .sealed, actor: actor, agent: agent, runID: id, subject: nil, evidence: evidence.merging(["object": "run"]) { $1 }, at: date, db)
        }
        for id in approvals {
            let runID = try String.fetchOne(db, sql: "SELECT run_id FROM approval WHERE id = ?", arguments: [id])
            try appendAudit(
                .sealed, actor: actor, agent: try agent(ofRun: runID, db), runID: runID, subject: String(id),
                evidence: ["object": "approval", "approval_sha256": try AuditDigest.approval(db, id: id)], at: date, db)
        }
        for id in deployments {
            let row = try Row.fetchOne(db, sql: "SELECT agent, run_id FROM deployment WHERE id = ?", arguments: [id])
            let agent: String? = row.map { $0[0] as String }
            let runID: String? = row.flatMap { $0[1] as String? }
            try appendAudit(
                .sealed, actor: actor, agent: agent, runID: runID, subject: String(id),
                evidence: ["object": "deployment", "deployment_sha256": try AuditDigest.deployment(db, id: id)], at: date, db)
        }
        for label in labels {
            let runID: String = label[0]
            let caseID: String = label[1]
            try appendAudit(
                .sealed, actor: actor, agent: try agent(ofRun: runID, db), runID: runID, subject: caseID,
                evidence: ["object": "review-label", "review_label_sha256": try AuditDigest.label(db, runID: runID, caseID: caseID)], at: date, db)
        }
    }

    static func agent(ofRun runID: String?, _ db: Database) throws -> String? {
        guard let runID else { return nil }
        return try String.fetchOne(db, sql: "SELECT agent FROM run WHERE id = ?", arguments: [runID])
    }
}

/// What an audit entry is about, so the newest entry of each thing can be compared with it.
enum AuditObject: Hashable {
    case run(String)
    case approval(Int64)
    case changeApproval(Int64)
    case deployment(Int64)
    case reviewLabel(runID: String, caseID: String)
    case signOff(Int64)
    case autonomyChange(Int64)

    init?(_ entry: AuditEntry) {
        let object: String
        switch entry.event {
        case .genesis, .scopeChanged: return nil
        case .releaseSignedOff, .releaseRejected: object = "sign-off"
        case .sealed: object = entry.evidence["object"] ?? ""
        case .runDecided, .runRedecided, .knownGoodMarked, .knownGoodUnmarked: object = "run"
        case .approvalRecorded: object = "approval"
        case .changeApproved: object = "change-approval"
        // Part of recording a run, whose own entry covers the row.
        case .thresholdsChanged: return nil
        case .deploymentRecorded: object = "deployment"
        case .reviewLabelRecorded: object = "review-label"
        case .autonomyChanged: object = "autonomy-change"
        }
        switch object {
        case "run":
            guard let runID = entry.runID else { return nil }
            self = .run(runID)
        case "approval":
            guard let id = entry.subject.flatMap({ Int64($0) }) else { return nil }
            self = .approval(id)
        case "deployment":
            guard let id = entry.subject.flatMap({ Int64($0) }) else { return nil }
            self = .deployment(id)
        case "change-approval":
            guard let id = entry.subject.flatMap({ Int64($0) }) else { return nil }
            self = .changeApproval(id)
        case "review-label":
            guard let runID = entry.runID, let caseID = entry.subject else { return nil }
            self = .reviewLabel(runID: runID, caseID: caseID)
        case "sign-off":
            guard let id = entry.subject.flatMap({ Int64($0) }) else { return nil }
            self = .signOff(id)
        case "autonomy-change":
            guard let id = entry.subject.flatMap({ Int64($0) }) else { return nil }
            self = .autonomyChange(id)
        default:
            return nil
        }
    }

    /// How a message names it.
    var name: String {
        switch self {
        case .run(let id): "run \(id)"
        case .approval(let id): "approval \(id)"
        case .changeApproval(let id): "change approval \(id)"
        case .deployment(let id): "deployment \(id)"
        case .reviewLabel(let runID, let caseID): "the review label of case \(caseID) of run \(runID)"
        case .signOff(let id): "sign-off \(id)"
        case .autonomyChange(let id): "autonomy change \(id)"
        }
    }
}
