import Foundation
import GRDB

/// One row of the `audit_entry` table: an `AuditEntry` with its evidence as a JSON object.
///
/// The table is append-only: triggers refuse UPDATE and DELETE, and no code issues either.
struct AuditEntryRow: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "audit_entry"

    var sequence: Int64
    var recordedAt: String
    var actor: String
    var event: String
    var agent: String?
    var runID: String?
    var subject: String?
    /// JSON object of strings, keys sorted.
    var evidence: String
    var previousHash: String
    var hash: String

    enum CodingKeys: String, CodingKey {
        case sequence
        case recordedAt = "recorded_at"
        case actor, event, agent
        case runID = "run_id"
        case subject, evidence
        case previousHash = "previous_hash"
        case hash
    }

    init(_ entry: AuditEntry) throws {
        sequence = entry.sequence
        recordedAt = entry.recordedAt
        actor = entry.actor
        event = entry.event.rawValue
        agent = entry.agent
        runID = entry.runID
        subject = entry.subject
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        evidence = String(decoding: try encoder.encode(entry.evidence), as: UTF8.self)
        previousHash = entry.previousHash
        hash = entry.hash
    }

    /// The entry; a row whose event or evidence cannot be read is `HistoryError.decoding`, since
    /// such a row can only have been edited outside evalgate.
    func entry() throws -> AuditEntry {
        guard let kind = AuditEvent(rawValue: event) else {
            throw HistoryError.decoding(what: "audit entry \(sequence)", message: "unknown event '\(event)'")
        }
        let fields: [String: String]
        do {
            fields = try JSONDecoder().decode([String: String].self, from: Data(evidence.utf8))
        } catch {
            throw HistoryError.decoding(what: "the evidence of audit entry \(sequence)", message: String(describing: error))
        }
        return AuditEntry(
            sequence: sequence, recordedAt: recordedAt, actor: actor, event: kind, agent: agent, runID: runID, subject: subject, evidence: fields,
            previousHash: previousHash, hash: hash)
    }
}
