import Foundation

/// What `RunHistory.verifyAudit` found: the chain recomputed, and every run, gate result,
/// approval, deployment and review label compared with what its newest audit entry recorded.
public struct AuditVerification: Sendable, Equatable, Codable {
    /// Entries in the log.
    public var entries: Int
    /// The newest entry, as stored.
    public var head: AuditHead?
    /// The first break in the chain (if any), then every row that differs from its entry.
    public var problems: [AuditProblem]

    enum CodingKeys: String, CodingKey {
        case entries, head, problems
    }

    public init(entries: Int, head: AuditHead?, problems: [AuditProblem]) {
        self.entries = entries
        self.head = head
        self.problems = problems
    }

    /// Nothing was edited, deleted, reordered or added behind evalgate's back.
    public var isIntact: Bool { problems.isEmpty }
}

/// One thing `verifyAudit` found wrong, naming the audit entry it concerns.
public struct AuditProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An entry's fields no longer give its hash, or the next entry recorded another hash for it.
        case edited
        /// An entry is missing from the sequence.
        case deleted
        /// An entry does not follow the entry before it but another one.
        case reordered
        /// A run, gate result, approval, deployment or label differs from what its entry recorded.
        case changed
        /// A row the audit log never recorded (written around evalgate).
        case unrecorded
        /// An entry's run, approval, deployment or label is no longer in the history.
        case missing
        /// The log does not extend the anchor it was checked against.
        case anchor
    }

    public var kind: Kind
    /// The entry concerned (for `unrecorded`, none).
    public var sequence: Int64?
    public var message: String

    enum CodingKeys: String, CodingKey {
        case kind, sequence, message
    }

    public init(_ kind: Kind, sequence: Int64?, _ message: String) {
        self.kind = kind
        self.sequence = sequence
        self.message = message
    }

    public var description: String { message }
}

/// A copy of the audit log's head kept outside the history (a CI artifact, a ticket), so that a
/// rewritten or truncated log can be detected later: `evalgate audit anchor`, `verify --anchor`.
public struct AuditAnchor: Sendable, Equatable, Codable {
    public static let schema = "evalgate.audit-anchor/v1"

    public var schema: String = AuditAnchor.schema
    /// The history the head was read from, for people (not checked).
    public var history: String
    public var head: AuditHead
    public var writtenAt: Date

    enum CodingKeys: String, CodingKey {
        case schema, history, head, writtenAt
    }

    public init(history: String, head: AuditHead, writtenAt: Date) {
        self.history = history
        self.head = head
        self.writtenAt = writtenAt
    }

    /// Reads an anchor file; a file that is not one is `InvalidInputError`.
    public static func read(path: String) throws(InvalidInputError) -> AuditAnchor {
        let data = try TextFile.read(path: path, displayPath: path, maxBytes: 1 << 20)
        let anchor: AuditAnchor
        do {
            anchor = try JSONCoding.decoder().decode(AuditAnchor.self, from: data)
        } catch {
            throw InvalidInputError(
                SourceLocation(file: path), "not an audit anchor: \(error)", hint: "write one with `evalgate audit anchor --out FILE`")
        }
        guard anchor.schema == schema else {
            throw InvalidInputError(SourceLocation(file: path), "unknown anchor format '\(anchor.schema)' (expected \(schema))")
        }
        return anchor
    }
}
