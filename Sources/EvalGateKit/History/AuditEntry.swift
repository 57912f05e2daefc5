import Crypto
import Foundation

/// One entry of the history's audit log: an event that changed what the organisation decided,
/// who caused it, the evidence as stored, and the hash of the entry before it.
///
/// Entries form a hash chain: each one's `hash` is the SHA-256 of its canonical encoding
/// (`canonicalEncoding`), which includes the previous entry's hash. Editing, deleting or
/// reordering an entry breaks the chain from that entry on, and `RunHistory.verifyAudit` names it.
/// The shape and the encoding are documented in docs/audit.md.
public struct AuditEntry: Sendable, Equatable, Codable {
    /// 1, 2, 3, … without gaps; entry 1 is the genesis entry written when the log was created.
    public var sequence: Int64
    /// When the entry was appended, as stored (ISO 8601, UTC, milliseconds); this text is hashed.
    public var recordedAt: String
    /// Who caused the event: `--by`, the CI identity, or the OS user (`AuditActor.resolve`).
    public var actor: String
    public var event: AuditEvent
    /// The agent the event is about, when it is about one (for `evalgate audit log --agent`).
    public var agent: String?
    /// The run the event is about, when it is about one.
    public var runID: String?
    /// What within the run or history: a case id (review labels), an approval or deployment id.
    public var subject: String?
    /// The evidence: hashes of the rows as stored, and a few readable values (verdict, version).
    public var evidence: [String: String]
    /// `hash` of the entry before; 64 zeros for the genesis entry.
    public var previousHash: String
    /// SHA-256 (hex) of `canonicalEncoding`.
    public var hash: String

    enum CodingKeys: String, CodingKey {
        case sequence, recordedAt, actor, event, agent, runID, subject, evidence, previousHash, hash
    }

    public init(
        sequence: Int64, recordedAt: String, actor: String, event: AuditEvent, agent: String?, runID: String?, subject: String?,
        evidence: [String: String], previousHash: String, hash: String = ""
    ) {
        self.sequence = sequence
        self.recordedAt = recordedAt
        self.actor = actor
        self.event = event
        self.agent = agent
        self.runID = runID
        self.subject = subject
        self.evidence = evidence
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The previous hash of the first entry.
    public static let noPreviousHash = String(repeating: "0", count: 64)

    /// The format tag that opens every canonical encoding; a new encoding gets a new tag.
    public static let encodingTag = "evalgate.audit/v1"

    /// The bytes that are hashed: the tag, then one line per field in a fixed order, each value
    /// length-prefixed so no choice of values can make two different entries encode alike:
    ///
    ///     evalgate.audit/v1
    ///     sequence 1:7
    ///     recorded_at 24:2026-11-30T10:55:00.123Z
    ///     agent -                       (absent)
    ///     evidence.verdict 4:pass       (evidence keys sorted by their UTF-8 bytes)
    ///     previous_hash 64:…
    ///
    /// Lengths count UTF-8 bytes. Easy to recompute in any language (docs/audit.md has a Python
    /// version), so an auditor need not trust evalgate to check the chain.
    public var canonicalEncoding: Data {
        var text = Self.encodingTag + "\n"
        func field(_ name: String, _ value: String?) {
            text += name
            if let value {
                text += " \(value.utf8.count):" + value + "\n"
            } else {
                text += " -\n"
            }
        }
        field("sequence", String(sequence))
        field("recorded_at", recordedAt)
        field("actor", actor)
        field("event", event.rawValue)
        field("agent", agent)
        field("run_id", runID)
        field("subject", subject)
        for key in evidence.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            field("evidence." + key, evidence[key])
        }
        field("previous_hash", previousHash)
        return Data(text.utf8)
    }

    /// The hash this entry's fields give; equal to `hash` unless the entry was changed.
    public var computedHash: String {
        SHA256.hash(data: canonicalEncoding).hexString
    }

