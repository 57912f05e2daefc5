import Foundation

/// Where a history lives, from `--history` or `EVALGATE_HISTORY`: a file path (or `sqlite:PATH`)
/// for the embedded SQLite history, a `postgres://` (or `postgresql://`) URL for a shared
/// PostgreSQL database. Opening picks the `RunHistory` implementation, so commands never name a
/// backend.
public enum HistoryLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)
    /// A `postgres://` URL that cannot be used; opening it is the error, naming what is wrong.
    case invalid(InvalidURL)

    /// A history URL that cannot be used, with what is wrong (the password never appears).
    public struct InvalidURL: LocalizedError, Sendable, Equatable {
        /// The URL with any credentials masked.
        public var url: String
        public var reason: String
        public var hint: String?

        public var errorDescription: String? {
            "invalid history URL \(url): \(reason)" + (hint.map { " (hint: \($0))" } ?? "")
        }
    }

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres:")
            || lowered.hasPrefix("postgresql:")
        {
            do {
                self = .postgres(try PostgresLocation(url: text, environment: environment))
            } catch let error as InvalidURL {
                self = .invalid(error)
            } catch {
                self = .invalid(InvalidURL(url: PostgresLocation.masked(text), reason: String(describing: error), hint: nil))
            }
        } else if text.hasPrefix("sqlite://") {
            self = .sqlite(path: String(text.dropFirst("sqlite://".count)))
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// Where it is, for messages: a path, or a URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let location): return location.description
        case .invalid(let error): return error.url
        }
    }

    /// Values that must never appear in output: a PostgreSQL password.
    public var secrets: [String] {
        switch self {
        case .postgres(let location): return location.secrets
        case .sqlite, .invalid: return []
        }
    }

    /// Opens (and creates or migrates) the history, off the caller's thread.
    public func open(redactor: Redactor = .none) async throws -> any RunHistory {
        switch self {
        case .sqlite(let path):
            do {
                return try await HistoryStore.open(path: path, redactor: redactor)
            } catch {
                throw RunPlan.Failure.cannotRun("cannot open the history database \(path): \(error)")
            }
        case .postgres(let location):
            do {
                return try await PostgresHistory.open(location, redactor: Redactor(secrets: redactor.secrets + location.secrets))
            } catch {
                throw RunPlan.Failure.cannotRun("cannot open the history database \(location): \(error.localizedDescription)")
            }
        case .invalid(let error):
            throw RunPlan.Failure.cannotRun(error.localizedDescription)
        }
    }
}
