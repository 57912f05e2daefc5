import Foundation
import GRDB

/// Why the run history could not be read or written, with the path, SQL and SQLite message that
/// explain it, so `evalgate history` can print something a person can act on.
public enum HistoryError: LocalizedError, Equatable, Sendable {
    /// The file is not SQLite, is damaged, or is an SQLite database some other tool created.
    case notAHistoryDatabase(path: String, reason: String)
    /// The database was migrated by a newer evalgate; reading it with an older one could lose data.
    case newerSchema(path: String, unknownMigrations: [String])
    /// The file or its folder could not be created or opened.
    case cannotOpen(path: String, message: String)
    /// SQLite found damage while reading or writing an already opened history.
    case corrupted(path: String, message: String)
    /// No run has this id, and no run id starts with it.
    case runNotFound(String)
    /// Several run ids start with this prefix; a longer prefix picks one.
    case ambiguousRunID(prefix: String, matches: [String])
    /// The run has no case with this id (review labels are recorded on stored cases only).
    case caseNotFound(runID: String, caseID: String)
    /// Only a run whose verdict is pass can vouch for its version.
    case notPassing(runID: String, verdict: Verdict)
    /// The case results of a run break an invariant the store relies on (duplicate ids or indexes).
    case invalidCases(runID: String, reason: String)
    /// A value could not be turned into JSON (or redacting it broke the JSON).
    case encoding(what: String, message: String)
    /// A stored JSON column could not be read back into its type.
    case decoding(what: String, message: String)
    /// Any other SQLite error, with its result code and the statement that failed.
    case database(path: String, code: Int32, message: String, sql: String?)
    /// The PostgreSQL server could not be reached (refused, timed out, TLS failed, connection lost).
    case unreachable(location: String, message: String)
    /// The PostgreSQL server refused a write: the database or the role is read-only.
    case readOnly(location: String, message: String)
    /// Any other PostgreSQL error, with its SQLSTATE.
    case server(location: String, sqlState: String, message: String)
    /// This person already signed the run off in another role: one person, one role.
    case signOffConflict(runID: String, signer: String, role: String)
    /// An autonomy change was asked from a level the agent is no longer at (someone else changed
    /// it in between); nothing was written. `nil` is "no change recorded".
    case autonomyLevelChanged(agent: String, expected: String?, found: String?)

    public var errorDescription: String? {
        switch self {
        case .notAHistoryDatabase(let path, let reason):
            return "not an evalgate history database: \(path) (\(reason)); move it aside or point EVALGATE_HISTORY at another file"
        case .newerSchema(let path, let unknown):
            return
                "history database \(path) was written by a newer evalgate (unknown migrations: \(unknown.joined(separator: ", "))); upgrade evalgate to use it"
        case .cannotOpen(let path, let message):
            return "cannot open history database \(path): \(message)"
        case .corrupted(let path, let message):
            return "history database \(path) is damaged: \(message); restore it from a backup or move it aside to start a new history"
        case .runNotFound(let id):
            return "no run with id '\(id)' in the history"
        case .ambiguousRunID(let prefix, let matches):
            return "run id prefix '\(prefix)' is ambiguous; it matches \(matches.joined(separator: ", "))"
        case .caseNotFound(let runID, let caseID):
            return "run \(runID) has no case '\(caseID)'"
        case .notPassing(let runID, let verdict):
            return "run \(runID) has verdict \(verdict.rawValue); only a passing run can mark its version known-good"
        case .invalidCases(let runID, let reason):
            return "cannot store the cases of run \(runID): \(reason)"
        case .encoding(let what, let message):
            return "cannot encode \(what) for the history: \(message)"
        case .decoding(let what, let message):
            return "cannot read \(what) from the history: \(message)"
        case .database(let path, let code, let message, let sql):
            var text = "history database \(path): \(message) (SQLite error \(code))"
            if code == ResultCode.SQLITE_BUSY.rawValue {
                text += "; another evalgate process held the database for longer than the busy timeout"
            }
            if let sql { text += " in `\(sql)`" }
            return text
        case .unreachable(let location, let message):
            return "cannot reach the history database \(location): \(message); check that the server runs and the URL's host, port and sslmode"
        case .readOnly(let location, let message):
            return "history database \(location) is read-only: \(message); evalgate needs a writable primary and a role that may write"
        case .server(let location, let state, let message):
            return "history database \(location): \(message) (SQLSTATE \(state))"
        case .signOffConflict(let runID, let signer, let role):
            return "\(signer) already signed off run \(runID) as \(role); each required role needs a different person"
        case .autonomyLevelChanged(let agent, let expected, let found):
            return
                "the autonomy level of \(agent) changed meanwhile (expected \(expected ?? "no recorded change"), found \(found ?? "no recorded change")); nothing was written, look again with `evalgate autonomy \(agent)`"
        }
    }
}

extension HistoryError {
    /// Wraps whatever a store operation threw; `opening` says the file has not been read successfully
    /// yet, so damage means "this is not a history" rather than "this history broke".
    static func wrap(_ error: any Error, path: String, opening: Bool = false) -> HistoryError {
        switch error {
        case let error as HistoryError:
            return error
        case let error as DatabaseError:
            let message = error.message ?? "\(error.resultCode)"
            switch error.resultCode {
            case .SQLITE_NOTADB:
                return .notAHistoryDatabase(path: path, reason: message)
            case .SQLITE_CORRUPT:
                return opening ? .notAHistoryDatabase(path: path, reason: message) : .corrupted(path: path, message: message)
            case .SQLITE_CANTOPEN:
                return .cannotOpen(path: path, message: message)
            default:
                return .database(path: path, code: error.resultCode.rawValue, message: message, sql: error.sql)
            }
        case let error as DecodingError:
            return .decoding(what: "a stored value", message: String(describing: error))
        case let error as EncodingError:
            return .encoding(what: "a value", message: String(describing: error))
        default:
            return .database(path: path, code: ResultCode.SQLITE_ERROR.rawValue, message: String(describing: error), sql: nil)
        }
    }
}
