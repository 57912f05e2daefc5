import Foundation
import GRDB

/// Recomputes a history's audit chain and compares every row with its newest entry, on one
/// consistent snapshot of the history (`AuditedRows`), whichever backend keeps it.
struct AuditVerifier<Rows: AuditedRows> {
    let rows: Rows
    /// Problems of the "changed / unrecorded / missing" kinds beyond this many are counted, not listed.
    static var problemLimit: Int { 100 }

    func verify(anchor: AuditHead?) throws -> AuditVerification {
        var problems: [AuditProblem] = []

        // Pass 1: which sequence number each stored hash belongs to, to tell a reordered entry
        // (its previous hash is another entry's) from an edited one (its previous hash is no one's).
        let sequenceOfHash = try rows.sequencesByHash()

        // Pass 2: the chain, oldest first, and the newest entry of everything it recorded.
        var expected: Int64 = 1
        var previousHash = AuditEntry.noPreviousHash
        var chainBroken = false
        var count = 0
        var head: AuditHead?
        var newest: [AuditObject: AuditEntry] = [:]
        var newestCases: [String: AuditEntry] = [:]
        try rows.forEachEntry { row in
            count += 1
            let entry: AuditEntry
            do {
                entry = try row.entry()
            } catch {
                if !chainBroken {
                    problems.append(AuditProblem(.edited, sequence: row.sequence, "entry \(row.sequence) was edited: \(error.localizedDescription)"))
                    chainBroken = true
                }
                expected = row.sequence + 1
                previousHash = row.hash
                return
            }
            if !chainBroken, let problem = chainProblem(entry, expected: expected, previousHash: previousHash, sequenceOfHash: sequenceOfHash) {
                problems.append(problem)
                chainBroken = true
            }
            expected = entry.sequence + 1
            previousHash = entry.hash
            head = AuditHead(sequence: entry.sequence, hash: entry.hash)
            if let object = AuditObject(entry) {
                newest[object] = entry
                if case .run(let runID) = object, entry.evidence["cases_sha256"] != nil { newestCases[runID] = entry }
            }
        }

        if let anchor { problems += try anchorProblems(anchor) }
        problems += try stateProblems(newest: newest, newestCases: newestCases)
        return AuditVerification(entries: count, head: head, problems: problems)
    }

    /// The first thing wrong with `entry`'s place in the chain, if anything.
    func chainProblem(_ entry: AuditEntry, expected: Int64, previousHash: String, sequenceOfHash: [String: Int64]) -> AuditProblem? {
        if entry.sequence != expected {
            let range = expected == entry.sequence - 1 ? "entry \(expected) is" : "entries \(expected) to \(entry.sequence - 1) are"
            return AuditProblem(
                .deleted, sequence: expected, "\(range) missing from the audit log: deleted (the log goes from \(expected - 1) to \(entry.sequence))")
        }
        if entry.previousHash != previousHash {
            if let other = sequenceOfHash[entry.previousHash], other != expected - 1 {
                return AuditProblem(
                    .reordered, sequence: entry.sequence,
                    "entry \(entry.sequence) is out of order: it was appended after entry \(other), not after entry \(expected - 1) (entries were reordered)"
                )
            }
            if expected == 1 {
                return AuditProblem(.edited, sequence: 1, "entry 1 was edited: it names a previous entry, but it is the first")
            }
            return AuditProblem(
                .edited, sequence: expected - 1,
                "entry \(expected - 1) was edited: entry \(entry.sequence) recorded a different hash for it (\(entry.previousHash.prefix(12))…, now \(previousHash.prefix(12))…)"
            )
        }
        if entry.computedHash != entry.hash {
            return AuditProblem(.edited, sequence: entry.sequence, "entry \(entry.sequence) was edited: its fields no longer give its hash")
        }
        return nil
    }

    func anchorProblems(_ anchor: AuditHead) throws -> [AuditProblem] {
        guard let stored = try rows.hash(atSequence: anchor.sequence) else {
            return [
                AuditProblem(
                    .anchor, sequence: anchor.sequence,
                    "the log does not extend the anchor: it has no entry \(anchor.sequence) (entries were deleted)")
            ]
        }
        guard stored == anchor.hash else {
            return [
                AuditProblem(
                    .anchor, sequence: anchor.sequence,
                    "the log does not extend the anchor: entry \(anchor.sequence) has hash \(stored.prefix(12))…, the anchor \(anchor.hash.prefix(12))… (the log was rewritten)"
                )
            ]
        }
        return []
    }