    /// Where the entry sits in the chain.
    public var head: AuditHead { AuditHead(sequence: sequence, hash: hash) }

    /// The text stored for `date`: ISO 8601 in UTC with milliseconds.
    /// Whole milliseconds (rounded down), so the text never depends on how a platform rounds.
    public static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):"
            + "\(pad(parts.second, 2)).\(pad(Int(milliseconds - seconds * 1000), 3))Z"
    }

    /// `recordedAt` as a date; nil when the stored text is not a timestamp.
    public var date: Date? {
        try? Date(recordedAt, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// What an audit entry records. Kinds are stable strings: they are hashed and read by auditors.
public enum AuditEvent: String, Sendable, Codable, CaseIterable {
    /// The first entry of a log: the log starts here. When the log was added to an existing
    /// history, the `sealed` entries that follow it record that history's state at that moment.
    case genesis
    /// A run, its row, gates or review label that existed before the audit log did, as it was when
    /// the log was created (evidence `object`: run, approval, deployment or review-label).
    case sealed
    /// A run's decision, recorded for the first time.
    case runDecided = "run-decided"
    /// A stored run recorded again: resumed, or re-decided after review labels.
    case runRedecided = "run-redecided"
    case knownGoodMarked = "known-good-marked"
    case knownGoodUnmarked = "known-good-unmarked"
    case approvalRecorded = "approval-recorded"
    case deploymentRecorded = "deployment-recorded"
    case reviewLabelRecorded = "review-label-recorded"
    /// A reviewer signed a release run off in a role (docs/signoff.md).
    case releaseSignedOff = "release-signed-off"
    /// A reviewer rejected a release run in a role: it escalates.
    case releaseRejected = "release-rejected"
    /// A run's agent can act on a tool or data source its last passing run could not (or no
    /// longer on one it could); evidence: what was added and removed, and the run compared with.
    case scopeChanged = "scope-changed"
    /// An agent's autonomy level stepped up or down (evidence: the row's digest, from, to, role).
    case autonomyChanged = "autonomy-changed"
    /// A run first decided by effective gates or a tier policy other than the agent's previous
    /// run's (evidence: both gates hashes, both tier-policy hashes, direction, the changes).
    case thresholdsChanged = "thresholds-changed"
    /// A person approved a change of an agent's effective gates (`evalgate approve-change`).
    case changeApproved = "change-approved"
}

/// The newest entry of an audit log, for safekeeping outside the history (result files, anchors):
/// a later log that still contains this exact entry extends it.
public struct AuditHead: Sendable, Equatable, Codable {
    public var sequence: Int64
    /// SHA-256 (hex) of the entry.
    public var hash: String

    enum CodingKeys: String, CodingKey {
        case sequence, hash
    }

    public init(sequence: Int64, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }
}

/// Who is acting, for the audit log.
public enum AuditActor {
    /// Variables naming the person a CI job runs for, first match wins: GitHub Actions, GitLab CI,
    /// Buildkite, CircleCI, Bitbucket Pipelines.
    public static let ciVariables = [
        "GITHUB_ACTOR", "GITLAB_USER_LOGIN", "BUILDKITE_BUILD_CREATOR", "CIRCLE_USERNAME", "BITBUCKET_STEP_TRIGGERER_UUID",
    ]
    /// Variables naming the operating-system user.
    public static let userVariables = ["USER", "LOGNAME", "USERNAME"]

    /// `--by` when given, else the CI identity, else the OS user, else "unknown".
    public static func resolve(by: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let by = by?.trimmingCharacters(in: .whitespaces), !by.isEmpty { return by }
        for name in ciVariables + userVariables {
            if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        }
        return "unknown"
    }
}

extension Sequence<UInt8> {
    /// Lowercase hex, as SHA-256 digests are written everywhere in evalgate.
    var hexString: String {
        var text = ""
        for byte in self {
            text += String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16)
        }
        return text
    }
}