    /// Every run, gate result, approval, deployment and review label against its newest entry.
    func stateProblems(newest: [AuditObject: AuditEntry], newestCases: [String: AuditEntry]) throws -> [AuditProblem] {
        var problems: [AuditProblem] = []
        var seen = Set<AuditObject>()
        func check(_ object: AuditObject, key: String, digest: () throws -> String, what: String) rethrows {
            seen.insert(object)
            guard let entry = newest[object] else {
                problems.append(
                    AuditProblem(.unrecorded, sequence: nil, "\(object.name) is in the history but not in the audit log (written around evalgate)"))
                return
            }
            if let recorded = entry.evidence[key], try digest() != recorded {
                problems.append(AuditProblem(.changed, sequence: entry.sequence, "\(what) changed since audit entry \(entry.sequence) recorded it"))
            }
        }

        for (id, verdict) in try rows.runs() {
            let object = AuditObject.run(id)
            if let entry = newest[object], let recorded = entry.evidence["verdict"], recorded != verdict {
                problems.append(
                    AuditProblem(
                        .changed, sequence: entry.sequence,
                        "run \(id) has verdict '\(verdict)', but audit entry \(entry.sequence) recorded '\(recorded)'"))
                seen.insert(object)
            } else {
                try check(object, key: "run_sha256", digest: { try rows.runDigest(id: id) }, what: "the row of run \(id)")
            }
            if let entry = newest[object], let recorded = entry.evidence["gates_sha256"], try rows.gatesDigest(runID: id) != recorded {
                problems.append(
                    AuditProblem(
                        .changed, sequence: entry.sequence, "the gate results of run \(id) changed since audit entry \(entry.sequence) recorded them")
                )
            }
            if let entry = newestCases[id], let recorded = entry.evidence["cases_sha256"], try rows.casesDigest(runID: id) != recorded {
                problems.append(
                    AuditProblem(
                        .changed, sequence: entry.sequence, "the cases of run \(id) changed since audit entry \(entry.sequence) recorded them"))
            }
        }
        for id in try rows.approvalIDs() {
            try check(.approval(id), key: "approval_sha256", digest: { try rows.approvalDigest(id: id) }, what: "approval \(id)")
        }
        for id in try rows.signOffIDs() {
            try check(.signOff(id), key: "sign_off_sha256", digest: { try rows.signOffDigest(id: id) }, what: "sign-off \(id)")
        }
        for id in try rows.changeApprovalIDs() {
            try check(
                .changeApproval(id), key: "change_approval_sha256", digest: { try rows.changeApprovalDigest(id: id) }, what: "change approval \(id)")
        }
        for id in try rows.deploymentIDs() {
            try check(.deployment(id), key: "deployment_sha256", digest: { try rows.deploymentDigest(id: id) }, what: "deployment \(id)")
        }
        for id in try rows.autonomyChangeIDs() {
            try check(
                .autonomyChange(id), key: "autonomy_change_sha256", digest: { try rows.autonomyChangeDigest(id: id) }, what: "autonomy change \(id)")
        }
        for (runID, caseID) in try rows.labelKeys() {
            try check(
                .reviewLabel(runID: runID, caseID: caseID), key: "review_label_sha256",
                digest: { try rows.labelDigest(runID: runID, caseID: caseID) }, what: "the review label of case \(caseID) of run \(runID)")
        }
        for (object, entry) in newest.sorted(by: { $0.value.sequence < $1.value.sequence }) where !seen.contains(object) {
            problems.append(
                AuditProblem(
                    .missing, sequence: entry.sequence, "\(object.name), recorded by audit entry \(entry.sequence), is no longer in the history"))
        }
        if problems.count > Self.problemLimit {
            let more = problems.count - Self.problemLimit
            problems = Array(problems.prefix(Self.problemLimit))
            problems.append(AuditProblem(.changed, sequence: nil, "… and \(more) more"))
        }
        return problems
    }
}

/// What `AuditVerifier` reads of a history, all from one consistent snapshot.
protocol AuditedRows {
    /// The sequence number of every stored entry's hash.
    func sequencesByHash() throws -> [String: Int64]
    /// Every stored entry, oldest first.
    func forEachEntry(_ body: (AuditEntryRow) throws -> Void) throws
    func hash(atSequence sequence: Int64) throws -> String?
    /// Every run's id and verdict, by start time.
    func runs() throws -> [(id: String, verdict: String)]
    func runDigest(id: String) throws -> String
    func gatesDigest(runID: String) throws -> String
    func casesDigest(runID: String) throws -> String
    func approvalIDs() throws -> [Int64]
    func approvalDigest(id: Int64) throws -> String
    func deploymentIDs() throws -> [Int64]
    func changeApprovalIDs() throws -> [Int64]
    func changeApprovalDigest(id: Int64) throws -> String
    func deploymentDigest(id: Int64) throws -> String
    func labelKeys() throws -> [(runID: String, caseID: String)]
    func labelDigest(runID: String, caseID: String) throws -> String
    func signOffIDs() throws -> [Int64]
    func signOffDigest(id: Int64) throws -> String
    func autonomyChangeIDs() throws -> [Int64]
    func autonomyChangeDigest(id: Int64) throws -> String
}

/// A SQLite history read in one read transaction.
struct SQLiteAuditedRows: AuditedRows {
    let db: Database

    func sequencesByHash() throws -> [String: Int64] {
        var sequenceOfHash: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT sequence, hash FROM audit_entry") {
            sequenceOfHash[row[1]] = row[0]
        }
        return sequenceOfHash
    }

    func forEachEntry(_ body: (AuditEntryRow) throws -> Void) throws {
        let cursor = try AuditEntryRow.fetchCursor(db, sql: "SELECT * FROM audit_entry ORDER BY sequence")
        while let row = try cursor.next() { try body(row) }
    }

    func hash(atSequence sequence: Int64) throws -> String? {
        try String.fetchOne(db, sql: "SELECT hash FROM audit_entry WHERE sequence = ?", arguments: [sequence])
    }

    func runs() throws -> [(id: String, verdict: String)] {
        try Row.fetchAll(db, sql: "SELECT id, verdict FROM run ORDER BY started_at, id").map { ($0[0], $0[1]) }
    }

    func runDigest(id: String) throws -> String { try AuditDigest.run(db, id: id) }
    func gatesDigest(runID: String) throws -> String { try AuditDigest.gates(db, runID: runID) }
    func casesDigest(runID: String) throws -> String { try AuditDigest.cases(db, runID: runID) }
    func approvalIDs() throws -> [Int64] { try Int64.fetchAll(db, sql: "SELECT id FROM approval ORDER BY id") }
    func approvalDigest(id: Int64) throws -> String { try AuditDigest.approval(db, id: id) }
    func deploymentIDs() throws -> [Int64] { try Int64.fetchAll(db, sql: "SELECT id FROM deployment ORDER BY id") }
    func changeApprovalIDs() throws -> [Int64] { try Int64.fetchAll(db, sql: "SELECT id FROM change_approval ORDER BY id") }
    func changeApprovalDigest(id: Int64) throws -> String { try AuditDigest.changeApproval(db, id: id) }
    func deploymentDigest(id: Int64) throws -> String { try AuditDigest.deployment(db, id: id) }

    func labelKeys() throws -> [(runID: String, caseID: String)] {
        try Row.fetchAll(db, sql: "SELECT run_id, case_id FROM review_label ORDER BY run_id, case_id").map { ($0[0], $0[1]) }
    }

    func labelDigest(runID: String, caseID: String) throws -> String { try AuditDigest.label(db, runID: runID, caseID: caseID) }
    func signOffIDs() throws -> [Int64] { try Int64.fetchAll(db, sql: "SELECT id FROM sign_off ORDER BY id") }
    func signOffDigest(id: Int64) throws -> String { try AuditDigest.signOff(db, id: id) }
    func autonomyChangeIDs() throws -> [Int64] { try Int64.fetchAll(db, sql: "SELECT id FROM autonomy_change ORDER BY id") }
    func autonomyChangeDigest(id: Int64) throws -> String { try AuditDigest.autonomyChange(db, id: id) }
}
